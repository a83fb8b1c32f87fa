"""Issue 10 under concurrency (PostgreSQL): locks in the services, constraints behind."""

from __future__ import annotations

import pytest

from members.catalogue import services as addons
from members.models import (
    Ecosystem,
    Invitation,
    Invoice,
    JoinApplication,
    ServiceRequest,
)
from members.onboarding.services import joining
from slecop.errors import Conflict
from tests.concurrency import run_concurrently
from tests.factories import EcosystemFactory, UserFactory, make_lead, region
from tests.members.factories_services import JoinApplicationFactory, fixed_fee_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcomes(results):
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, Conflict) for e in errors), errors
    return len(results) - len(errors)


def test_ten_identical_requests_at_once_make_one():
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    service = fixed_fee_service()
    results = run_concurrently(
        lambda i: addons.service_request_create(
            acting_user=lead, ecosystem=ecosystem, service=service, need=f"need {i}"
        ),
        10,
    )
    assert outcomes(results) == 1
    assert ServiceRequest.objects.count() == 1


def test_ten_staff_accepting_the_same_request_open_one_invoice():
    ecosystem = EcosystemFactory()
    request = addons.service_request_create(
        acting_user=make_lead(ecosystem), ecosystem=ecosystem, service=fixed_fee_service(), need="x"
    )
    staff = UserFactory(is_staff=True)
    results = run_concurrently(
        lambda i: addons.service_request_accept(acting_user=staff, request=request), 10
    )
    assert outcomes(results) == 1
    assert Invoice.objects.filter(kind="service").count() == 1


def test_ten_approvals_of_one_application_create_one_ecosystem():
    application = JoinApplicationFactory()
    coach = UserFactory(is_staff=True)
    results = run_concurrently(
        lambda i: joining.join_application_approve(
            acting_user=coach, application=application, coach=coach
        ),
        10,
    )
    assert outcomes(results) == 1
    assert Ecosystem.objects.count() == 1
    assert Invitation.objects.count() == 1
    assert Invoice.objects.filter(kind="dues").count() == 1


def test_the_same_application_sent_ten_times_at_once_is_stored_once():
    south = region("south")
    results = run_concurrently(
        lambda i: joining.join_application_submit(
            region=south,
            ecosystem_name=f"Bayou STEM {'x' * (i % 2)}",  # two names, one email
            lead_email="same@example.org",
            lead_first_name="A",
            lead_last_name="B",
            partners="P",
            why="W",
        ),
        10,
    )
    assert outcomes(results) == 1
    assert JoinApplication.objects.count() == 1


def test_declining_while_the_fee_is_being_paid_never_deadlocks_or_disagrees():
    """A decline locks the request then the invoice; a payment locks the invoice then
    writes a history row pointing at the request. Either the payment wins (the decline
    is refused: refund first) or the decline wins (the invoice is void; the money is kept
    as held for staff, never applied) — never both, never a deadlock."""
    from members.billing.services import payment_record

    staff = UserFactory(is_staff=True)
    for round_ in range(5):
        ecosystem = EcosystemFactory()
        request = addons.service_request_create(
            acting_user=make_lead(ecosystem),
            ecosystem=ecosystem,
            service=fixed_fee_service(),
            need="x",
        )
        request = addons.service_request_accept(acting_user=staff, request=request)

        def act(i, request=request, round_=round_):
            if i == 0:
                return addons.service_request_decline(
                    acting_user=staff, request=request, reason="Cancelled"
                )
            return payment_record(
                acting_user=None,
                invoice=request.invoice,
                method="check",
                amount_cents=250_000,
                currency="USD",
                external_id=f"chk-{round_}",
            )

        results = run_concurrently(act, 2)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert all(isinstance(e, Conflict) for e in errors), results
        request.refresh_from_db()
        request.invoice.refresh_from_db()
        if request.status == "declined":
            assert not errors
            assert request.invoice.status == "void" and request.invoice.flagged
            assert request.invoice.payments.get().status == "held"
            assert not request.events.filter(kind="paid").exists()
        else:
            assert len(errors) == 1 and isinstance(results[0], Conflict)
            assert request.invoice.status == "paid"
            assert request.events.filter(kind="paid").count() == 1
