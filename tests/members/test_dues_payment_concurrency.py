"""Online payments under concurrency (PostgreSQL): the same webhook event delivered twenty
times at once records one payment — and without the locks and the uniqueness it would
not; twenty staff and stewards at once through the admin never drive a balance below
zero."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.billing.payments.webhooks import handle_webhook
from members.billing.services import scholarship_apply
from members.models import CheckoutSession, Invoice, Payment, ScholarshipApplication, StripeEvent
from slecop.errors import Conflict
from tests.concurrency import Rendezvous, run_concurrently
from tests.factories import EcosystemFactory, UserFactory, make_lead, open_dues_invoice
from tests.members.dues_helpers import checkout_event, sign, simulated_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("simulator"),
]


def _deliver_same_event_twenty_times(invoice):
    payload = checkout_event(simulated_session(invoice))
    header = sign(payload)
    return run_concurrently(lambda i: handle_webhook(payload.encode(), header), 20)


def test_twenty_concurrent_deliveries_of_one_event_record_one_payment():
    invoice = open_dues_invoice(EcosystemFactory(), 2031)
    results = _deliver_same_event_twenty_times(invoice)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert {r.status for r in results} == {200}
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 1
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_cents, invoice.flagged) == ("paid", 300_000, False)
    assert CheckoutSession.objects.get().status == "paid"


def test_twenty_concurrent_different_events_for_one_session_record_one_payment():
    """Stripe's completed and async_payment_succeeded (and retries of each) racing."""
    invoice = open_dues_invoice(EcosystemFactory(), 2031)
    session = simulated_session(invoice)
    payloads = [
        checkout_event(
            session,
            "checkout.session.completed" if i % 2 else "checkout.session.async_payment_succeeded",
        )
        for i in range(20)
    ]
    headers = [sign(p) for p in payloads]
    results = run_concurrently(lambda i: handle_webhook(payloads[i].encode(), headers[i]), 20)
    assert {getattr(r, "status", r) for r in results} == {200}
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 20
    invoice.refresh_from_db()
    assert (invoice.paid_cents, invoice.flagged) == (300_000, False)


def test_without_the_locks_and_the_uniqueness_the_race_is_real(monkeypatch):
    """The same twenty deliveries with the row locks replaced by plain reads and the
    (method, external id) uniqueness dropped: several payments for one event.

    Deterministic, not a timing bet: the first delivery to insert its payment waits
    (before its transaction commits) until a second delivery has inserted one too. With
    the locks, no second delivery could get there and the wait would time out; without
    them, the second arrives while the first still holds its unsaved reads."""
    from members.billing.services import payments

    both_inserted = Rendezvous(2)

    def unlocked(model, pk):
        return model._default_manager.get(pk=pk)

    for module in (
        "members.billing.services.checkout",
        "members.billing.services.payments",
        "members.billing.services.invoices",
    ):
        monkeypatch.setattr(f"{module}.lock_one", unlocked)
    monkeypatch.setattr("members.billing.services.checkout.advisory_lock", lambda name: None)
    monkeypatch.setattr(
        payments, "invoice_recalculate", both_inserted.before(payments.invoice_recalculate)
    )
    unique = next(c for c in Payment._meta.constraints if c.name == "payment_external_unique")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Payment, unique)
    try:
        invoice = open_dues_invoice(EcosystemFactory(), 2031)
        _deliver_same_event_twenty_times(invoice)
        assert both_inserted.arrived >= 2
        assert Payment.objects.filter(status="applied").count() > 1  # counted twice or more
    finally:
        CheckoutSession.objects.update(payment=None, status="open")
        Payment.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Payment, unique)


def _admin_clients(users):
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_twenty_concurrent_admin_payments_and_approvals_never_overdraw(steward_user):
    """Ten staff record 500.00 checks and ten stewards approve the same 1,500.00 waiver,
    all at once, through the admin forms: the balance never goes below zero."""
    from django.contrib.auth.models import Group

    ecosystem = EcosystemFactory()
    invoice = open_dues_invoice(ecosystem, 2031)
    application = scholarship_apply(
        acting_user=make_lead(ecosystem),
        invoice=invoice,
        full_waiver=False,
        requested_cents=150_000,
        narrative="Our district cut funding.",
    )
    staff_group, stewards = (
        Group.objects.get(name="TIES staff"),
        Group.objects.get(name="Stewardship team"),
    )
    users = []
    for i in range(20):
        user = UserFactory(is_staff=True)
        user.groups.add(stewards if i % 2 == 0 else staff_group)
        users.append(user)
    clients = _admin_clients(users)
    today = timezone.localdate().isoformat()

    def act(i: int):
        if i % 2:
            return (
                clients[i]
                .post(
                    reverse("admin:members_invoice_record_payment", args=[invoice.pk]),
                    {
                        "method": "check",
                        "amount": "500",
                        "reference": f"CHK-{i}",
                        "received_on": today,
                    },
                )
                .status_code
            )
        return (
            clients[i]
            .post(
                reverse("admin:members_scholarshipapplication_review", args=[application.pk]),
                {"decision": "approve"},
            )
            .status_code
        )

    statuses = run_concurrently(act, 20)
    assert set(statuses) <= {302, 400}, statuses  # done, or refused with a form error
    invoice.refresh_from_db()
    application.refresh_from_db()
    waived = -sum(line.amount_cents for line in invoice.lines.filter(kind="waiver"))
    applied = Payment.objects.filter(invoice=invoice, status="applied")
    assert invoice.lines.filter(kind="waiver").count() <= 1
    assert waived == application.approved_cents
    assert invoice.paid_cents == sum(p.net_cents for p in applied)
    assert 0 <= invoice.balance_cents == invoice.total_cents - invoice.paid_cents
    assert invoice.balance_cents == 0  # ten checks of 500 cover what is left either way
    assert Payment.objects.filter(invoice=invoice).count() == 10  # the excess held, not lost


def test_twenty_leads_applying_at_once_leave_one_pending_application():
    ecosystem = EcosystemFactory()
    invoice = open_dues_invoice(ecosystem, 2031)
    leads = [make_lead(ecosystem) for _ in range(20)]
    results = run_concurrently(
        lambda i: scholarship_apply(
            acting_user=leads[i],
            invoice=invoice,
            full_waiver=True,
            requested_cents=None,
            narrative=f"Application {i}",
        ),
        20,
    )
    assert sum(isinstance(r, ScholarshipApplication) for r in results) == 1
    assert all(isinstance(r, (ScholarshipApplication, Conflict)) for r in results)
    assert ScholarshipApplication.objects.filter(status="submitted").count() == 1
    assert Invoice.objects.get(pk=invoice.pk).status == "open"
