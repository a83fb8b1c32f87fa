"""Moving an election through its phases: draft → nominations open → voting open →
closed → certified. Each move locks the Election row, refuses an illegal move with a
Conflict, and writes an audit entry in the same transaction."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from members.models import Ecosystem
from members.selectors import good_standing_q
from members.services import audit_log
from slecop.cache import bump
from slecop.errors import Conflict
from slecop.locking import lock_one

from ..models import Candidate, Contest, Election, Elector
from .voting import BALLOTS

Phase = Election.Phase

NEXT = {
    Phase.DRAFT: Phase.NOMINATIONS,
    Phase.NOMINATIONS: Phase.VOTING,
    Phase.VOTING: Phase.CLOSED,
    Phase.CLOSED: Phase.CERTIFIED,
}


def lock_election(election: Election) -> Election:
    return lock_one(Election, election.pk)


def _move(*, acting_user, election: Election, to: str, **extra) -> Election:
    """Check `election` (locked) may go to `to`, set it with `extra` fields, audit."""
    if NEXT.get(election.phase) != to:
        raise Conflict(
            f"{election} is {election.get_phase_display().lower()}: it cannot move to "
            f"“{Phase(to).label}”.",
            code="illegal_phase_change",
        )
    before = election.phase
    election.phase = to
    for name, value in extra.items():
        setattr(election, name, value)
    election.full_clean()
    election.save(update_fields=["phase", *extra])
    audit_log(
        actor=acting_user,
        action=f"elections.phase_{to}",
        obj=election,
        before={"phase": before},
        after={"phase": to, **{k: str(v) for k, v in extra.items()}},
    )
    return election


@transaction.atomic
def election_open_nominations(*, acting_user, election: Election) -> Election:
    election = lock_election(election)
    if not election.contests.exists():
        raise Conflict(f"{election} has no office on the ballot yet: add a contest first.")
    return _move(
        acting_user=acting_user,
        election=election,
        to=Phase.NOMINATIONS,
        nominations_opened_at=timezone.now(),
    )


def electorate_snapshot(election: Election) -> int:
    """Record the electorate: every ecosystem in good standing now, with its region (bulk
    insert; 10,000 ecosystems are one INSERT … SELECT-sized round trip per 1,000)."""
    rows = Ecosystem.objects.filter(good_standing_q()).values_list("pk", "region_id")
    electors = [
        Elector(election=election, ecosystem_id=pk, region_id=region_id) for pk, region_id in rows
    ]
    Elector.objects.bulk_create(electors, batch_size=1000)
    bump("panels")  # bulk_create sends no post_save: the dashboards' election panels
    return len(electors)


def _draw_lots(election: Election) -> None:
    """A random order of each contest's candidates, drawn before any ballot is cast, that
    breaks the ties no count can (elections.tally)."""
    rng = secrets.SystemRandom()
    by_contest: dict[int, list[int]] = {}
    for contest_id, candidate_id in Candidate.objects.filter(
        contest__election=election
    ).values_list("contest_id", "pk"):
        by_contest.setdefault(contest_id, []).append(candidate_id)
    contests = list(election.contests.all())
    for contest in contests:
        order = by_contest.get(contest.pk, [])
        rng.shuffle(order)
        contest.tie_break_order = order
    Contest.objects.bulk_update(contests, ["tie_break_order"])
    bump(BALLOTS)


@transaction.atomic
def election_open_voting(*, acting_user, election: Election) -> Election:
    """Open voting: the slate is final, the electorate is snapshotted (paying dues later
    does not add an ecosystem; lapsing later does not remove one) and the lots are drawn."""
    election = lock_election(election)
    empty = [
        str(c.office)
        for c in election.contests.select_related("office").exclude(
            pk__in=Candidate.objects.values("contest_id")
        )
    ]
    if election.phase == Phase.NOMINATIONS and empty:
        raise Conflict(
            "These contests have no approved candidate yet: " + ", ".join(empty) + ".",
            code="empty_contest",
        )
    election = _move(
        acting_user=acting_user,
        election=election,
        to=Phase.VOTING,
        voting_opened_at=timezone.now(),
    )
    size = electorate_snapshot(election)
    _draw_lots(election)
    audit_log(
        actor=acting_user,
        action="elections.electorate_snapshot",
        obj=election,
        after={"electors": size},
    )
    return election


@transaction.atomic
def election_close(*, acting_user, election: Election) -> Election:
    """Close voting and count. Takes the Election row lock, which waits for ballots being
    cast right now (they hold a share lock on it) and refuses any that come after."""
    from .results import count_election

    election = lock_election(election)
    election = _move(
        acting_user=acting_user, election=election, to=Phase.CLOSED, closed_at=timezone.now()
    )
    count_election(election)
    return election
