"""Explicit hooks instead of signals: an app that sells something on an invoice registers
what to do when that kind of invoice is settled or a payment on it is refunded.

    # convenings/apps.py
    def ready(self):
        from members.billing.payments import on_refunded, on_settled

        on_settled.register("convening", "convenings.services.seats_invoice_settled")
        on_refunded.register("convening", "convenings.services.seats_invoice_refunded")

Handlers are called with keyword arguments, inside the transaction that changed the
invoice and after it was recomputed (the invoice row is locked, `invoice.status` and the
amounts are current):

    on_settled:  handler(*, invoice, payment, acting_user)        # payment None for waivers
    on_refunded: handler(*, invoice, payment, refunded_cents, acting_user)

A handler must be idempotent and quick. If it raises, the whole change rolls back (the
payment is not recorded; a webhook answers 500 and Stripe delivers it again later), so
money and what it paid for never disagree.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Handler = Callable[..., Any] | str


class InvoiceHook:
    """Handlers per invoice kind ("dues", "convening", "service"); "*" is every kind."""

    def __init__(self, name: str):
        self.name = name
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def register(self, kind: str, handler: Handler) -> None:
        """Register a callable or a dotted path (resolved when first fired, so apps need
        not import each other at start-up). Registering the same handler twice is a no-op."""
        if handler not in self._handlers[kind]:
            self._handlers[kind].append(handler)

    def unregister(self, kind: str, handler: Handler) -> None:
        if handler in self._handlers[kind]:
            self._handlers[kind].remove(handler)

    def handlers(self, kind: str) -> list[Callable[..., Any]]:
        found = [*self._handlers.get(kind, ()), *self._handlers.get("*", ())]
        return [import_string(h) if isinstance(h, str) else h for h in found]

    def fire(self, *, invoice, **kwargs) -> None:
        for handler in self.handlers(invoice.kind):
            logger.info("%s: %s for invoice %s", self.name, handler, invoice.number)
            handler(invoice=invoice, **kwargs)


on_settled = InvoiceHook("on_settled")
on_refunded = InvoiceHook("on_refunded")
