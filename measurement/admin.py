"""Admin of the measurement app. Staff add and retire indicators here; reports are read
only (leads fill them), and reopening goes through the service (audit entry)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from slecop.admin_utils import run_each
from slecop.cache import bump

from . import services
from .models import Attribute, Goal, Indicator, IndicatorReport, IndicatorValue
from .selectors import DEFINITIONS


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    """The five attributes of seed 001 are fixed; their wording may be edited."""

    list_display = ["number", "name"]
    search_fields = ["name", "description"]
    readonly_fields = ["number", "slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "attribute", "kind", "order", "active"]
    list_filter = ["attribute", "kind", "active"]
    search_fields = ["name", "code", "help_text"]
    list_editable = ["order"]
    actions = ["retire", "restore"]
    fieldsets = [
        (None, {"fields": ["attribute", "name", "code", "kind", "help_text", "order", "active"]}),
        (_("Range (counts and percentages)"), {"fields": ["min_value", "max_value"]}),
        (
            _("Maturity rubric (rubric indicators only)"),
            {"fields": ["rubric_1", "rubric_2", "rubric_3", "rubric_4"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Reported values are stored in the column of the indicator's type: once an
        # indicator has values its type and code cannot change.
        if obj is not None and obj.values.exists():
            return ["code", "kind"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if "code" in self.get_readonly_fields(request, obj) else {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.values.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Retire (hide from new reports, keep history)"))
    def retire(self, request, queryset):
        count = queryset.update(active=False)
        bump(DEFINITIONS)  # an update sends no signal
        self.message_user(request, _("%d indicators retired.") % count, messages.SUCCESS)

    @admin.action(description=_("Restore to new reports"))
    def restore(self, request, queryset):
        count = queryset.update(active=True)
        bump(DEFINITIONS)
        self.message_user(request, _("%d indicators restored.") % count, messages.SUCCESS)


class ReadOnlyInline(admin.TabularInline):
    """Reported rows, shown as they were entered: only the lead's form writes them."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class ValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ["indicator", "display"]

    @admin.display(description=_("value"))
    def display(self, obj):
        return obj.display


class GoalInline(ReadOnlyInline):
    model = Goal
    fields = ["indicator", "target"]


@admin.register(IndicatorReport)
class IndicatorReportAdmin(admin.ModelAdmin):
    list_display = ["ecosystem", "year", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "year", "ecosystem__region", "ecosystem__cohort_year"]
    search_fields = ["ecosystem__name", "ecosystem__slug"]
    list_select_related = ["ecosystem"]
    readonly_fields = [
        "ecosystem",
        "year",
        "status",
        "submitted_at",
        "submitted_by",
        "first_submitted_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ValueInline, GoalInline]
    actions = ["reopen"]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reopen_permission(self, request):
        return request.user.has_perm("measurement.reopen_indicatorreport")

    @admin.action(
        description=_("Reopen for correction by the ecosystem's leads"), permissions=["reopen"]
    )
    def reopen(self, request, queryset):
        run_each(
            self,
            request,
            queryset.select_related("ecosystem"),
            lambda report: services.indicator_report_reopen(
                acting_user=request.user, report=report, reason=str(_("Reopened from the admin"))
            ),
            lambda done: _("%d reports reopened.") % done,
        )
