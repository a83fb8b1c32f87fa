"""Recording money received and refunded. One function per fact; each locks the invoice
row, is idempotent by the payment's external reference, and recomputes the invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.payments.hooks import on_refunded, on_settled
from members.billing.selectors import SETTLED, ecosystem_standing
from members.billing.services.invoices import (
    flag_locked_invoice,
    invoice_recalculate,
    invoice_snapshot,
)
from members.models import Ecosystem, Invoice, Payment
from members.selectors import lead_emails
from slecop.errors import Conflict, DomainError
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    created: bool

    @property
    def applied(self) -> bool:
        return self.payment.status == Payment.Status.APPLIED


def _hold_reason(*, invoice: Invoice, amount_cents: int, currency: str, exact: bool) -> str:
    if invoice.status == Invoice.Status.VOID:
        return f"payment received for void invoice {invoice.number}"
    if currency.upper() != invoice.currency.upper():
        return f"currency mismatch: received {currency.upper()}, invoice is {invoice.currency}"
    if amount_cents > invoice.balance_cents:
        return f"overpayment: received {amount_cents} cents, balance was {invoice.balance_cents}"
    if exact and amount_cents != invoice.balance_cents:
        return f"amount mismatch: received {amount_cents} cents, balance is {invoice.balance_cents}"
    return ""


@transaction.atomic
def payment_record(
    *,
    acting_user,
    invoice: Invoice,
    method: str,
    amount_cents: int,
    currency: str,
    external_id: str,
    received_at: datetime | None = None,
    exact: bool = False,
    hold_reason: str = "",
    note: str = "",
) -> PaymentResult:
    """Record money received for `invoice`.

    Idempotent by (method, external_id): recording the same payment again returns the
    first record. The payment is applied when it fits the balance (exactly, with
    `exact=True`, as for a card checkout created for the balance; at most the balance
    otherwise, so checks may be partial). Otherwise it is kept as `held` — the money is on
    record — and the invoice is flagged for staff; an invoice is never marked paid for the
    wrong amount or currency. A caller that knows better (a card checkout whose amount
    differs from what it was opened for) passes `hold_reason` to hold it regardless.

    When the payment settles the invoice, the `members.billing.payments.on_settled` handlers of
    the invoice's kind run inside this transaction."""
    if amount_cents <= 0:
        raise DomainError(_("The amount must be positive."), field="amount_cents")
    if not external_id.strip():
        raise DomainError(_("A payment reference is required."), field="external_id")
    invoice = lock_one(Invoice, invoice.pk)
    existing = Payment.objects.filter(method=method, external_id=external_id).first()
    if existing:
        if existing.invoice_id != invoice.pk:
            raise Conflict(
                _("Reference %(external_id)s is already recorded on another invoice.")
                % {"external_id": external_id}
            )
        return PaymentResult(existing, created=False)
    before = invoice_snapshot(invoice)
    reason = hold_reason or _hold_reason(
        invoice=invoice, amount_cents=amount_cents, currency=currency, exact=exact
    )
    payment = Payment(
        invoice=invoice,
        method=method,
        status=Payment.Status.HELD if reason else Payment.Status.APPLIED,
        amount_cents=amount_cents,
        currency=currency.upper(),
        external_id=external_id.strip(),
        received_at=received_at or timezone.now(),
        recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        note=(note or reason)[:255],
    )
    payment.full_clean(exclude=["invoice", "recorded_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:  # the same reference, recorded on another invoice
        raise Conflict(
            _("Reference %(external_id)s is already recorded.") % {"external_id": external_id}
        ) from exc
    if reason:
        flag_locked_invoice(acting_user=acting_user, invoice=invoice, reason=reason)
    else:
        invoice_recalculate(invoice)
    audit_log(
        actor=acting_user,
        action="payment.held" if reason else "payment.recorded",
        obj=payment,
        ecosystem=invoice.ecosystem,
        before=before,
        after={
            **invoice_snapshot(invoice),
            "method": method,
            "amount_cents": amount_cents,
            "currency": payment.currency,
            "external_id": payment.external_id,
        },
    )
    if not reason:
        _after_payment_applied(acting_user=acting_user, invoice=invoice, payment=payment)
        if invoice.is_settled and before["status"] not in SETTLED:
            on_settled.fire(invoice=invoice, payment=payment, acting_user=acting_user)
    return PaymentResult(payment, created=True)


def _after_payment_applied(*, acting_user, invoice: Invoice, payment: Payment) -> None:
    ecosystem = invoice.ecosystem
    if invoice.is_settled and ecosystem.status == Ecosystem.Status.LAPSED:
        ecosystem = ecosystem_reinstate_if_settled(acting_user=acting_user, ecosystem=ecosystem)
    send_templated_email(
        to=lead_emails([ecosystem.pk]).get(ecosystem.pk, []),
        template="members/email/payment_received",
        context={
            "ecosystem": ecosystem,
            "invoice": invoice,
            "payment": payment,
            "invoice_url": absolute_url(invoice.get_absolute_url()),
        },
    )


@transaction.atomic
def payment_set_refunded(
    *, acting_user, payment: Payment, refunded_cents: int, reference: str = ""
) -> Payment:
    """Set the total refunded on a payment (Stripe reports the cumulative amount, so this
    is idempotent). The invoice reopens with the refunded balance."""
    invoice = lock_one(Invoice, payment.invoice_id)
    payment = lock_one(Payment, payment.pk)
    if refunded_cents < 0 or refunded_cents > payment.amount_cents:
        raise DomainError(_("A refund must be between 0 and the amount paid."))
    if refunded_cents == payment.refunded_cents:
        return payment
    if refunded_cents < payment.refunded_cents:
        raise Conflict(_("A refund cannot be undone."), code="refund_decrease")
    before = {**invoice_snapshot(invoice), "refunded_cents": payment.refunded_cents}
    payment.refunded_cents = refunded_cents
    payment.save(update_fields=["refunded_cents"])
    if payment.status == Payment.Status.APPLIED:
        invoice_recalculate(invoice)
    audit_log(
        actor=acting_user,
        action="payment.refunded",
        obj=payment,
        ecosystem=invoice.ecosystem,
        before=before,
        after={**invoice_snapshot(invoice), "refunded_cents": refunded_cents, "ref": reference},
    )
    on_refunded.fire(
        invoice=invoice, payment=payment, refunded_cents=refunded_cents, acting_user=acting_user
    )
    return payment


@transaction.atomic
def ecosystem_reinstate_if_settled(*, acting_user, ecosystem: Ecosystem) -> Ecosystem:
    """A lapsed ecosystem whose dues are settled again becomes active (seed: paying
    reinstates it). No-op otherwise."""
    ecosystem = lock_one(Ecosystem, ecosystem.pk)
    if ecosystem.status != Ecosystem.Status.LAPSED:
        return ecosystem
    ecosystem.status = Ecosystem.Status.ACTIVE  # would the dues keep it in standing?
    if not ecosystem_standing(ecosystem).good:
        ecosystem.status = Ecosystem.Status.LAPSED
        return ecosystem
    ecosystem.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=acting_user,
        action="ecosystem.reinstated",
        obj=ecosystem,
        before={"status": Ecosystem.Status.LAPSED},
        after={"status": Ecosystem.Status.ACTIVE},
    )
    return ecosystem
