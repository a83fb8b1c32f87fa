"""Add-on services: a lead's request and staff triage (issue 10).

    requested → accepted (fee, free or quote) → scheduled → completed
              ↘ declined (from any open state)     ↘ withdrawn (by the lead, before acceptance)

Accepting a request with a fee opens a separate "service" invoice for it (never a line on
the dues invoice: an unpaid service fee must not cost an ecosystem its good standing),
paid through the same checkout, webhook and check/ACH path as dues. When that invoice is
settled, the `on_settled` hook records "fee paid" in the request's history, once.

Requests are locked FOR NO KEY UPDATE: a payment that settles the invoice inserts a
history row referencing the request (a KEY SHARE lock) while holding the invoice lock; a
plain FOR UPDATE here, taken before the invoice lock by a decline, could deadlock with it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.services.invoices import LineSpec, invoice_create, invoice_void
from members.catalogue.selectors import REQUESTING_STATUSES
from members.models import (
    Ecosystem,
    Invoice,
    InvoiceLine,
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)
from members.money import format_cents
from members.selectors import lead_emails
from slecop.errors import Conflict, DomainError
from slecop.locking import set_lock_timeout
from slecop.mail import absolute_url, send_templated_email

Status = ServiceRequest.Status
Event = ServiceRequestEvent.Kind
SERVICE_INVOICE_DAYS = 30


def _lock_request(request: ServiceRequest) -> ServiceRequest:
    set_lock_timeout()
    return (
        ServiceRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("service", "ecosystem", "invoice", "assigned_to")
        .get(pk=request.pk)
    )


def _event(request: ServiceRequest, kind: str, actor, note: str = "") -> ServiceRequestEvent:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return ServiceRequestEvent.objects.create(request=request, kind=kind, actor=actor, note=note)


def _notify(request: ServiceRequest, kind: str, note: str = "", extra_to=()) -> None:
    """Tell the ecosystem's leads (and `extra_to`) what happened to their request."""
    to = sorted({*lead_emails([request.ecosystem_id]).get(request.ecosystem_id, []), *extra_to})
    send_templated_email(
        to=to,
        template="members/email/service_request_update",
        context={
            "request": request,
            "ecosystem": request.ecosystem,
            "service": request.service,
            "kind": kind,
            "kind_label": Event(kind).label,
            "note": note,
            "fee": format_cents(request.fee_cents, request.service.currency)
            if request.fee_cents
            else "",
            "request_url": absolute_url(request.get_absolute_url()),
            "invoice_url": absolute_url(request.invoice.get_absolute_url())
            if request.invoice_id
            else "",
        },
    )


def _require(request: ServiceRequest, allowed: tuple, action: str) -> None:
    if request.status not in allowed:
        raise Conflict(
            _("This request is %(status)s; it cannot be %(action)s.")
            % {"status": request.get_status_display().lower(), "action": action},
            code="wrong_status",
        )


def _duplicate(ecosystem: Ecosystem, service: Service) -> Conflict:
    return Conflict(
        _("%(ecosystem)s already has a request for %(service)s waiting for review.")
        % {"ecosystem": ecosystem, "service": service},
        code="duplicate",
        field="service",
    )


@transaction.atomic
def service_request_create(
    *, acting_user, ecosystem: Ecosystem, service: Service, need: str, preferred_timing: str = ""
) -> ServiceRequest:
    """A lead asks for an add-on service. One pending request per service and ecosystem."""
    if not service.is_requestable:
        raise Conflict(_("%s is not available yet.") % service, code="not_available")
    if ecosystem.status not in REQUESTING_STATUSES:
        raise Conflict(
            _("Add-on services are for active and onboarding member ecosystems."),
            code="not_member",
        )
    if ServiceRequest.objects.filter(
        ecosystem=ecosystem, service=service, status=Status.REQUESTED
    ).exists():
        raise _duplicate(ecosystem, service)
    request = ServiceRequest(
        ecosystem=ecosystem,
        service=service,
        requested_by=acting_user,
        need=need.strip(),
        preferred_timing=preferred_timing.strip(),
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # a concurrent identical request
        raise _duplicate(ecosystem, service) from exc
    _event(request, Event.REQUESTED, acting_user, request.need)
    _notify(request, Event.REQUESTED)
    send_templated_email(
        to=[settings.STAFF_NOTIFICATION_EMAIL],
        template="members/email/service_request_new",
        context={
            "request": request,
            "ecosystem": ecosystem,
            "service": service,
            "admin_url": absolute_url(f"/admin/members/servicerequest/{request.pk}/change/"),
        },
    )
    return request


def _fee_for(service: Service, fee_cents: int | None) -> int:
    if service.pricing == Service.Pricing.FREE:
        if fee_cents:
            raise DomainError(_("%s is free for members.") % service, field="fee_cents")
        return 0
    if fee_cents is None:
        if service.pricing == Service.Pricing.FIXED:
            return service.fee_cents
        raise DomainError(_("Enter the quoted fee for this request."), field="fee_cents")
    if fee_cents < 0:
        raise DomainError(_("A fee cannot be negative."), field="fee_cents")
    return fee_cents


@transaction.atomic
def service_request_accept(
    *, acting_user, request: ServiceRequest, fee_cents: int | None = None, note: str = ""
) -> ServiceRequest:
    """Accept a request at the catalog fee, a quoted fee (`fee_cents`), or free. A fee
    opens a service invoice for it, which the leads pay like dues."""
    request = _lock_request(request)
    _require(request, (Status.REQUESTED,), _("accepted"))
    fee = _fee_for(request.service, fee_cents)
    if fee:
        request.invoice = invoice_create(
            acting_user=acting_user,
            ecosystem=request.ecosystem,
            kind=Invoice.Kind.SERVICE,
            currency=request.service.currency,
            due_date=timezone.localdate() + timedelta(days=SERVICE_INVOICE_DAYS),
            lines=[
                LineSpec(
                    InvoiceLine.Kind.SERVICE,
                    f"{request.service.name} (request #{request.pk})",
                    fee,
                )
            ],
        )
    request.fee_cents = fee
    request.status = Status.ACCEPTED
    request.save(update_fields=["fee_cents", "invoice", "status", "updated_at"])
    _event(request, Event.ACCEPTED, acting_user, note)
    audit_log(
        actor=acting_user,
        action="service_request.accepted",
        obj=request,
        ecosystem=request.ecosystem,
        before={"status": Status.REQUESTED},
        after={
            "status": request.status,
            "fee_cents": fee,
            "invoice": request.invoice.number if request.invoice else None,
        },
    )
    _notify(request, Event.ACCEPTED, note)
    return request


@transaction.atomic
def service_request_schedule(
    *, acting_user, request: ServiceRequest, scheduled_for: date, note: str = ""
) -> ServiceRequest:
    """Set (or move) the date the service is delivered."""
    request = _lock_request(request)
    _require(request, (Status.ACCEPTED, Status.SCHEDULED), _("scheduled"))
    request.scheduled_for = scheduled_for
    request.status = Status.SCHEDULED
    request.save(update_fields=["scheduled_for", "status", "updated_at"])
    text = " ".join(filter(None, [scheduled_for.isoformat(), note.strip()]))
    _event(request, Event.SCHEDULED, acting_user, text)
    _notify(request, Event.SCHEDULED, note)
    return request


@transaction.atomic
def service_request_assign(*, acting_user, request: ServiceRequest, staff_member) -> ServiceRequest:
    """Make a staff member responsible for delivering the request; they are emailed."""
    if not (staff_member.is_active and staff_member.is_staff):
        raise DomainError(_("Only an active staff member can be assigned."), field="staff_member")
    request = _lock_request(request)
    _require(request, ServiceRequest.OPEN, _("assigned"))
    if request.assigned_to_id == staff_member.pk:
        return request
    request.assigned_to = staff_member
    request.save(update_fields=["assigned_to", "updated_at"])
    _event(request, Event.ASSIGNED, acting_user, staff_member.display_name)
    _notify(request, Event.ASSIGNED, staff_member.display_name, extra_to=[staff_member.email])
    return request


@transaction.atomic
def service_request_complete(
    *, acting_user, request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    request = _lock_request(request)
    _require(request, (Status.ACCEPTED, Status.SCHEDULED), _("completed"))
    request.status = Status.COMPLETED
    request.save(update_fields=["status", "updated_at"])
    _event(request, Event.COMPLETED, acting_user, note)
    _notify(request, Event.COMPLETED, note)
    return request


@transaction.atomic
def service_request_decline(*, acting_user, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Decline an open request; its unpaid invoice is voided. A paid fee must be refunded
    first (staff refund the payment from the invoice), so money and service agree."""
    if not reason.strip():
        raise DomainError(_("Say why the request is declined."), field="reason")
    request = _lock_request(request)
    _require(request, ServiceRequest.OPEN, _("declined"))
    before = request.status
    if request.invoice_id:
        invoice_void(
            acting_user=acting_user,
            invoice=request.invoice,
            reason=f"Service request #{request.pk} declined",
        )
    request.status = Status.DECLINED
    request.save(update_fields=["status", "updated_at"])
    _event(request, Event.DECLINED, acting_user, reason.strip())
    audit_log(
        actor=acting_user,
        action="service_request.declined",
        obj=request,
        ecosystem=request.ecosystem,
        before={"status": before},
        after={"status": request.status, "reason": reason.strip()},
    )
    _notify(request, Event.DECLINED, reason.strip())
    return request


@transaction.atomic
def service_request_withdraw(*, acting_user, request: ServiceRequest) -> ServiceRequest:
    """The lead takes back a request staff have not accepted yet."""
    request = _lock_request(request)
    _require(request, (Status.REQUESTED,), _("withdrawn"))
    request.status = Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    _event(request, Event.WITHDRAWN, acting_user)
    _notify(request, Event.WITHDRAWN)
    return request


def service_invoice_settled(*, invoice: Invoice, payment=None, acting_user=None) -> None:
    """on_settled hook for "service" invoices: note "fee paid" in each request's history,
    once (a replayed webhook or a second settlement after a refund adds nothing)."""
    for request in ServiceRequest.objects.filter(invoice=invoice).select_related(
        "ecosystem", "service", "invoice"
    ):
        if request.events.filter(kind=Event.PAID).exists():
            continue
        _event(request, Event.PAID, acting_user, invoice.number)
