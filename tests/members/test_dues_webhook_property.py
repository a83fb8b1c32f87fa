"""Property: whatever mix and order of webhook deliveries arrives — valid, replayed,
shuffled, forged, stale, wrong-amount, unknown — every invoice ends with exactly the money
its validly delivered events carried: nothing lost, nothing counted twice, and nothing
that was refused stored.

A seeded generator (SLECOP_WEBHOOK_SEED to explore other seeds) builds 1,000 deliveries,
signed in-process like Stripe, posted through the Django test client to the real endpoint.
"""

from __future__ import annotations

import os
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db.models import F, Sum

from members.billing.payments.signing import signature_header
from members.models import Invoice, Payment, StripeEvent
from tests.factories import EcosystemFactory, open_dues_invoice
from tests.members.dues_helpers import (
    WEBHOOK_SECRET,
    charge_refunded,
    checkout_event,
    deliver,
    dispute_created,
    event,
    payment_intent_of,
    record_check,
    simulated_session,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]

SEED = int(os.environ.get("SLECOP_WEBHOOK_SEED", "20260303"))
DELIVERIES = 1000
INVOICES = 36
DUES = 300_000
SCENARIOS = [
    "paid",
    "paid-async",
    "refund",
    "dispute",
    "wrong-amount",
    "stale-balance",
    "two-sessions",
    "forged-only",
    "untouched",
]


@dataclass
class Expect:
    paid: int = 0
    held: int = 0
    applied: int = 0
    flagged: bool = False


@dataclass
class Plan:
    rng: random.Random
    valid: dict[str, str] = field(default_factory=dict)  # event id → payload
    forged_only: list[str] = field(default_factory=list)  # payloads never validly sent
    expect: dict[int, Expect] = field(default_factory=dict)

    def add(self, payload: str) -> None:
        import json

        self.valid[json.loads(payload)["id"]] = payload


def _scenario(plan: Plan, invoice: Invoice, name: str) -> None:
    expect = plan.expect[invoice.pk] = Expect()
    rng = plan.rng
    if name == "untouched":
        return
    if name == "stale-balance":  # a check arrived after the lead opened the card checkout
        session = simulated_session(invoice)
        check = rng.choice([50_000, 100_000, 250_000])
        record_check(invoice, check, f"CHK-{invoice.pk}")
        plan.add(checkout_event(session))
        expect.paid, expect.applied, expect.held, expect.flagged = check, 1, 1, True
        return
    if name == "wrong-amount":
        session = simulated_session(invoice, remote_amount=rng.choice([1, 150_000, 299_999]))
        plan.add(checkout_event(session))
        expect.held, expect.flagged = 1, True
        return
    if name == "two-sessions":  # paid in two browser tabs: one applies, one is held
        for _ in range(2):
            plan.add(checkout_event(simulated_session(invoice, amount=DUES)))
        expect.paid, expect.applied, expect.held, expect.flagged = DUES, 1, 1, True
        return
    session = simulated_session(invoice)
    if name == "forged-only":  # paid at the "provider", but no genuine event arrives
        plan.forged_only.append(checkout_event(session))
        return
    plan.add(checkout_event(session))
    expect.paid, expect.applied = DUES, 1
    if name == "paid-async":
        plan.add(checkout_event(session, "checkout.session.async_payment_succeeded"))
    elif name == "refund":
        pi = payment_intent_of(session)
        first = rng.randrange(1, DUES)
        final = rng.choice([first + (DUES - first) // 2, DUES])
        plan.add(charge_refunded(pi, first))
        plan.add(charge_refunded(pi, final))
        expect.paid = DUES - final
    elif name == "dispute":
        plan.add(dispute_created(payment_intent_of(session)))
        expect.flagged = True


def _unknown_events(plan: Plan, count: int) -> None:
    for i in range(count):
        kind = i % 3
        if kind == 0:
            plan.add(
                checkout_event(
                    f"cs_unknown_{secrets.token_hex(6)}",
                    metadata={"invoice_id": "999999", "invoice_number": "SLE-1999-9999"},
                    amount_total=DUES,
                )
            )
        elif kind == 1:
            plan.add(charge_refunded(f"pi_unknown_{secrets.token_hex(6)}", 10_000))
        else:
            plan.add(event("payment_intent.created", {"id": f"pi_{i}", "object": "payment_intent"}))


def _invalid(payload: str, rng: random.Random) -> tuple[str, str]:
    """A delivery Stripe did not make: (body, Stripe-Signature header)."""
    now = int(time.time())
    way = rng.choice(["secret", "stale", "tampered", "garbage", "unsigned"])
    if way == "secret":
        return payload, signature_header(payload, "whsec_attacker")
    if way == "stale":
        return payload, signature_header(payload, WEBHOOK_SECRET, now - rng.randint(301, 86_400))
    if way == "tampered":  # signed, then changed (still valid JSON)
        changed = payload.replace("300000", "3")[:-1] + " }"
        return changed, signature_header(payload, WEBHOOK_SECRET)
    if way == "garbage":
        return payload, "t=" + str(now) + ",v1=" + secrets.token_hex(32)
    return payload, ""


def _deliveries(plan: Plan) -> list[tuple[str, str, int]]:
    """(body, header, expected status), shuffled, exactly DELIVERIES of them."""
    rng = plan.rng
    out = []
    for payload in plan.valid.values():  # each genuine event at least once
        out.append((payload, signature_header(payload, WEBHOOK_SECRET), 200))
    for payload in plan.forged_only:
        out.append((*_invalid(payload, rng), 400))
    genuine = list(plan.valid.values())
    while len(out) < DELIVERIES:
        payload = rng.choice(genuine)
        roll = rng.random()
        if roll < 0.45:  # Stripe's retry: signed again
            out.append((payload, signature_header(payload, WEBHOOK_SECRET), 200))
        elif roll < 0.55:  # the very same request resent within the tolerance
            earlier = next(d for d in out if d[0] == payload and d[2] == 200)
            out.append(earlier)
        else:
            out.append((*_invalid(rng.choice(genuine + plan.forged_only), rng), 400))
    rng.shuffle(out)
    return out


def test_a_thousand_deliveries_leave_exactly_the_money_of_valid_events(client):
    rng = random.Random(SEED)
    plan = Plan(rng=rng)
    invoices = [open_dues_invoice(e) for e in EcosystemFactory.create_batch(INVOICES)]
    for i, invoice in enumerate(invoices):  # every scenario, several times, in random order
        _scenario(plan, invoice, SCENARIOS[i % len(SCENARIOS)])
    _unknown_events(plan, 9)
    deliveries = _deliveries(plan)
    assert len(deliveries) == DELIVERIES

    statuses = Counter()
    for body, header, expected in deliveries:
        response = deliver(client, body, header=header)
        assert response.status_code == expected, (SEED, response.content, body[:200])
        statuses[expected] += 1
    assert statuses[200] > 300 and statuses[400] > 200  # a real mix was delivered

    # every genuine event stored exactly once; nothing refused was stored
    assert set(StripeEvent.objects.values_list("event_id", flat=True)) == set(plan.valid)
    assert StripeEvent.objects.filter(processed_at__isnull=True).count() == 0

    for invoice in invoices:
        invoice.refresh_from_db()
        expect = plan.expect[invoice.pk]
        applied = Payment.objects.filter(invoice=invoice, status=Payment.Status.APPLIED)
        net = applied.aggregate(s=Sum(F("amount_cents") - F("refunded_cents")))["s"] or 0
        label = (SEED, invoice.number, expect)
        assert invoice.paid_cents == net == expect.paid, label
        assert applied.count() == expect.applied, label
        assert Payment.objects.filter(invoice=invoice, status="held").count() == expect.held
        assert invoice.flagged == expect.flagged, label
        assert 0 <= invoice.paid_cents <= invoice.total_cents
        assert invoice.status == ("paid" if invoice.paid_cents == DUES else "open"), label
    expected_payments = sum(e.applied + e.held for e in plan.expect.values())
    assert Payment.objects.count() == expected_payments
