"""Admin of convenings. Convenings and sessions are plain data; registrations change only
through services (admin actions), so seat rules, waitlist order and audit always hold."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.admin_money import MoneyAdminMixin, money_column
from slecop.admin_utils import run_each

from . import services
from .models import Convening, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ["title", "starts_at", "capacity", "is_orientation"]


@admin.register(Convening)
class ConveningAdmin(MoneyAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "region",
        "starts_at",
        "capacity",
        "included_seats",
        "extra_seat",
        "registration_closes_at",
        "published",
    ]
    list_filter = ["kind", "region", "published", "starts_at"]
    search_fields = ["title", "venue", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [SessionInline]
    actions = ["fill_from_waitlist"]
    extra_seat = money_column("extra_seat_cents", _("Extra seat"))
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "region", "description", "published"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "venue", "online_url"]}),
        (
            _("Seats"),
            {
                "fields": [
                    "capacity",
                    "included_seats",
                    "extra_seat_cents",
                    "currency",
                    "extra_seats_per_ecosystem",
                    "included_seats_kept_until",
                ]
            },
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "substitution_deadline",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = services.convening_fill_from_waitlist(
                acting_user=request.user, convening=obj
            )
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%d waitlisted registration was confirmed.",
                        "%d waitlisted registrations were confirmed.",
                        len(promoted),
                    )
                    % len(promoted),
                    messages.SUCCESS,
                )

    @admin.action(description=_("Confirm waitlisted registrations while seats last"))
    def fill_from_waitlist(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda c: services.convening_fill_from_waitlist(acting_user=request.user, convening=c),
            _("Waitlists processed"),
        )


class CheckedInFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "checked_in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "attendee_name",
        "attendee_email",
        "ecosystem",
        "convening",
        "status",
        "seat_kind",
        "waitlist_position",
        "checked_in_at",
    ]
    list_filter = [
        "convening",
        "status",
        "seat_kind",
        CheckedInFilter,
        "ecosystem__region",
        "sessions",
    ]
    search_fields = ["attendee_name", "attendee_email", "ecosystem__name"]
    list_select_related = ["ecosystem", "convening"]
    actions = ["check_in", "cancel"]
    readonly_fields = [f.name for f in Registration._meta.fields] + ["sessions"]
    ordering = ["convening", "status", "waitlist_position", "attendee_name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _each_registration(self, request, queryset, service, done):
        run_each(
            self,
            request,
            queryset,
            lambda r: service(acting_user=request.user, registration=r),
            done,
        )

    @admin.action(description=_("Check in"), permissions=["change"])
    def check_in(self, request, queryset):
        self._each_registration(request, queryset, services.registration_check_in, _("Checked in"))

    @admin.action(description=_("Cancel (frees the seat for the waitlist)"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each_registration(request, queryset, services.registration_cancel, _("Cancelled"))
