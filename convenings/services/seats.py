"""Paid extra seats: the 30-minute hold, and the payment hooks that confirm or release
them (registered in ConveningsConfig.ready with members.billing.payments.on_settled/on_refunded).

The hooks run inside the payment's transaction with the invoice row locked, so they take
locks after it — the app's order (invoice, convening, ecosystem, registration)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from members.billing.services.invoices import flag_locked_invoice
from members.models import CheckoutSession, Invoice
from slecop.locking import lock_rows

from ..models import Registration
from .emails import hold_released_email, registration_emails_after_change
from .registrations import _audit, _lock_for_change, cancel_locked

Status = Registration.Status


def seats_invoice_settled(*, invoice: Invoice, payment, acting_user) -> None:
    """on_settled("convening"): confirm the seats held on this invoice. Idempotent: a
    replayed webhook finds nothing pending and changes nothing."""
    locked = lock_rows(Registration.objects.filter(invoice=invoice, status=Status.PENDING_PAYMENT))
    held = Registration.objects.filter(pk__in=[r.pk for r in locked]).select_related(
        "convening", "ecosystem"
    )
    now = timezone.now()
    for registration in held:
        before = {"status": registration.status}
        registration.status = Status.CONFIRMED
        registration.hold_expires_at = None
        registration.confirmed_at = now
        registration.save(update_fields=["status", "hold_expires_at", "confirmed_at"])
        _audit(
            "convening.paid_seat_confirmed", registration, acting_user=acting_user, before=before
        )
        registration_emails_after_change(registration)


def seats_invoice_refunded(*, invoice: Invoice, payment, refunded_cents: int, acting_user):
    """on_refunded("convening"): a refund that reopens the invoice releases its seats to
    the waitlist (a seat is never kept without being paid for)."""
    if invoice.status != Invoice.Status.OPEN:
        return
    for pk in Registration.objects.filter(
        invoice=invoice, status=Status.CONFIRMED, seat_kind=Registration.SeatKind.PAID
    ).values_list("pk", flat=True):
        registration = _lock_for_change(Registration(pk=pk))
        if registration.status == Status.CONFIRMED and not registration.checked_in_at:
            cancel_locked(registration, acting_user=acting_user, reason="refunded")


def paid_holds_release(*, now: datetime | None = None) -> int:
    """Release paid seats whose 30-minute hold ran out unpaid (Celery beat, every few
    minutes). Each in its own transaction; safe to run twice or on two workers. A hold
    whose bank payment is still processing is kept until the payment succeeds or fails.
    Returns how many holds were released."""
    now = now or timezone.now()
    ids = list(
        Registration.objects.filter(
            status=Status.PENDING_PAYMENT, hold_expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    return sum(_release_one(pk, now) for pk in ids)


@transaction.atomic
def _release_one(pk: int, now: datetime) -> bool:
    registration = _lock_for_change(Registration(pk=pk))
    if registration.status != Status.PENDING_PAYMENT or registration.hold_expires_at > now:
        return False  # paid, cancelled or extended meanwhile
    invoice = registration.invoice
    if CheckoutSession.objects.filter(
        invoice=invoice, status=CheckoutSession.Status.PROCESSING
    ).exists():
        return False
    money_on_record = invoice.payments.exists()
    if money_on_record:  # arrived but did not settle the invoice: a person decides
        flag_locked_invoice(
            acting_user=None,
            invoice=invoice,
            reason=f"seat hold expired with a payment on record ({registration.attendee_name})",
        )
    cancel_locked(registration, acting_user=None, reason="hold_expired", now=now)
    if not money_on_record:
        hold_released_email(registration)
    return True
