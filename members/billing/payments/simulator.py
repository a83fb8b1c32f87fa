"""The local checkout simulator: a stand-in for Stripe's hosted checkout when no Stripe key
is configured (the embedded default), so the whole journey works offline.

It keeps its own record of each test session (SimulatedCheckout, what Stripe's servers
would hold). When the payer clicks "Pay" on the clearly labelled test page, it marks the
session paid, builds the same `checkout.session.completed` event JSON Stripe would send,
signs it exactly like Stripe, and feeds the raw body and header to the same webhook
handler the real endpoint uses. No money moves.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Payment, SimulatedCheckout
from slecop.locking import lock_one

from .base import CheckoutRequest, CreatedSession, PaymentProvider, ProviderError, SessionState

SESSION_LIFETIME = timedelta(hours=24)  # as Stripe's default


class SimulatorProvider(PaymentProvider):
    name = "simulator"
    payment_method = Payment.Method.SIMULATOR
    label = "Test checkout (simulator)"
    live = False

    def create_session(self, request: CheckoutRequest) -> CreatedSession:
        now = timezone.now()
        with transaction.atomic():
            session = (
                SimulatedCheckout.objects.select_for_update()
                .filter(
                    idempotency_key=request.idempotency_key,
                    status=SimulatedCheckout.Status.OPEN,
                    expires_at__gt=now,
                )
                .first()
            )
            if session is None:  # like Stripe, the same key returns the same session
                session_id = f"cs_sim_{secrets.token_hex(12)}"
                session = SimulatedCheckout.objects.create(
                    session_id=session_id,
                    idempotency_key=request.idempotency_key,
                    amount_total=request.amount_cents,
                    currency=request.currency.upper(),
                    metadata={
                        "invoice_id": str(request.invoice_id),
                        "invoice_number": request.invoice_number,
                        **request.metadata,
                    },
                    success_url=request.success_url,
                    cancel_url=request.cancel_url,
                    expires_at=now + SESSION_LIFETIME,
                )
        return CreatedSession(
            session_id=session.session_id,
            url=simulator_url(session),
            amount_cents=session.amount_total,
            currency=session.currency,
            expires_at=session.expires_at,
        )

    def retrieve_session(self, session_id: str) -> SessionState:
        session = SimulatedCheckout.objects.filter(session_id=session_id).first()
        if session is None:
            raise ProviderError(_("No such test checkout session."))
        status = session.status
        if status == SimulatedCheckout.Status.OPEN and session.expires_at <= timezone.now():
            status = SimulatedCheckout.Status.EXPIRED
        return SessionState(
            session_id=session.session_id,
            status=status,
            payment_status=session.payment_status,
            amount_cents=session.amount_total,
            currency=session.currency,
            payment_intent=session.payment_intent,
            metadata=dict(session.metadata),
        )


def simulator_url(session: SimulatedCheckout) -> str:
    return reverse(
        "members:payment_simulator",
        kwargs={
            "ecosystem": session.metadata["ecosystem"],
            "number": session.metadata["invoice_number"],
            "session_id": session.session_id,
        },
    )


def return_url(template: str, session_id: str) -> str:
    return template.replace("{CHECKOUT_SESSION_ID}", session_id)


def session_object(session: SimulatedCheckout) -> dict:
    """The session as Stripe's API shapes a `checkout.session` object."""
    return {
        "id": session.session_id,
        "object": "checkout.session",
        "amount_total": session.amount_total,
        "amount_subtotal": session.amount_total,
        "currency": session.currency.lower(),
        "client_reference_id": session.metadata.get("invoice_number"),
        "created": int(session.created_at.timestamp()),
        "expires_at": int(session.expires_at.timestamp()),
        "livemode": False,
        "metadata": session.metadata,
        "mode": "payment",
        "payment_intent": session.payment_intent or None,
        "payment_status": session.payment_status,
        "status": session.status,
        "success_url": session.success_url,
        "cancel_url": session.cancel_url,
        "url": None,
    }


def event_json(*, event_type: str, data_object: dict, event_id: str | None = None) -> str:
    """A webhook event body exactly as Stripe sends it (snapshot event, API v1)."""
    event = {
        "id": event_id or f"evt_sim_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": data_object},
    }
    return json.dumps(event, separators=(",", ":"))


@transaction.atomic
def simulated_checkout_pay(*, session_id: str) -> SimulatedCheckout:
    """The payer pays on the test page: the "Stripe side" records it. Idempotent."""
    session = SimulatedCheckout.objects.filter(session_id=session_id).first()
    if session is None:
        raise ProviderError(_("No such test checkout session."))
    session = lock_one(SimulatedCheckout, session.pk)
    if session.status == SimulatedCheckout.Status.OPEN:
        if session.expires_at <= timezone.now():
            raise ProviderError(_("This test checkout expired. Start again from the invoice."))
        session.status = SimulatedCheckout.Status.COMPLETE
        session.payment_status = "paid"
        session.payment_intent = f"pi_sim_{secrets.token_hex(12)}"
        session.save(update_fields=["status", "payment_status", "payment_intent"])
    return session
