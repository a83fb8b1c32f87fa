"""The elections admin: pages open for both staff groups, phase and slate actions call the
services (refusals shown, nothing changed), only the Stewardship team runs elections,
and ballots are nowhere in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from elections.models import (
    Contest,
    ContestBallot,
    CountedReceipt,
    Election,
    Nomination,
    SealedBallot,
)
from elections.services import ballot_cast, nomination_create
from members.models import AuditEntry
from tests.elections.factories import (
    ContestFactory,
    ElectionFactory,
    admin_phase,
    candidates,
    contest,
    election_with_contests,
)
from tests.factories import make_in_good_standing, make_lead, make_member

pytestmark = pytest.mark.django_db
MODELS = ["election", "nomination", "candidate", "elector", "voterrecord"]


def _action(client, election, action):
    return admin_phase(client, election, action)


def _voted_election(ecosystem):
    make_in_good_standing(ecosystem)
    lead = make_lead(ecosystem)
    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada", "Bo"]), phase="voting")
    receipt = ballot_cast(
        acting_user=lead,
        election=election,
        ecosystem=ecosystem,
        choices={contest(election).pk: [candidates(election)["Bo"]]},
    )
    return election, receipt


@pytest.mark.parametrize("user", ["staff_user", "steward_user"])
def test_every_page_opens_and_never_shows_a_ballot(client, request, user, ecosystem):
    election, receipt = _voted_election(ecosystem)
    client.force_login(request.getfixturevalue(user))
    for model in MODELS:
        url = reverse(f"admin:elections_{model}_changelist")
        response = client.get(url + "?q=a")
        assert response.status_code == 200, model
        assert receipt not in response.content.decode()
    change = client.get(reverse("admin:elections_election_change", args=[election.pk]))
    assert change.status_code == 200 and receipt not in change.content.decode()
    voters = client.get(reverse("admin:elections_voterrecord_changelist")).content.decode()
    assert ecosystem.name in voters
    for model in (SealedBallot, ContestBallot, CountedReceipt):
        assert model not in admin.site._registry


def test_steward_runs_the_phases_from_the_admin(client, steward_user, ecosystem):
    election = ElectionFactory()
    ContestFactory(election=election)
    client.force_login(steward_user)
    response = _action(client, election, "election_open_voting")
    assert "cannot move" in response.content.decode()
    _action(client, election, "election_open_nominations")
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS
    entry = AuditEntry.objects.get(action="elections.phase_nominations")
    assert entry.actor == steward_user


def test_ties_staff_cannot_run_or_certify(client, staff_user, ecosystem):
    election, _receipt = _voted_election(ecosystem)
    client.force_login(staff_user)
    for action in ("election_close", "election_certify"):
        _action(client, election, action)
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING


def test_steward_closes_and_certifies(client, steward_user, ecosystem):
    election, _receipt = _voted_election(ecosystem)
    client.force_login(steward_user)
    _action(client, election, "election_close")
    response = _action(client, election, "election_certify")
    assert "Certified: the results are published" in response.content.decode()
    election.refresh_from_db()
    assert election.phase == Election.Phase.CERTIFIED
    assert election.terms.get().person.candidacies.get().name == "Bo"


def test_slate_actions(client, steward_user, ecosystem, lead):
    make_in_good_standing(ecosystem)
    election = election_with_contests(("chair", Contest.Method.IRV, []))
    accepted = nomination_create(
        acting_user=lead,
        ecosystem=ecosystem,
        contest=contest(election),
        nominee=lead,
        statement="Me.",
    )
    pending = nomination_create(
        acting_user=lead,
        ecosystem=ecosystem,
        contest=contest(election),
        nominee=make_member(ecosystem),
        statement="Them.",
    )
    client.force_login(steward_user)
    response = client.post(
        reverse("admin:elections_nomination_changelist"),
        {"action": "approve", "_selected_action": [accepted.pk, pending.pk], "post": "yes"},
        follow=True,
    )
    text = response.content.decode()
    assert "Approved: 1." in text and "Only accepted nominations" in text
    assert Nomination.objects.get(pk=accepted.pk).status == "approved"
    assert Nomination.objects.get(pk=pending.pk).status == "pending"
    assert contest(election).candidates.get().person == lead


def test_steward_creates_an_election_with_contests(client, steward_user):
    from governance.models import Office

    client.force_login(steward_user)
    url = reverse("admin:elections_election_add")
    assert client.get(url).status_code == 200
    data = {
        "title": "Stewardship Team election 2029-2030",
        "slug": "stewardship-2029",
        "description": "",
        "term_start": "2029-01-01",
        "contests-TOTAL_FORMS": "2",
        "contests-INITIAL_FORMS": "0",
        "contests-0-office": Office.objects.get(slug="chair").pk,
        "contests-0-method": "irv",
        "contests-0-order": "0",
        "contests-1-office": Office.objects.get(slug="ties-liaison").pk,
        "contests-1-method": "plurality",
        "contests-1-order": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the appointed TIES Liaison is refused
    assert "appointed, not elected" in response.content.decode()
    data["contests-TOTAL_FORMS"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    election = Election.objects.get(slug="stewardship-2029")
    assert election.phase == "draft" and election.contests.get().office.slug == "chair"
