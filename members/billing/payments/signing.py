"""Stripe's webhook signature scheme, for the local simulator (and tests):
`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, with one
`v1` per secret while a secret is being rotated. Verification is the stripe library's
own `Webhook.construct_event` (members.billing.payments.webhooks)."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable
from hashlib import sha256

from django.conf import settings

# The secret the simulator signs with when STRIPE_WEBHOOK_SECRET is empty. Public on
# purpose: it only ever exists where the simulator runs, i.e. where no money moves.
SIMULATOR_WEBHOOK_SECRET = "whsec_slecop_local_simulator_no_money_moves"  # noqa: S105


def simulator_enabled() -> bool:
    return not settings.STRIPE_SECRET_KEY and settings.PAYMENTS_SIMULATOR


def webhook_secret() -> str:
    if settings.STRIPE_WEBHOOK_SECRET:
        return settings.STRIPE_WEBHOOK_SECRET
    return SIMULATOR_WEBHOOK_SECRET if simulator_enabled() else ""


def signature_header(
    payload: str | bytes, secrets: str | Iterable[str], timestamp: int | None = None
) -> str:
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8")
    if isinstance(secrets, str):
        secrets = [secrets]
    t = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{t}.{payload}".encode()
    signatures = [hmac.new(s.encode(), signed, sha256).hexdigest() for s in secrets]
    return ",".join([f"t={t}", *(f"v1={sig}" for sig in signatures)])
