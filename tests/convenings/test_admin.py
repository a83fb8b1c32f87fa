"""Admin: lists with filters and search, actions that call the services, capacity raise
fills from the waitlist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convenings.models import Registration
from tests.convenings.factories import ConveningFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_lists_filters_and_search(staff_client, convening, member_ecosystem):
    register(convening, member_ecosystem, attendee=attendee("Grace Hopper"))
    url = reverse("admin:convenings_registration_changelist")
    for query in (
        {},
        {"q": "hopper"},
        {"status__exact": "confirmed"},
        {"checked_in": "no"},
        {"convening__id__exact": convening.pk},
    ):
        response = staff_client.get(url, query)
        assert response.status_code == 200 and "Grace Hopper" in response.text
    assert staff_client.get(url, {"checked_in": "yes"}).text.count("Grace Hopper") == 0
    convenings = staff_client.get(reverse("admin:convenings_convening_changelist"))
    assert convening.title in convenings.text
    change = reverse("admin:convenings_registration_change", args=[Registration.objects.get().pk])
    assert staff_client.get(change).status_code == 200


def test_actions_call_the_services(staff_client, member_ecosystem):
    convening = ConveningFactory(capacity=1)
    first = register(convening, member_ecosystem)
    waiting = register(convening, member_ecosystem)
    url = reverse("admin:convenings_registration_changelist")
    staff_client.post(url, {"action": "check_in", "_selected_action": [first.pk, waiting.pk]})
    first.refresh_from_db()
    assert first.checked_in_at is not None  # the waitlisted one was refused, one by one
    staff_client.post(url, {"action": "cancel", "_selected_action": [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == "cancelled"


def test_raising_capacity_promotes_the_waitlist(staff_client):
    convening = ConveningFactory(capacity=1)
    ecosystems = EcosystemFactory.create_batch(3)
    for e in ecosystems:
        make_in_good_standing(e)
    regs = [register(convening, e) for e in ecosystems]
    assert [r.status for r in regs] == ["confirmed", "waitlisted", "waitlisted"]
    url = reverse("admin:convenings_convening_changelist")
    convening.capacity = 2
    convening.save()
    staff_client.post(url, {"action": "fill_from_waitlist", "_selected_action": [convening.pk]})
    statuses = list(
        Registration.objects.filter(convening=convening)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
