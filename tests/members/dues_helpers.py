"""Helpers for the dues tests: checkout sessions in a known state and Stripe-shaped,
Stripe-signed webhook deliveries."""

from __future__ import annotations

import json
import secrets
import time
from datetime import timedelta

import stripe
from django.urls import reverse
from django.utils import timezone

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
    opened for) and, with `paid`, paid it (`remote_*`: what the "provider" says was paid)."""
    amount = invoice.balance_cents if amount is None else amount
    currency = currency or invoice.currency
    session_id = f"cs_sim_{secrets.token_hex(10)}"
    SimulatedCheckout.objects.create(
        session_id=session_id,
        idempotency_key=f"test-{session_id}",
        amount_total=amount if remote_amount is None else remote_amount,
        currency=remote_currency or currency,
        metadata={
            "invoice_id": str(invoice.pk),
            "invoice_number": invoice.number,
            "ecosystem": invoice.ecosystem.slug,
        },
        status=status or ("complete" if paid else "open"),
        payment_status="paid" if paid else "unpaid",
        payment_intent=f"pi_sim_{secrets.token_hex(10)}" if paid else "",
        success_url="/",
        cancel_url="/",
        expires_at=timezone.now() + timedelta(hours=24),
    )
    return CheckoutSession.objects.create(
        invoice=invoice,
        provider="simulator",
        session_id=session_id,
        idempotency_key=f"test-{session_id}",
        amount_cents=amount,
        currency=currency,
        url=f"/sim/{session_id}",
        expires_at=timezone.now() + timedelta(hours=24),
    )


def payment_intent_of(session: CheckoutSession) -> str:
    return SimulatedCheckout.objects.get(session_id=session.session_id).payment_intent


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> str:
    """A v1 snapshot event body as Stripe sends it."""
    return json.dumps(
        {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
            "data": {"object": obj},
        }
    )


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
