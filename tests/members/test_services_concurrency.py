"""Issue 10 under concurrency (PostgreSQL): locks in the services, constraints behind."""

from __future__ import annotations

import pytest

from members.models import (
    Ecosystem,
    Invitation,
    Invoice,
    JoinApplication,
    ServiceRequest,
)
from members.services import addons, joining
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
