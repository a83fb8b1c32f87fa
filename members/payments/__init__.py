"""Online payments: the provider layer (Stripe Checkout, or the local simulator when no
Stripe key is configured), webhook verification, and the hooks other apps use to react
when an invoice is settled or refunded.

Kept import-light on purpose: services import `members.payments.hooks`; the providers
and the webhook handler are imported from their modules where they are used.

    from members.payments import on_refunded, on_settled

    on_settled.register("convening", "convenings.payments.seats_paid")
"""

from .hooks import on_refunded, on_settled

__all__ = ["on_refunded", "on_settled"]
