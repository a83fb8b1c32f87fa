"""The stewards' count between close and certification (issue 27, item 1): every contest
in full, small ones included, every instant-runoff round with its transfers, exhausted
ballots and the tie-break applied; stewards and superusers only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from elections import services
from elections.models import Contest, Election
from tests.elections.factories import candidates, contest, election_with_contests
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead, region

pytestmark = pytest.mark.django_db
IRV, PLURALITY = Contest.Method.IRV, Contest.Method.PLURALITY

# Seven Northeast ballots for the chair: a lot in round 1 (Cy and Di tied, never apart),
# a backwards tie-break in round 3 (Ada and Bo tied, Bo behind earlier), Ada elected in
# round 4 with Bo's ballots transferred. One West ballot: the West chair (one ballot, a
# small contest) and a blank chair ballot.
CHAIR_BALLOTS = [["Ada"]] * 3 + [["Bo", "Ada"]] * 2 + [["Cy"], ["Di", "Bo"]]


def voting_with_ballots() -> Election:
    """The election of CHAIR_BALLOTS, voting open, every ballot cast."""
    voters = []
    for slug, ranking in [("northeast", b) for b in CHAIR_BALLOTS] + [("west", [])]:
        eco = EcosystemFactory(region=region(slug))
        make_in_good_standing(eco)
        voters.append((eco, make_lead(eco), slug, ranking))
    election = election_with_contests(
        ("chair", IRV, ["Ada", "Bo", "Cy", "Di"]),
        ("regional-chair-west", PLURALITY, ["Wes", "Vi"]),
        phase="voting",
    )
    chair, west = contest(election), contest(election, "regional-chair-west")
    ids = {**candidates(election), **candidates(election, "regional-chair-west")}
    for eco, lead, slug, ranking in voters:
        choices = {chair.pk: [ids[n] for n in ranking]}
        if slug == "west":
            choices[west.pk] = [ids["Wes"]]
        services.ballot_cast(acting_user=lead, election=election, ecosystem=eco, choices=choices)
    return election


def _closed():
    election = voting_with_ballots()
    services.election_close(acting_user=None, election=election)
    election.refresh_from_db()
    return election


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_steward_sees_every_round_transfer_exhaustion_and_tie_break(client, steward_user):
    election = _closed()
    client.force_login(steward_user)
    response = client.get(reverse("admin:elections_election_count", args=[election.pk]))
    assert response.status_code == 200
    text = _text(response)
    for n in (1, 2, 3, 4):
        assert f"Round {n}" in text
    assert "Ada elected" in text and "Bo eliminated" in text
    assert "lot drawn when voting opened" in text  # round 1: Cy and Di never apart
    assert "backwards tie-break" in text  # round 3: Ada and Bo, Bo behind in round 1
    assert "5 (+2)" in text  # Ada's round 4: Bo's two ballots transferred to her
    assert "Exhausted or blank" in text
    # the small West contest, counts and all (the public sees its winner only)
    assert "Regional Committee Chair" in text or "West" in text
    assert "1 ballots, 0 blank" in text
    assert "Fewer than 5 ballots: the public sees the winner only." in text
    assert re.search(r"Wes 1 ", text) and re.search(r"Vi 0 ", text)
    assert "Wes elected" in text


def test_the_count_is_linked_from_the_change_page(client, steward_user):
    election = _closed()
    client.force_login(steward_user)
    change = client.get(reverse("admin:elections_election_change", args=[election.pk]))
    assert reverse("admin:elections_election_count", args=[election.pk]) in change.content.decode()


def test_a_superuser_sees_it_and_nobody_else(client, superuser, staff_user, lead):
    election = _closed()
    url = reverse("admin:elections_election_count", args=[election.pk])
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    client.force_login(staff_user)  # TIES staff: they do not run elections
    assert client.get(url).status_code == 403
    client.force_login(lead)
    assert client.get(url).status_code == 302  # the admin's sign-in, never the count
    assert client.get(reverse("elections:results", args=[election.slug])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(reverse("elections:results", args=[election.slug])).status_code == 404
