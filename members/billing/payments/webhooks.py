"""Stripe webhook handling, shared by the HTTP endpoint and the local simulator.

1. Verify the signature with the stripe library (`WebhookSignature.verify_header`:
   HMAC-SHA256 over "<t>.<raw body>", any of several `v1` signatures during a secret
   rotation, timestamps older than 300 s refused). Forged, stale or malformed, or signed
   but not an event object (`[]`, `42`, `null`) → 400, nothing stored.
2. Store the event once by its Stripe id (StripeEvent, unique). A replay of an event
   already processed → 200, nothing changes. NUL characters (which PostgreSQL cannot
   store) become U+FFFD; an event whose id, type or object ids hold one is stored with
   its raw body and the outcome "malformed", and never acted on.
3. Dispatch by type to idempotent services (members.billing.services.checkout), which re-read
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

from members.billing.services import checkout as checkout_services
from slecop.errors import DomainError

from .signing import signature_header, webhook_secret
from .simulator import event_json, session_object, simulated_checkout_pay
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


NUL = "\x00"
REPLACEMENT = "\ufffd"
MALFORMED = "malformed: an id or the type contains a NUL character; stored, not processed"


@dataclass(frozen=True)
class Verified:
    """A delivery whose signature verified and whose body is a JSON object."""

    event: stripe.Event  # built from the cleaned body (NUL replaced by U+FFFD)
    payload: dict  # what is stored
    malformed: bool  # an id, the type or the object's id held a NUL: store, never act


def _without_nul(value):
    """`value` (parsed JSON) with every NUL in its text replaced by U+FFFD: PostgreSQL
    cannot store NUL in text or jsonb, and a free-text field (a description, a name) may
    legitimately carry anything."""
    if isinstance(value, str):
        return value.replace(NUL, REPLACEMENT)
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def _identifiers(data: dict) -> list:
    obj = data.get("data")
    obj = obj.get("object") if isinstance(obj, dict) else None
    obj = obj if isinstance(obj, dict) else {}
    return [data.get("id"), data.get("type"), obj.get("id"), obj.get("payment_intent")]


def verify(payload: bytes, signature: str | None) -> Verified | None:
    """The verified delivery, or None (logged) for anything Stripe did not send or that is
    not an event object: a forged, stale or unsigned body, a body that is not UTF-8 JSON,
    JSON that is not an object (`[]`, `42`, `null`), an event without an id or a type."""
    secret = webhook_secret()
    if not secret:
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not configured")
        return None
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
        data = json.loads(payload)
    except stripe.SignatureVerificationError as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return None
    except ValueError as exc:  # not UTF-8 (UnicodeDecodeError) or not JSON
        logger.warning("Stripe webhook refused: malformed payload (%s)", exc)
        return None
    if not isinstance(data, dict):
        logger.warning("Stripe webhook refused: signed, but not an event object")
        return None
    event_id, event_type = data.get("id"), data.get("type")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 255):
        logger.warning("Stripe webhook refused: event without a usable id")
        return None
    if not (isinstance(event_type, str) and 0 < len(event_type) <= 100):
        logger.warning("Stripe webhook refused: event without a usable type")
        return None
    malformed = any(isinstance(v, str) and NUL in v for v in _identifiers(data))
    clean = _without_nul(data)
    if malformed:
        # What arrived, kept for staff as the raw body: its NULs are JSON escapes
        # (`\u0000`), plain text that any database stores.
        text = payload.decode("utf-8") if isinstance(payload, bytes) else str(payload)
        clean = {**clean, "data": {"object": {}}, "raw_body": text.replace(NUL, "\\u0000")}
    event = stripe.Event.construct_from(clean, settings.STRIPE_SECRET_KEY or None)
    return Verified(event=event, payload=clean, malformed=malformed)


def event_refs(event) -> tuple[str, str]:
    """(object id, payment intent) of the event's object, for lookups and the admin."""
    obj = field(field(event, "data"), "object")
    return object_id(field(obj, "id", "")), object_id(field(obj, "payment_intent", ""))


def handle_webhook(payload: bytes, signature: str | None) -> WebhookResult:
    verified = verify(payload, signature)
    if verified is None:
        return WebhookResult(400, "invalid or stale signature, or malformed event")
    event = verified.event
    obj_id, payment_intent = event_refs(event)
    record, _ = checkout_services.stripe_event_store(
        event_id=event.id,
        event_type=event.type,
        livemode=bool(field(event, "livemode", False)),
        object_id=obj_id,
        payment_intent=payment_intent,
        created=field(event, "created"),
        payload=verified.payload,
    )
    if record.processed_at is not None:
        return WebhookResult(200, f"already processed: {record.outcome}")
    if verified.malformed:
        checkout_services.stripe_event_mark_processed(record=record, outcome=MALFORMED)
        logger.warning("Stripe event %r stored as malformed, not processed", event.id)
        return WebhookResult(200, MALFORMED)
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


def simulate_payment(*, session_id: str):
    """Pay a test session and deliver Stripe's `checkout.session.completed` event for it
    through the webhook handler (raw body + Stripe-Signature header, as over HTTP).
    Returns the handler's WebhookResult."""
    session = simulated_checkout_pay(session_id=session_id)
    payload = event_json(
        event_type="checkout.session.completed", data_object=session_object(session)
    )
    header = signature_header(payload, webhook_secret())
    return handle_webhook(payload.encode(), header)
