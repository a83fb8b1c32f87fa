"""Stripe Checkout through the official library's StripeClient.

`STRIPE_API_BASE` (tests: a local fake Stripe server) is passed as the client's
`base_addresses["api"]`: StripeClient ignores the global `stripe.api_base`. Since stripe
15 a StripeObject is not a dict, so fields are read as attributes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from .base import CheckoutRequest, CreatedSession, PaymentProvider, ProviderError, SessionState

logger = logging.getLogger(__name__)


def stripe_client() -> stripe.StripeClient:
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **options)


def field(obj, name: str, default=None):
    """A field of a StripeObject (or None/missing → default)."""
    if obj is None:
        return default
    try:
        value = getattr(obj, name)
    except (AttributeError, KeyError):
        return default
    return default if value is None else value


def object_id(value) -> str:
    """An id field that may be expanded into an object."""
    if isinstance(value, str):
        return value
    return str(field(value, "id", "") or "")


def metadata_dict(obj) -> dict[str, str]:
    metadata = field(obj, "metadata")
    if metadata is None:
        return {}
    data = metadata.to_dict() if hasattr(metadata, "to_dict") else dict(metadata)
    return {str(k): str(v) for k, v in data.items()}


class StripeProvider(PaymentProvider):
    name = "stripe"
    payment_method = "stripe"
    label = "Stripe"
    live = True

    def create_session(self, request: CheckoutRequest) -> CreatedSession:
        metadata = {
            "invoice_id": str(request.invoice_id),
            "invoice_number": request.invoice_number,
            **request.metadata,
        }
        params = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_cents,
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "client_reference_id": request.invoice_number,
            "metadata": metadata,
            "payment_intent_data": {
                "description": request.description,
                "metadata": metadata,
            },
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        try:
            session = stripe_client().v1.checkout.sessions.create(
                params, {"idempotency_key": request.idempotency_key}
            )
        except stripe.StripeError as exc:
            logger.exception("Stripe refused to open a checkout for %s", request.invoice_number)
            raise ProviderError(
                _("Card payments are not available right now. Please try again in a few minutes.")
            ) from exc
        expires = field(session, "expires_at")
        return CreatedSession(
            session_id=session.id,
            url=field(session, "url", ""),
            amount_cents=int(field(session, "amount_total", request.amount_cents)),
            currency=str(field(session, "currency", request.currency)).upper(),
            expires_at=datetime.fromtimestamp(int(expires), tz=UTC) if expires else None,
        )

    def retrieve_session(self, session_id: str) -> SessionState:
        try:
            session = stripe_client().v1.checkout.sessions.retrieve(session_id)
        except stripe.StripeError as exc:
            logger.warning("Could not read Stripe checkout session %s: %s", session_id, exc)
            raise ProviderError(
                _("We could not confirm the payment with Stripe yet. Please check back shortly.")
            ) from exc
        return SessionState(
            session_id=session.id,
            status=str(field(session, "status", "open")),
            payment_status=str(field(session, "payment_status", "unpaid")),
            amount_cents=int(field(session, "amount_total", 0)),
            currency=str(field(session, "currency", "")).upper(),
            payment_intent=object_id(field(session, "payment_intent", "")),
            metadata=metadata_dict(session),
        )
