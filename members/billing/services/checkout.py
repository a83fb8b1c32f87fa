"""Online checkout: open a provider session for an invoice's balance, and fulfil it.

`checkout_fulfil(session_id=...)` is the one idempotent fulfilment used by the webhook and
by the page the payer returns to (Stripe's fulfilment guidance; pretix's confirm step):
it re-reads the session from the provider (events arrive out of order and only say "look
again"), locks the invoice and the session, exits if the session was already fulfilled,
and records the money through `payment_record(exact=True)`. Money that does not match
what the session was opened for, or the invoice's balance now, is held and the invoice
flagged — never applied.

Refunds and disputes arrive as charge events keyed by payment intent. They are stored
before they are handled, and handled again when the payment they belong to is recorded,
under an advisory lock per payment intent, so neither order of arrival loses one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.payments.base import CheckoutRequest, PaymentProvider, SessionState
from members.billing.payments.providers import provider_named
from members.billing.services.invoices import flag_locked_invoice
from members.billing.services.payments import payment_record, payment_set_refunded
from members.models import CheckoutSession, Invoice, Payment, StripeEvent
from members.money import format_cents
from members.selectors import lead_emails
from slecop.errors import Conflict
from slecop.locking import advisory_lock, lock_one
from slecop.mail import absolute_url, send_templated_email

logger = logging.getLogger(__name__)

Status = CheckoutSession.Status
CARD_METHODS = (Payment.Method.STRIPE, Payment.Method.SIMULATOR)
# A session about to expire is not handed out again: the payer needs time on the page.
REUSE_MARGIN = timedelta(minutes=30)


@dataclass(frozen=True)
class FulfilResult:
    session: CheckoutSession | None
    outcome: str


# --- starting a checkout ---------------------------------------------------------------------


def invoice_check_payable(invoice: Invoice) -> None:
    """Refuse a checkout for an invoice with nothing to pay, or a payment under way."""
    if invoice.status != Invoice.Status.OPEN or invoice.balance_cents <= 0:
        raise Conflict(
            _("Invoice %(number)s has nothing left to pay.") % {"number": invoice.number},
            code="nothing_to_pay",
        )
    if CheckoutSession.objects.filter(invoice=invoice, status=Status.PROCESSING).exists():
        raise Conflict(
            _(
                "A bank payment for this invoice is still processing. We will email you when it "
                "clears; pay again only if it fails."
            ),
            code="processing",
        )


def checkout_idempotency_key(invoice: Invoice) -> str:
    """`inv-<id>-<balance>`, stable while the invoice's balance and its last session
    stay usable (a double click opens one session); a suffix once earlier sessions for
    the same balance were used up (paid and refunded, failed, expired)."""
    base = f"inv-{invoice.pk}-{invoice.balance_cents}"
    used = (
        CheckoutSession.objects.filter(invoice=invoice, amount_cents=invoice.balance_cents)
        .filter(~Q(status=Status.OPEN) | Q(expires_at__lte=timezone.now()))
        .count()
    )
    return f"{base}-r{used}" if used else base


def checkout_start(
    *,
    acting_user,
    invoice: Invoice,
    provider: PaymentProvider,
    success_url: str,
    cancel_url: str,
) -> CheckoutSession:
    """Open (or reuse) a checkout for the invoice's current balance. Never moves money.
    The provider is called outside any transaction; the session is stored before the
    payer is sent to it, so every session a payer can pay is known here."""
    invoice = Invoice.objects.select_related("ecosystem").get(pk=invoice.pk)
    invoice_check_payable(invoice)
    reusable = (
        CheckoutSession.objects.filter(
            invoice=invoice,
            provider=provider.name,
            status=Status.OPEN,
            amount_cents=invoice.balance_cents,
            currency=invoice.currency,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now() + REUSE_MARGIN))
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable
    key = checkout_idempotency_key(invoice)
    kind = invoice.get_kind_display()
    created = provider.create_session(
        CheckoutRequest(
            invoice_id=invoice.pk,
            invoice_number=invoice.number,
            description=f"{kind} — {invoice.ecosystem.name} — invoice {invoice.number}",
            amount_cents=invoice.balance_cents,
            currency=invoice.currency.upper(),
            success_url=success_url,
            cancel_url=cancel_url,
            idempotency_key=key,
            metadata={"ecosystem": invoice.ecosystem.slug},
        )
    )
    if (created.amount_cents, created.currency) != (invoice.balance_cents, invoice.currency):
        raise Conflict(_("The payment page was opened for another amount. Please try again."))
    with transaction.atomic():
        session, is_new = CheckoutSession.objects.get_or_create(
            session_id=created.session_id,
            defaults={
                "invoice": invoice,
                "provider": provider.name,
                "idempotency_key": key,
                "amount_cents": created.amount_cents,
                "currency": created.currency,
                "url": created.url,
                "expires_at": created.expires_at,
                "created_by": acting_user
                if getattr(acting_user, "is_authenticated", False)
                else None,
            },
        )
        if is_new:
            audit_log(
                actor=acting_user,
                action="checkout.started",
                obj=session,
                ecosystem=invoice.ecosystem,
                after={
                    "invoice": invoice.number,
                    "provider": provider.name,
                    "amount_cents": session.amount_cents,
                    "currency": session.currency,
                },
            )
    return session


# --- fulfilment --------------------------------------------------------------------------------


def checkout_fulfil(
    *, session_id: str, payment_failed: bool = False, acting_user=None
) -> FulfilResult:
    """Fulfil a checkout session if the provider says it is paid. Idempotent and safe to
    call concurrently; `payment_failed` is the hint of an async_payment_failed event."""
    session = CheckoutSession.objects.filter(session_id=session_id).first()
    if session is None:
        return FulfilResult(None, f"ignored: unknown checkout session {session_id}"[:255])
    if session.status in CheckoutSession.FINAL:
        return FulfilResult(session, f"already {session.status}")
    state = provider_named(session.provider).retrieve_session(session_id)  # outside the lock
    return _fulfil(
        session_pk=session.pk, state=state, payment_failed=payment_failed, acting_user=acting_user
    )


@transaction.atomic
def _fulfil(*, session_pk: int, state: SessionState, payment_failed: bool, acting_user):
    if state.payment_intent:
        advisory_lock(f"payment-intent:{state.payment_intent}")
    invoice_id = CheckoutSession.objects.values_list("invoice_id", flat=True).get(pk=session_pk)
    invoice = lock_one(Invoice, invoice_id)  # invoice first, as every money service does
    session = lock_one(CheckoutSession, session_pk)
    if session.status in CheckoutSession.FINAL:
        return FulfilResult(session, f"already {session.status}")
    if state.paid:
        return _record_payment(
            session=session, invoice=invoice, state=state, acting_user=acting_user
        )
    previous = session.status
    if state.status == "expired":
        session.status = Status.EXPIRED
    elif state.status == "complete":  # paid later (bank debit), or failed
        session.status = Status.FAILED if payment_failed else Status.PROCESSING
    if session.status != previous:
        session.save(update_fields=["status"])
        if session.status == Status.FAILED:
            _email_payment_failed(session=session, invoice=invoice)
    return FulfilResult(session, f"checkout {session.status} ({invoice.number})")


def _mismatch(session: CheckoutSession, state: SessionState) -> str:
    if state.metadata.get("invoice_id") not in (None, str(session.invoice_id)):
        return f"checkout {session.session_id} names invoice {state.metadata.get('invoice_id')}"
    if state.currency != session.currency.upper():
        return (
            f"checkout currency mismatch: paid {state.currency}, session was for {session.currency}"
        )
    if state.amount_cents != session.amount_cents:
        return (
            f"checkout amount mismatch: paid {state.amount_cents} cents, session was for "
            f"{session.amount_cents}"
        )
    return ""


def _record_payment(*, session, invoice, state, acting_user) -> FulfilResult:
    method = provider_named(session.provider).payment_method
    if state.amount_cents <= 0:
        flag_locked_invoice(
            acting_user=acting_user,
            invoice=invoice,
            reason=f"checkout {session.session_id} reported paid without an amount",
        )
        return FulfilResult(session, "ignored: paid session without an amount (flagged)")
    try:
        result = payment_record(
            acting_user=acting_user,
            invoice=invoice,
            method=method,
            amount_cents=state.amount_cents,
            currency=state.currency,
            external_id=state.payment_intent or session.session_id,
            exact=True,
            hold_reason=_mismatch(session, state),
            note=f"Checkout {session.session_id}",
        )
    except Conflict as exc:  # the reference is on another invoice: a person must look
        flag_locked_invoice(acting_user=acting_user, invoice=invoice, reason=exc.message)
        return FulfilResult(session, f"needs staff: {exc.message}"[:255])
    session.status = Status.PAID if result.applied else Status.HELD
    session.payment = result.payment
    session.payment_intent = state.payment_intent
    session.completed_at = timezone.now()
    session.save(update_fields=["status", "payment", "payment_intent", "completed_at"])
    if state.payment_intent:  # refunds or disputes that arrived before this payment
        card_refunds_apply(payment_intent=state.payment_intent)
        card_disputes_apply(payment_intent=state.payment_intent)
    verb = "applied" if result.applied else "held"
    return FulfilResult(
        session,
        f"payment {verb}: {format_cents(state.amount_cents, state.currency)} on {invoice.number}",
    )


def _email_payment_failed(*, session: CheckoutSession, invoice: Invoice) -> None:
    send_templated_email(
        to=lead_emails([invoice.ecosystem_id]).get(invoice.ecosystem_id, []),
        template="members/email/payment_failed",
        context={
            "ecosystem": invoice.ecosystem,
            "invoice": invoice,
            "session": session,
            "invoice_url": absolute_url(invoice.get_absolute_url()),
        },
    )


# --- refunds and disputes (charge events, keyed by payment intent) ----------------------------

WAITING = "waiting: no payment for "


def _waiting(payment_intent: str) -> str:
    return f"{WAITING}{payment_intent} yet"[:255]


def _settle_waiting_events(event_type: str, payment_intent: str, outcome: str) -> None:
    """Events stored as "waiting" for this payment were just handled along with it: they
    say what became of them, not "waiting" for ever."""
    StripeEvent.objects.filter(
        type=event_type,
        payment_intent=payment_intent,
        processed_at__isnull=False,
        outcome__startswith=WAITING,
    ).update(outcome=outcome[:255])


def _card_payment(payment_intent: str) -> Payment | None:
    if not payment_intent:
        return None
    return Payment.objects.filter(method__in=CARD_METHODS, external_id=payment_intent).first()


def _stored_objects(event_type: str, payment_intent: str) -> list[dict]:
    payloads = StripeEvent.objects.filter(
        type=event_type, payment_intent=payment_intent
    ).values_list("payload", flat=True)
    objects = []
    for payload in payloads:
        obj = (payload.get("data") or {}).get("object") if isinstance(payload, dict) else None
        if isinstance(obj, dict):
            objects.append(obj)
    return objects


@transaction.atomic
def card_refunds_apply(*, payment_intent: str) -> str:
    """Bring a card payment's refunded total up to the largest cumulative
    `amount_refunded` Stripe reported for it (charge.refunded events). Stale, replayed and
    reordered events change nothing; a refund for a payment not recorded yet waits for it."""
    if not payment_intent:
        return "ignored: refund without a payment intent"
    advisory_lock(f"payment-intent:{payment_intent}")
    payment = _card_payment(payment_intent)
    if payment is None:
        return _waiting(payment_intent)
    outcome = _card_refunds_apply(payment, payment_intent)
    _settle_waiting_events("charge.refunded", payment_intent, outcome)
    return outcome


def _card_refunds_apply(payment: Payment, payment_intent: str) -> str:
    # Read after the advisory lock: every refund event stored before it is seen here.
    refunds = _stored_objects("charge.refunded", payment_intent)
    if not refunds:
        return "no refund"
    invoice = lock_one(Invoice, payment.invoice_id)
    payment = lock_one(Payment, payment.pk)
    amounts = [
        obj["amount_refunded"]
        for obj in refunds
        if isinstance(obj.get("amount_refunded"), int)
        and str(obj.get("currency", "")).upper() == payment.currency
    ]
    refunded = max(amounts, default=0)
    if refunded <= payment.refunded_cents:
        return f"refund already recorded on {invoice.number}"
    if refunded > payment.amount_cents:
        flag_locked_invoice(
            acting_user=None,
            invoice=invoice,
            reason=f"refund of {refunded} cents reported on a payment of {payment.amount_cents}",
        )
        return f"needs staff: refund above the payment on {invoice.number}"
    payment_set_refunded(
        acting_user=None, payment=payment, refunded_cents=refunded, reference=payment_intent
    )
    return f"refunded {format_cents(refunded, payment.currency)} on {invoice.number}"


@transaction.atomic
def card_disputes_apply(*, payment_intent: str) -> str:
    """Flag the invoice of a disputed card payment for staff (charge.dispute.created)."""
    if not payment_intent:
        return "ignored: dispute without a payment intent"
    advisory_lock(f"payment-intent:{payment_intent}")
    disputes = _stored_objects("charge.dispute.created", payment_intent)
    if not disputes:
        return "no dispute"
    payment = _card_payment(payment_intent)
    if payment is None:
        return _waiting(payment_intent)
    outcome = _card_disputes_apply(payment, disputes)
    _settle_waiting_events("charge.dispute.created", payment_intent, outcome)
    return outcome


def _card_disputes_apply(payment: Payment, disputes: list[dict]) -> str:
    invoice = lock_one(Invoice, payment.invoice_id)
    flagged = []
    for dispute in disputes:
        dispute_id = str(dispute.get("id", ""))
        if invoice.flagged and dispute_id in invoice.flag_reason:
            continue
        amount = dispute.get("amount") if isinstance(dispute.get("amount"), int) else 0
        flag_locked_invoice(
            acting_user=None,
            invoice=invoice,
            reason=(
                f"card dispute {dispute_id} opened ({dispute.get('reason', 'no reason given')}): "
                f"{format_cents(amount, payment.currency)} — answer it in the Stripe Dashboard"
            ),
        )
        flagged.append(dispute_id)
    if not flagged:
        return f"dispute already flagged on {invoice.number}"
    return f"flagged {invoice.number} for dispute {', '.join(flagged)}"[:255]


# --- the webhook event log ----------------------------------------------------------------------


def stripe_event_store(
    *,
    event_id: str,
    event_type: str,
    livemode: bool,
    object_id: str,
    payment_intent: str,
    created,
    payload: dict,
) -> tuple[StripeEvent, bool]:
    """Store a verified event once by its id; (event, False) when it was already stored."""
    stripe_created = None
    if isinstance(created, int) and 0 < created < 2**31:
        stripe_created = datetime.fromtimestamp(created, tz=UTC)
    try:
        with transaction.atomic():
            return (
                StripeEvent.objects.create(
                    event_id=event_id,
                    type=event_type[:100],
                    livemode=livemode,
                    object_id=object_id[:255],
                    payment_intent=payment_intent[:255],
                    stripe_created=stripe_created,
                    payload=payload,
                ),
                True,
            )
    except IntegrityError:  # delivered before, or concurrently
        return StripeEvent.objects.get(event_id=event_id), False


def stripe_event_mark_processed(*, record: StripeEvent, outcome: str) -> None:
    StripeEvent.objects.filter(pk=record.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), outcome=outcome[:255]
    )
