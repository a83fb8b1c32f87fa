"""Dues demo data (the members app's `seed_demo` hook): last year's and this year's
membership years and dues invoices — most paid (card, check, ACH, wire), some waived or
partly waived by scholarships, some open or with a scholarship pending, the lapsed
ecosystems unpaid. The first demo ecosystem (lead@example.org) keeps an open invoice so
the pay journey can be tried at once.

Bulk and idempotent: invoices come from `dues_invoices_open_bulk` (numbers allocated in
one block under one lock on the year's sequence row: gapless and unique), and only the
invoices opened by this run get payments and waivers, so a second run adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.audit import audit_log_bulk
from members.billing.services.invoices import (
    dues_dates,
    dues_invoices_open_bulk,
    membership_year_get_or_create,
)
from members.catalogue.demo import seed as seed_services
from members.management.commands.seed_demo import ecosystem_specs
from members.models import (
    Ecosystem,
    Invoice,
    InvoiceLine,
    MembershipYear,
    Payment,
    ScholarshipApplication,
)

BATCH = 1000
METHODS = [("stripe", 40), ("check", 30), ("ach", 20), ("wire", 10)]
NARRATIVES = [
    "Our largest funder ended its multi-year grant and our budget for the year is down a third.",
    "We are a volunteer-run network in a rural region; membership dues compete with "
    "program costs for the youth we serve.",
    "The school district cut its contribution to our backbone organisation this year.",
]


@dataclass
class Plan:
    """What this run writes, gathered first and inserted in bulk."""

    payments: list[Payment] = field(default_factory=list)
    applications: list[ScholarshipApplication] = field(default_factory=list)
    waivers: list[tuple[ScholarshipApplication, Invoice]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


def _received(invoice: Invoice, rng: random.Random) -> datetime:
    day = invoice.issued_on + timedelta(days=rng.randint(3, 70))
    moment = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), 0)))
    return min(moment, timezone.now())


def _pay(plan: Plan, invoice: Invoice, amount: int, rng: random.Random) -> None:
    method = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
    prefix = "pi_demo" if method == "stripe" else f"demo-{method}"
    plan.payments.append(
        Payment(
            invoice=invoice,
            method=method,
            status=Payment.Status.APPLIED,
            amount_cents=amount,
            currency=invoice.currency,
            external_id=f"{prefix}-{invoice.number}-{len(plan.payments)}",
            received_at=_received(invoice, rng),
            note="Demo data",
        )
    )
    invoice.paid_cents += amount


def _apply(plan: Plan, invoice: Invoice, requested: int, approved: int | None, rng) -> None:
    """A scholarship application; approved (amount) or pending (None)."""
    decided = approved is not None
    status = ScholarshipApplication.Status.SUBMITTED
    if decided:
        status = (
            ScholarshipApplication.Status.APPROVED
            if approved == requested
            else ScholarshipApplication.Status.PARTIALLY_APPROVED
        )
    application = ScholarshipApplication(
        invoice=invoice,
        ecosystem_id=invoice.ecosystem_id,
        full_waiver=requested == invoice.total_cents,
        requested_cents=requested,
        narrative=rng.choice(NARRATIVES),
        budget_context="Annual budget about $180,000; two part-time staff.",
        status=status,
        approved_cents=approved or 0,
        decided_at=_received(invoice, rng) if decided else None,
        decision_note="Approved by the stewardship team (demo data)." if decided else "",
    )
    plan.applications.append(application)
    if decided:
        plan.waivers.append((application, invoice))
        invoice.total_cents -= approved


# Rolls from here on leave the invoice open (partly paid, scholarship pending, unpaid).
STAYS_OPEN_FROM = 0.80


def _stays_open(rng: random.Random) -> bool:
    """Whether `_outcome`, given a generator in the same state, leaves the invoice open."""
    return rng.random() >= STAYS_OPEN_FROM


def _outcome(plan: Plan, invoice: Invoice, rng: random.Random, *, keep_open: bool) -> None:
    """Decide and stage what happened to one freshly opened invoice."""
    dues = invoice.total_cents
    roll = rng.random()
    if keep_open:
        plan.count("open")
    elif roll < 0.66:
        _pay(plan, invoice, dues, rng)
        plan.count("paid")
    elif roll < 0.72:
        _apply(plan, invoice, dues, dues, rng)
        plan.count("waived")
    elif roll < STAYS_OPEN_FROM:
        waived = rng.choice([dues // 2, dues // 3, dues // 4])
        _apply(plan, invoice, dues, waived, rng)
        _pay(plan, invoice, dues - waived, rng)
        plan.count("partly waived")
    elif roll < 0.85:
        _pay(plan, invoice, dues // 2, rng)
        plan.count("partly paid")
    elif roll < 0.90:
        _apply(plan, invoice, dues, None, rng)
        plan.count("scholarship pending")
    else:
        plan.count("open")
    if invoice.paid_cents == invoice.total_cents:  # as invoice_recalculate decides
        invoice.status = Invoice.Status.PAID if invoice.total_cents else Invoice.Status.WAIVED


def _write(plan: Plan, invoices: list[Invoice]) -> None:
    ScholarshipApplication.objects.bulk_create(plan.applications, batch_size=BATCH)
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                kind=InvoiceLine.Kind.WAIVER,
                description="Scholarship waiver",
                amount_cents=-application.approved_cents,
                scholarship=application,
            )
            for application, invoice in plan.waivers
        ],
        batch_size=BATCH,
    )
    Payment.objects.bulk_create(plan.payments, batch_size=BATCH)
    _update_invoices(invoices)
    audit_log_bulk(
        actor=None,
        action="payment.recorded",
        entries=[
            (p, p.invoice.ecosystem_id, {"amount_cents": p.amount_cents, "method": p.method})
            for p in plan.payments
        ],
    )
    audit_log_bulk(
        actor=None,
        action="scholarship.approved",
        entries=[
            (a, a.ecosystem_id, {"approved_cents": a.approved_cents}) for a, _ in plan.waivers
        ],
    )


def _update_invoices(invoices: list[Invoice]) -> None:
    """Store the staged amounts and statuses: one UPDATE per distinct (total, paid, status)
    and chunk — a handful, where bulk_update would build a CASE per row — then the
    settlement time from the last payment or the waiver decision."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for invoice in invoices:
        groups[(invoice.total_cents, invoice.paid_cents, invoice.status)].append(invoice.pk)
    for (total, paid, status), ids in groups.items():
        for start in range(0, len(ids), BATCH):
            Invoice.objects.filter(pk__in=ids[start : start + BATCH]).update(
                total_cents=total, paid_cents=paid, status=status
            )
    last_payment = Payment.objects.filter(invoice=OuterRef("pk")).order_by("-received_at")
    decision = ScholarshipApplication.objects.filter(
        invoice=OuterRef("pk"), decided_at__isnull=False
    ).order_by("-decided_at")
    ids = [i.pk for i in invoices if i.status in (Invoice.Status.PAID, Invoice.Status.WAIVED)]
    for start in range(0, len(ids), BATCH):
        Invoice.objects.filter(pk__in=ids[start : start + BATCH]).update(
            settled_at=Coalesce(
                Subquery(last_payment.values("received_at")[:1]),
                Subquery(decision.values("decided_at")[:1]),
            )
        )


def _open(year: MembershipYear, ids: list[int], issued_on=None) -> list[Invoice]:
    return dues_invoices_open_bulk(
        acting_user=None,
        membership_year=year,
        ecosystem_ids=ids,
        issued_on=issued_on or year.invoices_open_on,
    )


def _issued_late(current: MembershipYear, rows, *, exclude: set[int]) -> dict[int, date]:
    """The ecosystems (not lapsed) whose invoice of this year the demo leaves open, when
    the year's grace period has already ended: their invoice is dated a few days ago
    (an ecosystem invoiced late, e.g. after joining), so the demo shows open invoices
    within their time to pay, not good members past their grace period. Only the lapsed
    ecosystems are meant to be past it. {ecosystem id: issue date}."""
    today = timezone.localdate()
    if today <= dues_dates(current, current.invoices_open_on)[1]:
        return {}
    return {
        pk: max(
            current.invoices_open_on, today - timedelta(days=random.Random(slug).randint(3, 25))
        )
        for pk, slug, status, _ in rows
        if pk not in exclude
        and status != Ecosystem.Status.LAPSED
        and _stays_open(random.Random(f"dues-{current.year}-{slug}"))
    }


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    this_year = timezone.localdate().year
    first_slug = next(ecosystem_specs(1))["slug"]
    rows = list(
        ecosystems.filter(
            status__in=(
                Ecosystem.Status.ACTIVE,
                Ecosystem.Status.ONBOARDING,
                Ecosystem.Status.LAPSED,
            )
        )
        .order_by("pk")
        .values_list("pk", "slug", "status", "cohort_year")
    )
    plan = Plan()
    with transaction.atomic():
        last, current = (membership_year_get_or_create(year=y) for y in (this_year - 1, this_year))
        members_last_year = [pk for pk, _, _, cohort in rows if (cohort or 0) < this_year]
        # random outcomes keyed by slug, not pk: the same demo whatever ids the database gives
        slugs = {pk: slug for pk, slug, *_ in rows}
        last_invoices = _open(last, members_last_year)
        for invoice in last_invoices:  # last year: settled by everyone
            local = random.Random(f"dues-{last.year}-{slugs[invoice.ecosystem_id]}")
            _pay(plan, invoice, invoice.total_cents, local)
            invoice.status = Invoice.Status.PAID
        keep_open = {pk for pk, slug, status, _ in rows if slug == first_slug or status == "lapsed"}
        # The demo lead's invoice is issued today, so it is open *and* within its time to
        # pay: the pay journey can be tried while the ecosystem can still vote and register.
        first_pks = [pk for pk, slug, *_ in rows if slug == first_slug]
        late = _issued_late(current, rows, exclude=set(first_pks))
        current_invoices = _open(
            current, [pk for pk, *_ in rows if pk not in first_pks and pk not in late]
        )
        current_invoices += _open(current, first_pks, issued_on=timezone.localdate())
        for issued_on in sorted(set(late.values())):
            current_invoices += _open(
                current, [pk for pk, day in late.items() if day == issued_on], issued_on=issued_on
            )
        for invoice in current_invoices:
            local = random.Random(f"dues-{current.year}-{slugs[invoice.ecosystem_id]}")
            _outcome(plan, invoice, local, keep_open=invoice.ecosystem_id in keep_open)
        _write(plan, last_invoices + current_invoices)
    services_summary = seed_services(ecosystems=ecosystems, rng=rng, stdout=stdout)
    if not (last_invoices or current_invoices):
        return services_summary
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(plan.counts.items()))
    dues = (
        f"dues: {len(last_invoices)} invoices for {last.year} (paid), "
        f"{len(current_invoices)} for {current.year} ({summary})"
    )
    return "; ".join(filter(None, [dues, services_summary]))
