"""Stripe webhook handling, shared by the HTTP endpoint and the local simulator.

1. Verify the signature with the stripe library (`Webhook.construct_event`: HMAC-SHA256
   over "<t>.<raw body>", any of several `v1` signatures during a secret rotation,
   timestamps older than 300 s refused). Forged, stale or malformed → 400, nothing stored.
2. Store the event once by its Stripe id (StripeEvent, unique). A replay of an event
   already processed → 200, nothing changes.
3. Dispatch by type to idempotent services (members.services.checkout), which re-read
   the provider's state and lock before writing: duplicate, concurrent and out-of-order
   deliveries change nothing twice.
4. Unknown types, unknown sessions or invoices → 200, stored with the outcome, logged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import stripe
from django.conf import settings

from members.services import checkout as checkout_services
from slecop.errors import DomainError

from .signing import webhook_secret
from .stripe_provider import field, object_id

logger = logging.getLogger(__name__)

CHECKOUT_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


@dataclass(frozen=True)
class WebhookResult:
    status: int
    message: str


def verify(payload: bytes, signature: str | None):
    """The verified event, or None (logged) for anything Stripe did not send."""
    secret = webhook_secret()
    if not secret:
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not configured")
        return None
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except stripe.SignatureVerificationError as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return None
    except ValueError as exc:  # not JSON / not UTF-8 / not a v1 snapshot event
        logger.warning("Stripe webhook refused: malformed payload (%s)", exc)
        return None
    event_id, event_type = field(event, "id"), field(event, "type")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 255):
        logger.warning("Stripe webhook refused: event without a usable id")
        return None
    if not (isinstance(event_type, str) and 0 < len(event_type) <= 100):
        logger.warning("Stripe webhook refused: event without a usable type")
        return None
    return event


def event_refs(event) -> tuple[str, str]:
    """(object id, payment intent) of the event's object, for lookups and the admin."""
    obj = field(field(event, "data"), "object")
    return object_id(field(obj, "id", "")), object_id(field(obj, "payment_intent", ""))


def handle_webhook(payload: bytes, signature: str | None) -> WebhookResult:
    event = verify(payload, signature)
    if event is None:
        return WebhookResult(400, "invalid or stale signature, or malformed event")
    obj_id, payment_intent = event_refs(event)
    record, _ = checkout_services.stripe_event_store(
        event_id=event.id,
        event_type=event.type,
        livemode=bool(field(event, "livemode", False)),
        object_id=obj_id,
        payment_intent=payment_intent,
        created=field(event, "created"),
        payload=json.loads(payload),
    )
    if record.processed_at is not None:
        return WebhookResult(200, f"already processed: {record.outcome}")
    try:
        outcome = dispatch(event)
    except DomainError as exc:  # busy lock, provider unreachable: Stripe will retry
        logger.warning("Stripe event %s not processed yet: %s", event.id, exc.message)
        return WebhookResult(503, exc.message)
    checkout_services.stripe_event_mark_processed(record=record, outcome=outcome)
    if outcome.startswith("ignored"):
        logger.warning("Stripe event %s (%s) %s", event.id, event.type, outcome)
    else:
        logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return WebhookResult(200, outcome)


def dispatch(event) -> str:
    obj = field(field(event, "data"), "object")
    if event.type in CHECKOUT_EVENTS:
        session_id = object_id(field(obj, "id", ""))
        if not session_id:
            return "ignored: checkout event without a session id"
        result = checkout_services.checkout_fulfil(
            session_id=session_id,
            payment_failed=event.type == "checkout.session.async_payment_failed",
        )
        return result.outcome
    if event.type == "charge.refunded":
        return checkout_services.card_refunds_apply(
            payment_intent=object_id(field(obj, "payment_intent", ""))
        )
    if event.type == "charge.dispute.created":
        return checkout_services.card_disputes_apply(
            payment_intent=object_id(field(obj, "payment_intent", ""))
        )
    return f"ignored: unhandled event type {event.type}"
