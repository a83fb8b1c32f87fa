"""Demo elections: an open election where the first demo lead can still vote."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from elections.models import Ballot, Candidate, Election, Elector, VoterRecord
from elections.selectors import eligibility
from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_an_election_and_is_idempotent():
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    counts = [m.objects.count() for m in (Election, Candidate, Elector, VoterRecord, Ballot)]
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    assert [
        m.objects.count() for m in (Election, Candidate, Elector, VoterRecord, Ballot)
    ] == counts

    election = Election.objects.get(phase=Election.Phase.VOTING)
    ballots = Ballot.objects.filter(election=election)
    assert ballots.count() == VoterRecord.objects.filter(election=election).count() > 0
    assert election.contests.count() == 4

    past = Election.objects.get(phase=Election.Phase.CERTIFIED)
    assert past.term_start.year == election.term_start.year - 2
    terms = list(past.terms.select_related("office"))
    assert {t.office.slug for t in terms} == {"chair", "vice-chair-events"}
    for term in terms:
        (contest,) = [c for c in past.contests.all() if c.office_id == term.office_id]
        winner = contest.candidates.get(pk=contest.result["winners"][0])
        assert winner.person_id == term.person_id
    first = Elector.objects.order_by("ecosystem_id").first().ecosystem
    lead = User.objects.filter(
        ecosystem_roles__ecosystem=first, ecosystem_roles__role="lead"
    ).first()
    status = eligibility(election=election, ecosystem=first, user=lead)
    assert status.can_vote, status.reason
