"""Demo elections: an open election where the first demo lead can still vote."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from elections.models import (
    Candidate,
    ContestBallot,
    CountedReceipt,
    Election,
    Elector,
    SealedBallot,
    VoterRecord,
)
from elections.selectors import eligibility
from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_an_election_and_is_idempotent():
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    models = (Election, Candidate, Elector, VoterRecord, SealedBallot, CountedReceipt)
    counts = [m.objects.count() for m in models]
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    assert [m.objects.count() for m in models] == counts

    election = Election.objects.get(phase=Election.Phase.VOTING)
    ballots = SealedBallot.objects.filter(election=election)  # sealed while voting is open
    assert ballots.count() == VoterRecord.objects.filter(election=election).count() > 0
    assert len({len(b.sealed) for b in ballots}) == 1  # one envelope size
    assert election.contests.count() == 4

    past = Election.objects.get(phase=Election.Phase.CERTIFIED)
    # closed through the real close: receipts apart, contents per contest, nothing sealed
    voters = VoterRecord.objects.filter(election=past).count()
    assert CountedReceipt.objects.filter(election=past).count() == voters > 0
    assert not SealedBallot.objects.filter(election=past).exists()
    assert ContestBallot.objects.filter(contest__election=past).count() == 2 * voters
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
