"""Public governance pages: Leadership, offices, committees; navigation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import CommitteeMember
from tests.factories import UserFactory, make_lead

from .factories import CommitteeFactory, make_term, office

pytestmark = pytest.mark.django_db

D = dt.date
LEADERSHIP = reverse("governance:leadership")


def _past_terms(count: int, ecosystem) -> None:
    """`count` past two-year terms, spread over the offices back in time."""
    slugs = ["chair", "vice-chair-communications", "vice-chair-events", "regional-chair-west"]
    for i in range(count):
        start = D(2024 - 2 * (i // len(slugs) + 1), 1, 1)
        make_term(slugs[i % len(slugs)], make_lead(ecosystem), start=start)


@pytest.mark.parametrize("past", [2, 30])
def test_leadership_page_query_count_is_constant_in_past_terms(
    client, ecosystem, past, travel, django_assert_max_num_queries
):
    travel(D(2026, 6, 1))
    _past_terms(past, ecosystem)
    for slug in ("chair", "vice-chair-services", "regional-chair-south"):
        make_term(slug, make_lead(ecosystem), start=D(2025, 1, 1))
    make_term("chair", make_lead(ecosystem), start=D(2027, 1, 1))  # incoming
    with django_assert_max_num_queries(8):
        response = client.get(LEADERSHIP)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(past, 25)


def test_leadership_shows_the_team_by_office_regions_liaison_and_past_terms(
    client, ecosystem, travel
):
    travel(D(2026, 6, 1))
    chair = make_lead(ecosystem, first_name="Amara", last_name="Osei")
    make_term("chair", chair, start=D(2025, 1, 1))
    make_term("regional-chair-west", make_lead(ecosystem, first_name="Kai"), start=D(2025, 1, 1))
    liaison = UserFactory(first_name="Terry", last_name="Ties")
    make_term("ties-liaison", liaison, start=D(2020, 1, 1), end=None)
    former = make_lead(ecosystem, first_name="Former", last_name="Chair")
    make_term("chair", former, start=D(2021, 1, 1))
    response = client.get(LEADERSHIP)
    seats = {s.office.slug: s for s in response.context["leadership"].seats}
    assert seats["chair"].holder == chair
    assert seats["vice-chair-events"].term is None
    assert seats["ties-liaison"].holder == liaison
    assert [s.office.region.name for s in response.context["leadership"].regional] == [
        "Northeast",
        "South",
        "Midwest",
        "West",
        "International/Global",
    ]
    body = response.content.decode()
    for text in ("Amara Osei", ecosystem.name, "Terry Ties", "Kai", "Former Chair", "Vacant"):
        assert text in body
    assert [t.person for t in response.context["page_obj"]] == [former]
    assert "interim leadership team" not in body


def test_an_interim_team_is_announced_and_names_never_leak_emails(client, travel):
    travel(D(2020, 6, 1))
    nameless = UserFactory(first_name="", last_name="", email="private.person@example.org")
    make_term("chair", nameless, start=D(2020, 1, 1), end=None, how_filled="interim")
    body = client.get(LEADERSHIP).content.decode()
    assert "interim leadership team" in body
    assert "private.person" not in body and "Name not given" in body


def test_office_page_shows_responsibilities_history_and_committees(client, ecosystem, travel):
    travel(D(2026, 6, 1))
    holder = make_lead(ecosystem, first_name="Dana")
    make_term("vice-chair-events", holder, start=D(2025, 1, 1))
    make_term("vice-chair-events", start=D(2023, 1, 1))
    committee = CommitteeFactory(name="Fall Convening Planning Committee")
    response = client.get(office("vice-chair-events").get_absolute_url())
    assert response.status_code == 200
    assert response.context["current"].person == holder
    assert len(response.context["terms"]) == 2
    body = response.content.decode()
    assert "event planner" in body and committee.name in body
    assert client.get(reverse("governance:office_detail", args=["no-such"])).status_code == 404


def test_committee_pages_list_active_and_past_committees_with_members(client, ecosystem, travel):
    travel(D(2026, 6, 1))
    active = CommitteeFactory(name="Regional Convening Committee")
    past = CommitteeFactory(
        name="2024 Convening Committee", active_from=D(2024, 1, 1), active_to=D(2024, 12, 31)
    )
    chair = make_lead(ecosystem, first_name="Rosa", last_name="Diaz")
    CommitteeMember.objects.create(committee=active, person=chair, role="chair")
    response = client.get(reverse("governance:committee_list"))
    assert list(response.context["active"]) == [active]
    assert list(response.context["past"]) == [past]
    detail = client.get(active.get_absolute_url())
    assert detail.status_code == 200
    assert "Rosa Diaz" in detail.content.decode() and "Vice Chair of Events" in (
        detail.content.decode()
    )
    assert client.get(reverse("governance:committee_detail", args=["nope"])).status_code == 404


def test_navigation_links_to_leadership_and_practice_groups(client):
    body = client.get("/").content.decode()
    assert f'href="{LEADERSHIP}"' in body
    assert f'href="{reverse("governance:practice_group_list")}"' in body


def test_practice_group_list_survives_bad_parameters(client):
    for params in ("?page=abc", "?page=999", "?q=" + "x" * 300):
        assert client.get(reverse("governance:practice_group_list") + params).status_code == 200
    assert client.get(LEADERSHIP + "?page=-1").status_code == 200
