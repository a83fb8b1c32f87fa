"""Helpers for the dues tests: checkout sessions in a known state and Stripe-shaped,
Stripe-signed webhook deliveries."""

from __future__ import annotations

import secrets

import stripe
from django.urls import reverse

from members.billing.payments.base import CheckoutRequest
from members.billing.payments.simulator import SimulatorProvider, event_json, simulated_checkout_pay
from members.models import CheckoutSession, Invoice, SimulatedCheckout

WEBHOOK_SECRET = "whsec_test_portal_secret_0123456789"
WEBHOOK_URL = "/payments/stripe/webhook/"


def simulated_session(
    invoice: Invoice,
    *,
    amount: int | None = None,
    currency: str | None = None,
    paid: bool = True,
    remote_amount: int | None = None,
    remote_currency: str | None = None,
    status: str | None = None,
) -> CheckoutSession:
    """A simulator checkout for `invoice` as if the lead had opened it (`amount`: what it was
    opened for) and, with `paid`, paid it; `remote_*` and `status` change what the
    "provider" then says (a tampered amount, a pending bank debit, an expired session)."""
    amount = invoice.balance_cents if amount is None else amount
    currency = currency or invoice.currency
    created = SimulatorProvider().create_session(
        CheckoutRequest(
            invoice_id=invoice.pk,
            invoice_number=invoice.number,
            description="Test checkout",
            amount_cents=amount,
            currency=currency,
            success_url="/",
            cancel_url="/",
            idempotency_key=f"test-{secrets.token_hex(8)}",
            metadata={"ecosystem": invoice.ecosystem.slug},
        )
    )
    if paid:
        simulated_checkout_pay(session_id=created.session_id)
    changes = {"amount_total": remote_amount, "currency": remote_currency, "status": status}
    SimulatedCheckout.objects.filter(session_id=created.session_id).update(
        **{k: v for k, v in changes.items() if v is not None}
    )
    return CheckoutSession.objects.create(
        invoice=invoice,
        provider="simulator",
        session_id=created.session_id,
        idempotency_key=f"test-{created.session_id}",
        amount_cents=amount,
        currency=currency,
        url=created.url,
        expires_at=created.expires_at,
    )


def payment_intent_of(session: CheckoutSession) -> str:
    return SimulatedCheckout.objects.get(session_id=session.session_id).payment_intent


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> str:
    """A v1 snapshot event body as Stripe sends it (the simulator's builder)."""
    return event_json(event_type=event_type, data_object=obj, event_id=event_id)


def checkout_event(
    session: CheckoutSession | str,
    event_type: str = "checkout.session.completed",
    *,
    event_id: str | None = None,
    **fields,
) -> str:
    session_id = session if isinstance(session, str) else session.session_id
    obj = {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "status": "complete",
        **fields,
    }
    return event(event_type, obj, event_id=event_id)


def charge_refunded(
    payment_intent: str, amount_refunded: int, *, amount=300_000, currency="usd"
) -> str:
    return event(
        "charge.refunded",
        {
            "id": f"ch_{payment_intent}",
            "object": "charge",
            "amount": amount,
            "amount_refunded": amount_refunded,
            "currency": currency,
            "payment_intent": payment_intent,
            "refunded": amount_refunded == amount,
        },
    )


def dispute_created(payment_intent: str, amount=300_000) -> str:
    return event(
        "charge.dispute.created",
        {
            "id": f"dp_{secrets.token_hex(8)}",
            "object": "dispute",
            "amount": amount,
            "currency": "usd",
            "charge": f"ch_{payment_intent}",
            "payment_intent": payment_intent,
            "reason": "fraudulent",
            "status": "needs_response",
        },
    )


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe's own test helper for the Stripe-Signature header."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def deliver(client, payload: str, *, header: str | None = None, **sign_kwargs):
    return client.post(
        reverse("members:stripe_webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header if header is not None else sign(payload, **sign_kwargs),
    )


# --- invoices, checks and scholarships in one line -------------------------------------------


def seats_invoice(ecosystem, cents: int = 45_000, kind: str = "convening") -> Invoice:
    """A non-dues invoice, as the convenings or services apps will create them."""
    from members.billing.services import LineSpec, invoice_create

    line_kind = "convening_seat" if kind == "convening" else "service"
    return invoice_create(
        acting_user=None,
        ecosystem=ecosystem,
        kind=kind,
        lines=[LineSpec(line_kind, f"Extra seat: Fall convening ({kind})", cents)],
    )


def record_check(invoice: Invoice, cents: int, reference: str, **kwargs):
    from members.billing.services import payment_record

    return payment_record(
        acting_user=None,
        invoice=invoice,
        method="check",
        amount_cents=cents,
        currency="USD",
        external_id=reference,
        **kwargs,
    )


def full_waiver_application(ecosystem, invoice: Invoice | None = None):
    """A pending full-waiver application by a (new) lead of `ecosystem`."""
    from members.billing.services import scholarship_apply
    from tests.factories import make_lead, open_dues_invoice

    return scholarship_apply(
        acting_user=make_lead(ecosystem),
        invoice=invoice or open_dues_invoice(ecosystem),
        full_waiver=True,
        requested_cents=None,
        narrative="Our district cut funding this year.",
    )
