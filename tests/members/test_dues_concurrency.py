"""Money under concurrency (PostgreSQL): row locks in the services, constraints behind."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from members.billing.services import payment_record, scholarship_apply, scholarship_decide
from members.models import Invoice, Payment
from slecop.errors import Conflict
from tests.concurrency import run_concurrently
from tests.factories import EcosystemFactory, make_lead, membership_year, open_dues_invoice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_invoice_numbers_are_sequential_without_gaps_under_concurrency():
    year = membership_year(2031)
    ecosystems = EcosystemFactory.create_batch(20)
    from members.billing.services import dues_invoice_open

    results = run_concurrently(
        lambda i: dues_invoice_open(
            acting_user=None, ecosystem=ecosystems[i], membership_year=year
        ),
        20,
    )
    assert not [r for r in results if isinstance(r, BaseException)]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"SLE-2031-{n:04d}" for n in range(1, 21)]


def test_the_same_payment_delivered_twenty_times_is_recorded_once():
    invoice = open_dues_invoice(EcosystemFactory(), 2031)
    results = run_concurrently(
        lambda i: payment_record(
            acting_user=None,
            invoice=invoice,
            method="stripe",
            amount_cents=300_000,
            currency="USD",
            external_id="pi_same",
            exact=True,
        ),
        20,
    )
    assert not [r for r in results if isinstance(r, BaseException)]
    assert sum(r.created for r in results) == 1
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_cents) == ("paid", 300_000)


def test_concurrent_waivers_and_payments_never_drive_the_balance_below_zero():
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    invoice = open_dues_invoice(ecosystem, 2031)
    application = scholarship_apply(
        acting_user=lead,
        invoice=invoice,
        full_waiver=False,
        requested_cents=150_000,
        narrative="Our district cut funding.",
    )

    def act(i: int):
        if i % 2:  # ten checks of 500.00, more than enough to pay everything
            return payment_record(
                acting_user=None,
                invoice=invoice,
                method="check",
                amount_cents=50_000,
                currency="USD",
                external_id=f"CHK-{i}",
            )
        # ten reviewers approving the same application at once
        return scholarship_decide(acting_user=lead, application=application, approve=True)

    results = run_concurrently(act, 20)
    unexpected = [
        r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)
    ]
    assert not unexpected
    invoice.refresh_from_db()
    application.refresh_from_db()
    applied = Payment.objects.filter(invoice=invoice, status="applied")
    waived = -sum(line.amount_cents for line in invoice.lines.filter(kind="waiver"))
    assert invoice.lines.filter(kind="waiver").count() <= 1  # approved at most once
    assert waived == application.approved_cents
    assert invoice.total_cents == 300_000 - waived
    assert invoice.paid_cents == sum(p.net_cents for p in applied)
    assert invoice.balance_cents == 0  # fully covered, never below zero
    assert Payment.objects.filter(invoice=invoice).count() == 10  # no money lost: the rest held
    assert invoice.flagged


def test_the_database_refuses_a_negative_balance_even_without_the_service():
    invoice = open_dues_invoice(EcosystemFactory(), 2031)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(paid_cents=300_001)
