"""Irreversible phase actions go through a confirmation page that says what will happen
(issue 27, item 2); a GET, the action alone or a cancelled confirmation change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from elections.models import Contest, Election, Nomination
from elections.services import ballot_cast, nomination_create
from governance.models import Term
from members.models import AuditEntry
from tests.elections.factories import (
    ContestFactory,
    ElectionFactory,
    admin_phase,
    candidates,
    contest,
    election_with_contests,
)
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = pytest.mark.django_db
IRV = Contest.Method.IRV


def _page(election, step):
    return reverse("admin:elections_election_phase", args=[election.pk, step])


def _choose(client, election, action):
    return client.post(
        reverse("admin:elections_election_changelist"),
        {"action": action, "_selected_action": [election.pk]},
    )


def test_open_voting_says_the_electorate_and_its_leads_and_nothing_moves_unconfirmed(
    client, steward_user
):
    eco = EcosystemFactory(name="Harbor STEM")
    make_in_good_standing(eco)
    make_lead(eco, first_name="Lia", last_name="Lead")
    EcosystemFactory(name="Lapsed STEM")  # not in good standing: not in the electorate
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]))
    client.force_login(steward_user)
    chosen = _choose(client, election, "election_open_voting")
    assert chosen.status_code == 302 and chosen["Location"] == _page(election, "open-voting")
    page = client.get(_page(election, "open-voting"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 ecosystems in good standing" in text
    assert "Harbor STEM: Lia Lead" in text and "Lapsed STEM" not in text
    assert ("Chair" in text and "Ada, Bo" in text) or "Bo, Ada" in text
    assert 'name="csrfmiddlewaretoken"' in text and 'name="confirm"' in text
    # cancelled: the Cancel link goes back to the election; a POST without "confirm" too
    assert reverse("admin:elections_election_change", args=[election.pk]) in text
    client.post(_page(election, "open-voting"), {})
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS
    assert not election.electors.exists()
    assert not AuditEntry.objects.filter(action="elections.phase_voting").exists()
    admin_phase(client, election, "election_open_voting")
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING and election.electors.count() == 1


def test_open_nominations_lists_the_contests(client, steward_user):
    election = ElectionFactory()
    ContestFactory(election=election)
    client.force_login(steward_user)
    text = client.get(_page(election, "open-nominations")).content.decode()
    assert "Chair" in text and "cannot go back to draft" in text
    election.refresh_from_db()
    assert election.phase == Election.Phase.DRAFT


def test_close_says_how_many_voted(client, steward_user):
    eco = EcosystemFactory()
    make_in_good_standing(eco)
    lead = make_lead(eco)
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    ballot_cast(
        acting_user=lead,
        election=election,
        ecosystem=eco,
        choices={contest(election).pk: [candidates(election)["Ada"]]},
    )
    client.force_login(steward_user)
    text = client.get(_page(election, "close")).content.decode()
    assert "1 of 1 ecosystems have voted" in text
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING
    response = admin_phase(client, election, "election_close")
    # closing leads the steward to the count
    assert response.redirect_chain[-1][0] == reverse(
        "admin:elections_election_count", args=[election.pk]
    )


def test_certify_names_the_winners_and_their_terms(client, steward_user):
    eco = EcosystemFactory()
    make_in_good_standing(eco)
    lead = make_lead(eco)
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    ballot_cast(
        acting_user=lead,
        election=election,
        ecosystem=eco,
        choices={contest(election).pk: [candidates(election)["Bo"]]},
    )
    admin_client = client
    admin_client.force_login(steward_user)
    admin_phase(admin_client, election, "election_close")
    year = election.term_start.year
    text = admin_client.get(_page(election, "certify")).content.decode()
    assert f"Chair: Bo, from Jan. 1, {year} to Dec. 31, {year + 1}" in text
    assert not Term.objects.filter(election=election).exists()
    admin_client.post(_page(election, "certify"), {"cancel": "1"})
    election.refresh_from_db()
    assert election.phase == Election.Phase.CLOSED
    admin_phase(admin_client, election, "election_certify")
    election.refresh_from_db()
    assert election.phase == Election.Phase.CERTIFIED


def test_one_election_at_a_time_and_illegal_moves_are_refused(client, steward_user):
    one, two = ElectionFactory(), ElectionFactory()
    client.force_login(steward_user)
    response = client.post(
        reverse("admin:elections_election_changelist"),
        {"action": "election_open_nominations", "_selected_action": [one.pk, two.pk]},
        follow=True,
    )
    assert "Choose one election" in response.content.decode()
    refused = client.get(_page(one, "certify"), follow=True)
    assert "cannot move" in refused.content.decode()
    assert client.get(_page(one, "no-such-step")).status_code == 404


def test_ties_staff_get_no_confirmation_page(client, staff_user):
    election = election_with_contests(("chair", IRV, ["Ada"]))
    client.force_login(staff_user)
    assert client.get(_page(election, "open-voting")).status_code == 403
    assert client.post(_page(election, "open-voting"), {"confirm": "1"}).status_code == 403
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS


def test_the_slate_is_approved_only_once_confirmed(client, steward_user):
    eco = EcosystemFactory()
    make_in_good_standing(eco)
    lead = make_lead(eco)
    election = election_with_contests(("chair", IRV, []))
    nomination = nomination_create(
        acting_user=lead, ecosystem=eco, contest=contest(election), nominee=lead, statement="Me."
    )
    client.force_login(steward_user)
    changelist = reverse("admin:elections_nomination_changelist")
    page = client.post(changelist, {"action": "approve", "_selected_action": [nomination.pk]})
    text = page.content.decode()
    assert page.status_code == 200 and "becomes a candidate on the ballot" in text
    assert str(lead) in text
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED
    assert not contest(election).candidates.exists()
    client.post(
        changelist, {"action": "approve", "_selected_action": [nomination.pk], "post": "yes"}
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
