"""Admin of the add-on catalogue (issue 10). Requests change only through forms and
actions that call the services (locked, audited, emailed); the catalogue itself is plain
configuration."""

from __future__ import annotations

from functools import partialmethod

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from members.admin_money import MoneyAdminMixin, money_column
from members.catalogue import services
from members.catalogue.forms import (
    AcceptRequestForm,
    AssignRequestForm,
    NoteForm,
    ReasonForm,
    ScheduleRequestForm,
)
from members.models import (
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)
from members.money import format_cents
from slecop.admin_utils import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceLinksMixin,
    ServicePage,
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
                call=lambda data: services.service_request_accept(
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
            services.service_request_schedule,
            _("Schedule the request of %s"),
            _("Scheduled; the leads were emailed."),
            "",
        ),
        "assign": (
            AssignRequestForm,
            services.service_request_assign,
            _("Assign the request of %s"),
            _("Assigned; the staff member and the leads were emailed."),
            "",
        ),
        "complete": (
            NoteForm,
            services.service_request_complete,
            _("Complete the request of %s"),
            _("Marked completed; the leads were emailed."),
            "",
        ),
        "decline": (
            ReasonForm,
            services.service_request_decline,
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
                lambda obj: services.service_request_assign(
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
                lambda obj: services.service_request_accept(acting_user=request.user, request=obj),
                _("Accepted"),
            )

    @admin.action(description=_("Mark selected requests completed"))
    def mark_completed(self, request, queryset):
        if self._action_allowed(request):
            self.run_each(
                request,
                queryset,
                lambda obj: services.service_request_complete(
                    acting_user=request.user, request=obj
                ),
                _("Completed"),
            )
