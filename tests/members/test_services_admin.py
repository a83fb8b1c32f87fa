"""Staff triage of service requests in the admin: pages and actions call the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import ServiceRequest
from tests.factories import EcosystemFactory, make_lead
from tests.members.factories_services import make_request, quote_service

pytestmark = pytest.mark.django_db


def admin_url(request, name):
    return reverse(f"admin:members_servicerequest_{name}", args=[request.pk])


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_change_page_links_the_steps_allowed_now(staff_client, ecosystem, lead):
    request = make_request(ecosystem, lead)
    html = staff_client.get(admin_url(request, "change")).content.decode()
    assert admin_url(request, "accept") in html and admin_url(request, "decline") in html
    assert admin_url(request, "schedule") not in html


def test_accept_a_quote_with_a_fee_typed_in_dollars(staff_client, ecosystem, lead):
    request = make_request(ecosystem, lead, quote_service())
    response = staff_client.post(admin_url(request, "accept"), {"fee_cents": "", "note": ""})
    assert response.status_code == 400 and "quoted fee" in response.content.decode()
    response = staff_client.post(admin_url(request, "accept"), {"fee_cents": "1,200.50"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.invoice.total_cents) == ("accepted", 120_050)


def test_schedule_in_the_past_is_a_form_error_then_schedule_and_decline(
    staff_client, ecosystem, lead
):
    request = make_request(ecosystem, lead)
    staff_client.post(admin_url(request, "accept"), {"fee_cents": ""})
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert (
        staff_client.post(admin_url(request, "schedule"), {"scheduled_for": past}).status_code
        == 400
    )
    future = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert (
        staff_client.post(admin_url(request, "schedule"), {"scheduled_for": future}).status_code
        == 302
    )
    assert (
        staff_client.post(admin_url(request, "decline"), {"reason": "Cancelled"}).status_code == 302
    )
    request.refresh_from_db()
    assert request.status == "declined" and request.invoice.status == "void"


def test_actions_assign_to_me_and_accept_at_catalog_fee(staff_client, staff_user):
    requests = []
    for _ in range(3):
        ecosystem = EcosystemFactory()
        requests.append(make_request(ecosystem, make_lead(ecosystem)))
    quoted_eco = EcosystemFactory()
    quoted = make_request(quoted_eco, make_lead(quoted_eco), quote_service())
    changelist = reverse("admin:members_servicerequest_changelist")
    ids = [str(r.pk) for r in [*requests, quoted]]
    staff_client.post(changelist, {"action": "assign_to_me", "_selected_action": ids})
    assert ServiceRequest.objects.filter(assigned_to=staff_user).count() == 4
    response = staff_client.post(
        changelist, {"action": "accept_at_catalog_fee", "_selected_action": ids}, follow=True
    )
    assert ServiceRequest.objects.filter(status="accepted").count() == 3
    assert "quoted fee" in response.content.decode()  # the quote is reported, not accepted


def test_stewardship_team_reads_but_cannot_triage(client, steward_user, ecosystem, lead):
    request = make_request(ecosystem, lead)
    client.force_login(steward_user)
    assert client.get(admin_url(request, "change")).status_code == 200
    assert client.post(admin_url(request, "accept"), {"fee_cents": ""}).status_code == 403
    request.refresh_from_db()
    assert request.status == "requested"
