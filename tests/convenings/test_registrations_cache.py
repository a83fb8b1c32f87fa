"""A lead's registrations page (convenings/views.py): every write it shows appears on the
next view (the ecosystem's own, another ecosystem's seat taken, the convening's edit), and
its forms carry each response's own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from convenings.services import registration_cancel
from tests.convenings.factories import register
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead, make_member

pytestmark = pytest.mark.django_db


def _page(ecosystem):
    return reverse("convenings:ecosystem_registrations", kwargs={"ecosystem": ecosystem.slug})


def test_every_write_it_shows_appears_on_the_next_view(lead_client, member_ecosystem, convening):
    def text():
        return lead_client.get(_page(member_ecosystem)).text

    other = EcosystemFactory()
    make_in_good_standing(other)
    assert "Seats left at the convening: 100." in text()
    mine = register(convening, member_ecosystem, attendee=None)
    assert mine.attendee_name in text() and "Included seats: 1 of 2 used" in text()
    register(convening, other)  # another ecosystem takes a seat
    assert "Seats left at the convening: 98." in text()
    registration_cancel(acting_user=None, registration=mine)
    assert "Included seats: 0 of 2 used" in text()
    convening.title = "Renamed convening"
    convening.save()
    assert "Renamed convening" in text()


def test_each_response_carries_its_own_csrf_token(member_ecosystem, convening, lead):
    second_lead = make_lead(member_ecosystem)
    first, second = (register(convening, member_ecosystem) for _ in range(2))
    for person, registration in ((lead, first), (second_lead, second)):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = client.get(_page(member_ecosystem)).text
        (token,) = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        url = reverse(
            "convenings:cancel", kwargs={"ecosystem": member_ecosystem.slug, "pk": registration.pk}
        )
        assert client.post(url, {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
        assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302, person
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "cancelled"


def test_a_member_never_gets_the_lead_s_cached_forms(client, member_ecosystem, convening, lead):
    register(convening, member_ecosystem)
    client.force_login(lead)
    assert "Register an attendee" in client.get(_page(member_ecosystem)).text
    client.force_login(make_member(member_ecosystem))
    html = client.get(_page(member_ecosystem)).text
    assert convening.title in html and "Register an attendee" not in html
