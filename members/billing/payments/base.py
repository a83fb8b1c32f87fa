"""The payment provider interface (after pretix's base/payment.py).

A provider opens a hosted checkout for an amount and later tells what became of it. It
never moves money itself: `create_session` ("prepare") only asks the provider for a page
where the payer pays, and `retrieve_session` re-reads the provider's truth, which is what
fulfilment trusts (webhook events are only the signal to look, and arrive out of order).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from slecop.errors import DomainError


class ProviderError(DomainError):
    """The provider could not be reached or refused the request; safe to retry later."""

    code = "provider_unavailable"
    http_status = 503


@dataclass(frozen=True)
class CheckoutRequest:
    invoice_id: int
    invoice_number: str
    description: str
    amount_cents: int
    currency: str  # ISO code, upper case
    success_url: str  # may contain Stripe's {CHECKOUT_SESSION_ID} placeholder
    cancel_url: str
    idempotency_key: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CreatedSession:
    session_id: str
    url: str
    amount_cents: int
    currency: str
    expires_at: datetime | None


@dataclass(frozen=True)
class SessionState:
    """A checkout session as the provider sees it now (Stripe's field names)."""

    session_id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    amount_cents: int
    currency: str  # upper case
    payment_intent: str
    metadata: dict[str, str]

    @property
    def paid(self) -> bool:
        return self.status == "complete" and self.payment_status == "paid"


class PaymentProvider(ABC):
    name: str  # stored on CheckoutSession.provider
    payment_method: str  # Payment.Method recorded for money received through it
    label: str
    #: True when real money moves (shown to payers and staff)
    live: bool

    @abstractmethod
    def create_session(self, request: CheckoutRequest) -> CreatedSession:
        """Open a hosted checkout for `request.amount_cents`; idempotent by
        `request.idempotency_key`. Raises ProviderError."""

    @abstractmethod
    def retrieve_session(self, session_id: str) -> SessionState:
        """The provider's current view of a session. Raises ProviderError."""
