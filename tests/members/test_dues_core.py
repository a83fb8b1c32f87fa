"""Dues core: invoice numbering, payments, waivers, the good-standing rule."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from members.billing.selectors import ecosystem_standing, ecosystems_in_good_standing
from members.billing.services import (
    LineSpec,
    dues_invoice_open,
    invoice_add_line,
    invoice_create,
    invoice_void,
    payment_record,
    payment_set_refunded,
    scholarship_apply,
    scholarship_decide,
)
from members.models import AuditEntry, Ecosystem, Invoice, Payment, ScholarshipApplication
from slecop.errors import Conflict, DomainError
from tests.factories import (
    EcosystemFactory,
    make_in_good_standing,
    make_lapsed,
    membership_year,
    open_dues_invoice,
    pay_invoice,
)

pytestmark = pytest.mark.django_db


def test_dues_invoice_defaults_and_numbering(ecosystem, other_ecosystem):
    year = membership_year(2027)
    assert year.dues_cents == 300_000 and year.currency == "USD"
    assert year.due_date == date(2027, 1, 31) and year.grace_days == 60
    first, created = dues_invoice_open(acting_user=None, ecosystem=ecosystem, membership_year=year)
    second, _ = dues_invoice_open(acting_user=None, ecosystem=other_ecosystem, membership_year=year)
    assert created
    assert (first.number, second.number) == ("SLE-2027-0001", "SLE-2027-0002")
    assert first.total_cents == 300_000 and first.balance_cents == 300_000
    assert first.status == Invoice.Status.OPEN
    # opening again is a no-op
    again, created = dues_invoice_open(acting_user=None, ecosystem=ecosystem, membership_year=year)
    assert (again.pk, created) == (first.pk, False)
    assert AuditEntry.objects.filter(action="invoice.opened").count() == 2
    # numbering restarts per year
    third = open_dues_invoice(ecosystem, 2028)
    assert third.number == "SLE-2028-0001"


def test_payment_settles_and_is_idempotent_by_reference(
    ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    with django_capture_on_commit_callbacks(execute=True):
        first = payment_record(
            acting_user=None,
            invoice=invoice,
            method="check",
            amount_cents=100_000,
            currency="usd",
            external_id="CHK-1001",
        )
        replay = payment_record(
            acting_user=None,
            invoice=invoice,
            method="check",
            amount_cents=100_000,
            currency="USD",
            external_id="CHK-1001",
        )
    assert first.created and first.applied and not replay.created
    invoice.refresh_from_db()
    assert (invoice.paid_cents, invoice.balance_cents, invoice.status) == (100_000, 200_000, "open")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [lead.email]
    assert ecosystem.name in mailoutbox[0].subject

    pay_invoice(invoice, reference="CHK-1002")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance_cents) == ("paid", 0)
    assert invoice.settled_at is not None
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="payment.")] == [
        "payment.recorded",
        "payment.recorded",
    ]


@pytest.mark.parametrize(
    "amount, currency, exact, reason",
    [
        (400_000, "USD", False, "overpayment"),
        (300_000, "EUR", False, "currency mismatch"),
        (299_999, "USD", True, "amount mismatch"),
    ],
)
def test_mismatched_money_is_held_and_flagged_never_applied(
    ecosystem, amount, currency, exact, reason
):
    invoice = open_dues_invoice(ecosystem)
    result = payment_record(
        acting_user=None,
        invoice=invoice,
        method="stripe",
        amount_cents=amount,
        currency=currency,
        external_id="pi_123",
        exact=exact,
    )
    invoice.refresh_from_db()
    assert result.payment.status == Payment.Status.HELD
    assert invoice.status == "open" and invoice.paid_cents == 0
    assert invoice.flagged and reason in invoice.flag_reason
    assert AuditEntry.objects.filter(action="payment.held").count() == 1


def test_payment_on_void_invoice_is_held(ecosystem):
    invoice = open_dues_invoice(ecosystem)
    invoice_void(acting_user=None, invoice=invoice, reason="opened by mistake")
    result = payment_record(
        acting_user=None,
        invoice=invoice,
        method="wire",
        amount_cents=300_000,
        currency="USD",
        external_id="W-1",
    )
    assert result.payment.status == Payment.Status.HELD
    invoice.refresh_from_db()
    assert invoice.status == "void" and invoice.flagged


def test_an_invoice_with_payments_cannot_be_voided(ecosystem):
    invoice = make_in_good_standing(ecosystem)
    with pytest.raises(Conflict):
        invoice_void(acting_user=None, invoice=invoice, reason="mistake")
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_refund_reopens_the_invoice_and_is_idempotent(ecosystem):
    invoice = open_dues_invoice(ecosystem)
    payment = pay_invoice(invoice, method="stripe", reference="pi_1")
    payment_set_refunded(acting_user=None, payment=payment, refunded_cents=50_000)
    payment_set_refunded(acting_user=None, payment=payment, refunded_cents=50_000)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_cents, invoice.balance_cents) == ("open", 250_000, 50_000)
    assert AuditEntry.objects.filter(action="payment.refunded").count() == 1
    with pytest.raises(Conflict):
        payment_set_refunded(acting_user=None, payment=payment, refunded_cents=10_000)
    with pytest.raises(DomainError):
        payment_set_refunded(acting_user=None, payment=payment, refunded_cents=300_001)


def test_scholarship_partial_waiver_then_payment(
    ecosystem, lead, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    with django_capture_on_commit_callbacks(execute=True):
        application = scholarship_apply(
            acting_user=lead,
            invoice=invoice,
            full_waiver=False,
            requested_cents=200_000,
            narrative="Our district cut funding this year.",
        )
    assert {m.to[0] for m in mailoutbox} == {lead.email, "ties-staff@stemecosystems.org"}
    with pytest.raises(Conflict):  # one pending application per invoice
        scholarship_apply(
            acting_user=lead, invoice=invoice, full_waiver=True, requested_cents=None, narrative="x"
        )
    with django_capture_on_commit_callbacks(execute=True):
        scholarship_decide(
            acting_user=steward_user, application=application, approve=True, approved_cents=150_000
        )
    application.refresh_from_db()
    invoice.refresh_from_db()
    assert application.status == ScholarshipApplication.Status.PARTIALLY_APPROVED
    assert (invoice.total_cents, invoice.balance_cents) == (150_000, 150_000)
    assert invoice.lines.get(kind="waiver").amount_cents == -150_000
    assert "Partially approved" in mailoutbox[-1].subject
    pay_invoice(invoice)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    with pytest.raises(Conflict):
        scholarship_decide(acting_user=steward_user, application=application, approve=False)


def test_full_waiver_settles_the_invoice(ecosystem, lead, steward_user):
    invoice = open_dues_invoice(ecosystem)
    application = scholarship_apply(
        acting_user=lead, invoice=invoice, full_waiver=True, requested_cents=None, narrative="Help"
    )
    assert application.requested_cents == 300_000
    scholarship_decide(acting_user=steward_user, application=application, approve=True)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.total_cents) == ("waived", 0)
    assert ecosystem_standing(ecosystem).good


def test_waiver_cannot_exceed_the_current_balance(ecosystem, lead, steward_user):
    invoice = open_dues_invoice(ecosystem)
    application = scholarship_apply(
        acting_user=lead, invoice=invoice, full_waiver=True, requested_cents=None, narrative="Help"
    )
    payment_record(
        acting_user=None,
        invoice=invoice,
        method="check",
        amount_cents=250_000,
        currency="USD",
        external_id="C1",
    )
    with pytest.raises(Conflict, match="approve at most"):
        scholarship_decide(acting_user=steward_user, application=application, approve=True)
    scholarship_decide(
        acting_user=steward_user, application=application, approve=True, approved_cents=50_000
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance_cents) == ("paid", 0)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"full_waiver": False, "requested_cents": 0, "narrative": "x"}, "requested_amount"),
        ({"full_waiver": False, "requested_cents": 300_001, "narrative": "x"}, "requested_amount"),
        ({"full_waiver": True, "requested_cents": None, "narrative": "  "}, "narrative"),
    ],
)
def test_scholarship_application_validation(ecosystem, lead, kwargs, field):
    invoice = open_dues_invoice(ecosystem)
    with pytest.raises(DomainError) as excinfo:
        scholarship_apply(acting_user=lead, invoice=invoice, **kwargs)
    assert excinfo.value.field == field
    assert not ScholarshipApplication.objects.exists()


def test_service_line_reopens_a_paid_invoice(ecosystem):
    invoice = make_in_good_standing(ecosystem)
    invoice_add_line(
        acting_user=None,
        invoice=invoice,
        line=LineSpec("service", "Asset mapping platform", 75_000),
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance_cents) == ("open", 75_000)


def test_separate_invoice_for_seats(ecosystem):
    invoice = invoice_create(
        acting_user=None,
        ecosystem=ecosystem,
        kind="convening",
        lines=[LineSpec("convening_seat", "Extra seat: Fall convening", 45_000)],
    )
    assert invoice.kind == "convening" and invoice.balance_cents == 45_000
    assert invoice.membership_year is None


# --- good standing ---------------------------------------------------------------------


def test_standing_follows_the_dues_calendar(ecosystem):
    year = membership_year(2027)  # due 2027-01-31, grace 60 days → 2027-04-01
    assert not ecosystem_standing(ecosystem, on=date(2027, 1, 2)).good  # nothing on record
    invoice = open_dues_invoice(ecosystem, 2027)
    assert ecosystem_standing(ecosystem, on=date(2027, 1, 2)).good  # open, before due
    assert ecosystem_standing(ecosystem, on=year.grace_ends_on).good  # last day of grace
    late = ecosystem_standing(ecosystem, on=year.grace_ends_on + timedelta(days=1))
    assert not late.good and "unpaid" in late.reason
    pay_invoice(invoice)
    assert ecosystem_standing(ecosystem, on=date(2027, 12, 31)).good
    # paid 2027 carries into 2028 until the 2028 invoice is issued
    assert ecosystem_standing(ecosystem, on=date(2028, 1, 5)).good
    open_dues_invoice(ecosystem, 2028)
    assert ecosystem_standing(ecosystem, on=date(2028, 1, 5)).good  # open, in time
    assert not ecosystem_standing(ecosystem, on=date(2028, 6, 1)).good


def test_lapsed_or_withdrawn_status_loses_standing_even_if_paid(ecosystem):
    make_in_good_standing(ecosystem)
    assert ecosystem_standing(ecosystem).good
    for status in (Ecosystem.Status.LAPSED, Ecosystem.Status.WITHDRAWN):
        Ecosystem.objects.filter(pk=ecosystem.pk).update(status=status)
        ecosystem.refresh_from_db()
        assert not ecosystem_standing(ecosystem).good


def test_paying_reinstates_a_lapsed_ecosystem(ecosystem):
    invoice = make_lapsed(ecosystem)
    assert not ecosystem_standing(ecosystem).good
    pay_invoice(invoice)
    ecosystem.refresh_from_db()
    assert ecosystem.status == Ecosystem.Status.ACTIVE
    assert ecosystem_standing(ecosystem).good
    assert AuditEntry.objects.filter(action="ecosystem.reinstated", ecosystem=ecosystem).exists()


def test_python_and_sql_standing_rules_agree():
    """Every combination of status, this year's invoice, last year's invoice and day."""
    year, prev = membership_year(2027), membership_year(2026)
    statuses = ["active", "onboarding", "lapsed", "prospective"]
    invoice_states = [None, "open", "paid", "waived", "void"]
    days = [date(2027, 1, 15), year.grace_ends_on, year.grace_ends_on + timedelta(days=1)]
    ecosystems = []
    for status, current, previous in itertools.product(statuses, invoice_states, invoice_states):
        eco = EcosystemFactory(status=status)
        for state, my in ((current, year), (previous, prev)):
            if state is None:
                continue
            invoice, _ = dues_invoice_open(acting_user=None, ecosystem=eco, membership_year=my)
            Invoice.objects.filter(pk=invoice.pk).update(status=state)
        ecosystems.append(eco)
    for day in days:
        expected = {e.pk for e in ecosystems if ecosystem_standing(e, on=day).good}
        assert set(ecosystems_in_good_standing(on=day).values_list("pk", flat=True)) == expected
        assert expected  # the matrix has both outcomes on every day
        assert len(expected) < len(ecosystems)


def test_standing_panel_on_the_dashboard(client, ecosystem, lead):
    unpaid = open_dues_invoice(ecosystem, 2020)  # long past its grace period
    client.force_login(lead)
    body = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Not in good standing" in body
    invoice = make_in_good_standing(ecosystem)
    body = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Good standing" in body and invoice.number in body and unpaid.number not in body
    detail = client.get(invoice.get_absolute_url())
    assert detail.status_code == 200 and "3,000.00" in detail.content.decode()
