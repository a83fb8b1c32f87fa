"""Which provider takes payments: Stripe when STRIPE_SECRET_KEY is set, otherwise the
local simulator (when PAYMENTS_SIMULATOR allows it, the default outside production),
otherwise none (leads are told how to pay by check, ACH or wire)."""

from __future__ import annotations

from django.conf import settings

from .base import PaymentProvider
from .signing import simulator_enabled
from .simulator import SimulatorProvider
from .stripe_provider import StripeProvider


def active_provider() -> PaymentProvider | None:
    if settings.STRIPE_SECRET_KEY:
        return StripeProvider()
    if simulator_enabled():
        return SimulatorProvider()
    return None


def provider_named(name: str) -> PaymentProvider:
    """The provider that opened a stored session (to re-read it, whatever is active now)."""
    if name == "stripe":
        return StripeProvider()
    if name == "simulator":
        return SimulatorProvider()
    raise ValueError(f"unknown payment provider {name!r}")
