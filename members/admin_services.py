"""Admin for add-on services, join applications and onboarding (issue 10). Requests and
applications change only through forms and actions that call the services (locked,
audited, emailed); the catalog itself is plain configuration."""

from __future__ import annotations

from functools import partialmethod

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from slecop.admin_utils import run_each
from slecop.errors import DomainError

from .admin import (
    MoneyAdminMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceFormMixin,
    ServicePage,
    money_column,
)
from .forms_services import (
    AcceptRequestForm,
    AssignRequestForm,
    JoinApproveForm,
    NoteForm,
    ReasonForm,
    ScheduleRequestForm,
)
from .models import (
    JoinApplication,
    Onboarding,
    OnboardingTick,
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)
from .money import format_cents
from .services import addons, joining, onboarding


class ServiceLinksMixin(ServiceFormMixin):
    """Links to the service pages allowed for the object's state, above its change form."""

    change_form_template = "admin/members/service_links_change_form.html"
    change_permission = ""

    def service_links(self, obj) -> list[tuple[str, str]]:
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        links = []
        if obj is not None and request.user.has_perm(self.change_permission):
            opts = self.model._meta
            links = [
                (label, reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[obj.pk]))
                for name, label in self.service_links(obj)
            ]
        extra = {**(extra_context or {}), "service_links": links}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def run_each(self, request, queryset, call, done: str) -> None:
        """An admin action: call the service for each selected row, report refusals."""
        run_each(
            self,
            request,
            queryset,
            call,
            lambda ok: f"{done} ({ok})",
            refused_level=messages.WARNING,
        )


@admin.register(Service)
class ServiceAdmin(MoneyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "pricing", "fee", "availability", "order"]
    list_filter = ["category", "pricing", "availability"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fee = money_column("fee_cents", _("Fee"), dash_for_zero=True)

    def has_delete_permission(self, request, obj=None):
        return False  # requests refer to it; set availability instead


class EventInline(ReadOnlyInline):
    model = ServiceRequestEvent
    fields = ["created_at", "kind", "actor", "note"]
    readonly_fields = fields


@admin.register(ServiceRequest)
class ServiceRequestAdmin(MoneyAdminMixin, ServiceLinksMixin, ReadOnlyAdmin):
    list_display = [
        "created_at",
        "ecosystem",
        "service",
        "status",
        "fee",
        "invoice",
        "assigned_to",
        "scheduled_for",
    ]
    list_filter = [
        "status",
        "service__category",
        "service",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        "ecosystem__region",
    ]
    search_fields = ["ecosystem__name", "service__name", "need", "invoice__number"]
    list_select_related = ["ecosystem", "service", "invoice", "assigned_to"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ServiceRequest._meta.fields]
    inlines = [EventInline]
    actions = ["assign_to_me", "accept_at_catalog_fee", "mark_completed"]
    change_permission = "members.change_servicerequest"
    service_views = {
        "accept": "accept",
        "schedule": "schedule",
        "assign": "assign",
        "complete": "complete",
        "decline": "decline",
    }
    fee = money_column("fee_cents", _("Fee"), dash_for_zero=True)

    def service_links(self, obj):
        status = ServiceRequest.Status
        links = []
        if obj.status == status.REQUESTED:
            links.append(("accept", _("Accept (fee or quote)")))
        if obj.status in (status.ACCEPTED, status.SCHEDULED):
            links += [("schedule", _("Schedule")), ("complete", _("Mark completed"))]
        if obj.status in ServiceRequest.OPEN:
            links += [("assign", _("Assign a staff member")), ("decline", _("Decline"))]
        return links

    def _page(self, request, pk: int, page_for):
        self.require(request, self.change_permission)
        obj = get_object_or_404(
            ServiceRequest.objects.select_related("ecosystem", "service", "invoice"), pk=pk
        )
        return self.service_page(request, obj, page_for(obj))

    def _facts(self, obj):
        return [
            (_("Ecosystem"), str(obj.ecosystem)),
            (_("Service"), f"{obj.service} ({obj.service.get_pricing_display()})"),
            (_("What they need"), obj.need),
            (_("Preferred timing"), obj.preferred_timing or "—"),
        ]

    def accept_view(self, request, pk: int):
        def page(obj):
            catalog = (
                format_cents(obj.service.fee_cents, obj.service.currency)
                if obj.service.fee_cents
                else obj.service.get_pricing_display()
            )
            return ServicePage(
                title=_("Accept the request of %s") % obj.ecosystem,
                form=AcceptRequestForm,
                call=lambda data: addons.service_request_accept(
                    acting_user=request.user, request=obj, **data
                ),
                success=_("Accepted; a fee was invoiced and the leads were emailed."),
                facts=[*self._facts(obj), (_("Catalog fee"), catalog)],
            )

        return self._page(request, pk, page)

    # step → (form, service, page title, success message, intro)
    STEPS = {
        "schedule": (
            ScheduleRequestForm,
            addons.service_request_schedule,
            _("Schedule the request of %s"),
            _("Scheduled; the leads were emailed."),
            "",
        ),
        "assign": (
            AssignRequestForm,
            addons.service_request_assign,
            _("Assign the request of %s"),
            _("Assigned; the staff member and the leads were emailed."),
            "",
        ),
        "complete": (
            NoteForm,
            addons.service_request_complete,
            _("Complete the request of %s"),
            _("Marked completed; the leads were emailed."),
            "",
        ),
        "decline": (
            ReasonForm,
            addons.service_request_decline,
            _("Decline the request of %s"),
            _("Declined; any unpaid invoice was voided and the leads were emailed."),
            _("A fee already paid must be refunded first (from its invoice)."),
        ),
    }

    def _step_view(self, request, pk: int, *, step: str):
        form, service, title, success, intro = self.STEPS[step]
        return self._page(
            request,
            pk,
            lambda obj: ServicePage(
                title=title % obj.ecosystem,
                form=form,
                call=lambda data: service(acting_user=request.user, request=obj, **data),
                success=success,
                facts=self._facts(obj),
                intro=intro,
            ),
        )

    schedule_view = partialmethod(_step_view, step="schedule")
    assign_view = partialmethod(_step_view, step="assign")
    complete_view = partialmethod(_step_view, step="complete")
    decline_view = partialmethod(_step_view, step="decline")

    def _action_allowed(self, request) -> bool:
        if request.user.has_perm(self.change_permission):
            return True
        self.message_user(request, _("You may not triage service requests."), messages.ERROR)
        return False

    @admin.action(description=_("Assign selected requests to me"))
    def assign_to_me(self, request, queryset):
        if self._action_allowed(request):
            self.run_each(
                request,
                queryset,
                lambda obj: addons.service_request_assign(
                    acting_user=request.user, request=obj, staff_member=request.user
                ),
                _("Assigned to you"),
            )

    @admin.action(description=_("Accept selected requests at the catalog fee (not quotes)"))
    def accept_at_catalog_fee(self, request, queryset):
        if self._action_allowed(request):
            self.run_each(
                request,
                queryset.select_related("service", "ecosystem"),
                lambda obj: addons.service_request_accept(acting_user=request.user, request=obj),
                _("Accepted"),
            )

    @admin.action(description=_("Mark selected requests completed"))
    def mark_completed(self, request, queryset):
        if self._action_allowed(request):
            self.run_each(
                request,
                queryset,
                lambda obj: addons.service_request_complete(acting_user=request.user, request=obj),
                _("Completed"),
            )


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
            from .selectors_services import coach_candidates

            kwargs["queryset"] = coach_candidates()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "coach" in form.changed_data:
            try:
                onboarding.onboarding_set_coach(
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
