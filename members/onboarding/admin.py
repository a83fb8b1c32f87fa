"""Admin of joining and onboarding: applications, onboardings, ticks."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.catalogue.forms import ReasonForm
from members.models import (
    JoinApplication,
    Onboarding,
    OnboardingTick,
)
from members.onboarding.forms import JoinApproveForm
from members.onboarding.selectors import coach_candidates
from members.onboarding.services import checklist, joining
from slecop.admin_utils import (
    ReadOnlyAdmin,
    ServiceLinksMixin,
    ServicePage,
)
from slecop.errors import DomainError


@admin.register(JoinApplication)
class JoinApplicationAdmin(ServiceLinksMixin, ReadOnlyAdmin):
    list_display = [
        "submitted_at",
        "ecosystem_name",
        "region",
        "lead_email",
        "status",
        "ecosystem",
        "reviewed_by",
    ]
    list_filter = ["status", "region", "submitted_at"]
    search_fields = ["ecosystem_name", "lead_email", "lead_last_name", "city", "why"]
    list_select_related = ["region", "ecosystem", "reviewed_by"]
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in JoinApplication._meta.fields]
    change_permission = "members.change_joinapplication"
    service_views = {"approve": "approve", "decline": "decline"}

    def service_links(self, obj):
        if obj.status != JoinApplication.Status.PENDING:
            return []
        return [("approve", _("Approve (assign a coach)")), ("decline", _("Decline"))]

    def _application(self, request, pk: int) -> JoinApplication:
        self.require(request, self.change_permission)
        return get_object_or_404(JoinApplication.objects.select_related("region"), pk=pk)

    def _facts(self, application):
        return [
            (_("Ecosystem"), f"{application.ecosystem_name} ({application.region})"),
            (_("Lead contact"), f"{application.lead_name} <{application.lead_email}>"),
            (_("Partners"), application.partners),
            (_("Why"), application.why),
        ]

    def approve_view(self, request, pk: int):
        application = self._application(request, pk)
        return self.service_page(
            request,
            application,
            ServicePage(
                title=_("Approve the application of %s") % application.ecosystem_name,
                form=JoinApproveForm,
                call=lambda data: joining.join_application_approve(
                    acting_user=request.user, application=application, **data
                ),
                success=_(
                    "Approved: the ecosystem was created, its lead invited and its first "
                    "dues invoice opened."
                ),
                facts=self._facts(application),
            ),
        )

    def decline_view(self, request, pk: int):
        application = self._application(request, pk)
        return self.service_page(
            request,
            application,
            ServicePage(
                title=_("Decline the application of %s") % application.ecosystem_name,
                form=ReasonForm,
                call=lambda data: joining.join_application_decline(
                    acting_user=request.user, application=application, **data
                ),
                success=_("Declined; the applicant was emailed."),
                facts=self._facts(application),
            ),
        )


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    """The coach is changed here through the onboarding service; the checklist is ticked
    on the coach's onboarding page."""

    list_display = ["ecosystem", "cohort_year", "coach", "started_at", "completed_at"]
    list_filter = [
        "cohort_year",
        ("coach", admin.RelatedOnlyFieldListFilter),
        ("completed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["ecosystem__name", "coach__email"]
    list_select_related = ["ecosystem", "coach"]
    fields = ["ecosystem", "cohort_year", "coach", "started_at", "completed_at"]
    readonly_fields = ["ecosystem", "cohort_year", "started_at", "completed_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coach":
            kwargs["queryset"] = coach_candidates()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "coach" in form.changed_data:
            try:
                checklist.onboarding_set_coach(
                    acting_user=request.user, onboarding=obj, coach=obj.coach
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    def view_on_site(self, obj):
        return reverse("members:onboarding_detail", kwargs={"slug": obj.ecosystem.slug})


@admin.register(OnboardingTick)
class OnboardingTickAdmin(ReadOnlyAdmin):
    list_display = ["ecosystem", "key", "ticked_by", "ticked_at"]
    list_filter = ["key"]
    search_fields = ["ecosystem__name"]
    list_select_related = ["ecosystem", "ticked_by"]
