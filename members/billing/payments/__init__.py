"""Online payments: the provider layer (Stripe Checkout, or the local simulator when no
Stripe key is configured), webhook verification, and the hooks other apps use to react
when an invoice is settled or refunded.

The modules import one way: `hooks` and `base` import nothing of the app; `simulator` and
`stripe_provider` implement `base`; `providers` picks one; `webhooks` (the handler, and the
simulator's delivery of its events) calls the checkout services, which use `providers`.

    from members.billing.payments import on_refunded, on_settled

    on_settled.register("convening", "convenings.payments.seats_paid")
"""

from .hooks import on_refunded, on_settled

__all__ = ["on_refunded", "on_settled"]
