"""System checks for the payment settings (run by `manage.py check`, `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def stripe_settings(app_configs=None, **kwargs):
    errors = []
    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        errors.append(
            Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: every Stripe "
                "webhook would be refused and card payments only confirmed when the payer "
                "returns to the site.",
                hint="Copy the endpoint's signing secret (whsec_…) from the Stripe Dashboard.",
                id="members.E001",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def simulator_off_in_production(app_configs=None, **kwargs):
    if not settings.STRIPE_SECRET_KEY and settings.PAYMENTS_SIMULATOR:
        return [
            Warning(
                "The local payment simulator is on: leads can mark invoices paid without paying.",
                hint="Set STRIPE_SECRET_KEY, or PAYMENTS_SIMULATOR=0.",
                id="members.W001",
            )
        ]
    return []
