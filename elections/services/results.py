"""Counting (at close) and certification (which seats the winners in governance)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from governance.models import Term
from governance.services import term_create
from members.audit import audit_log
from slecop.cache import bump

from .. import sealing, tally
from ..ballots import BALLOTS
from ..models import Candidate, Contest, ContestBallot, Election
from .phases import (
    Phase,
    _move,
    _refuse_unless_next,
    lock_election,
    unlink_ballots,
    vacuum_ballot_tables,
)


def _jsonable(result: tally.Result, contest: Contest) -> dict[str, Any]:
    """The tally as stored on the contest: candidate ids become string keys (JSON)."""
    data = result.as_dict()
    data["counts"] = {str(k): v for k, v in data["counts"].items()}
    for r in data["rounds"]:
        r["counts"] = {str(k): v for k, v in r["counts"].items()}
    data["seats"] = contest.seats
    return data


def count_contest(contest: Contest, votes: list[list[int]]) -> dict[str, Any]:
    """The tally of one contest from its ballots' choices (one list per ballot)."""
    candidates = sorted(contest.candidates.values_list("pk", flat=True))
    result = tally.tally(
        contest.method,
        votes,
        candidates,
        seats=contest.seats,
        tie_break_order=contest.tie_break_order,
    )
    return _jsonable(result, contest)


def count_election(election: Election) -> None:
    """Tally every contest from its ballots (one query for the ballots) and store the
    result on the contest; it is published only after certification."""
    votes: dict[int, list[list[int]]] = {}
    for contest_id, choices in ContestBallot.objects.filter(contest__election=election).values_list(
        "contest_id", "choices"
    ):
        votes.setdefault(contest_id, []).append(choices)
    contests = list(election.contests.all())
    for contest in contests:
        contest.result = count_contest(contest, votes.get(contest.pk, []))
    Contest.objects.bulk_update(contests, ["result"])
    bump(BALLOTS)


@transaction.atomic
def election_certify(*, acting_user, election: Election) -> list[Term]:
    """Certify a closed election: publish its results and seat each contest's winners in
    their office from the election's term start for the office's regular term, as
    elected terms (governance.term_create: audited, overlap-checked, the people are
    emailed). All or nothing: a clash with an existing term refuses the certification."""
    election = lock_election(election)
    election = _move(
        acting_user=acting_user,
        election=election,
        to=Phase.CERTIFIED,
        certified_at=timezone.now(),
        certified_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    terms = []
    contests = election.contests.select_related("office")
    winners = {
        c.pk: c
        for c in Candidate.objects.filter(contest__election=election).select_related("person")
    }
    for contest in contests:
        for candidate_id in (contest.result or {}).get("winners", []):
            candidate = winners[candidate_id]
            term = term_create(
                acting_user=acting_user,
                office=contest.office,
                person=candidate.person,
                start=election.term_start,
                end=contest.office.default_end(election.term_start),
                how_filled=Term.HowFilled.ELECTED,
                note=f"Elected in {election}"[:300],
            )
            Term.objects.filter(pk=term.pk).update(election=election)
            terms.append(term)
    audit_log(
        actor=acting_user,
        action="elections.certified",
        obj=election,
        after={
            "winners": {
                str(c.office): [winners[w].name for w in (c.result or {}).get("winners", [])]
                for c in contests
            }
        },
    )
    return terms


@transaction.atomic
def election_close(*, acting_user, election: Election) -> Election:
    """Close voting, unlink the ballots from their voters and count. Takes the Election row
    lock, which waits for ballots being cast right now (they hold a share lock on it) and
    refuses any that come after. After commit, `VACUUM FULL` rewrites the ballot tables."""

    election = lock_election(election)
    _refuse_unless_next(election, Phase.CLOSED)
    key = sealing.key_for(election)  # not the key voting opened with: refused
    election = _move(
        acting_user=acting_user, election=election, to=Phase.CLOSED, closed_at=timezone.now()
    )
    unlink_ballots(election, key)
    count_election(election)
    transaction.on_commit(vacuum_ballot_tables, robust=True)
    return election
