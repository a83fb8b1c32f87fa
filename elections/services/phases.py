"""Moving an election through its phases: draft → nominations open → voting open →
closed → certified. Each move locks the Election row, refuses an illegal move with a
Conflict, and writes an audit entry in the same transaction.

Opening voting needs a working sealing key (elections.sealing) and snapshots who may vote
(Elector rows) and who may cast each ballot (Caster rows: the ecosystem's leads then).
Closing voting unlinks the ballots from their voters (`unlink_ballots`) and counts.
"""

from __future__ import annotations

import logging
import secrets

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.selectors import ecosystem_standing, good_standing_q
from members.models import Ecosystem, EcosystemRole
from slecop.cache import bump
from slecop.errors import Conflict
from slecop.locking import lock_one

from .. import sealing
from ..ballots import BALLOTS
from ..models import (
    Candidate,
    Caster,
    Contest,
    ContestBallot,
    CountedReceipt,
    Election,
    Elector,
    Nomination,
    SealedBallot,
)

logger = logging.getLogger(__name__)

Phase = Election.Phase

NEXT = {
    Phase.DRAFT: Phase.NOMINATIONS,
    Phase.NOMINATIONS: Phase.VOTING,
    Phase.VOTING: Phase.CLOSED,
    Phase.CLOSED: Phase.CERTIFIED,
}


def lock_election(election: Election) -> Election:
    return lock_one(Election, election.pk)


def _refuse_unless_next(election: Election, to: str) -> None:
    if NEXT.get(election.phase) != to:
        raise Conflict(
            _("%(election)s is %(phase)s: it cannot move to “%(label)s”.")
            % {
                "election": election,
                "phase": election.get_phase_display().lower(),
                "label": Phase(to).label,
            },
            code="illegal_phase_change",
        )


SCHEDULE_FIELDS = (
    "nominations_open_on",
    "nominations_close_on",
    "voting_opens_on",
    "voting_closes_on",
)


def agreed_schedule(election: Election, to: str, schedule: dict | None = None) -> dict:
    """The published dates once `election` moves to `to` today (issue 27: the phases and
    the published schedule always agree). `schedule` holds new dates a steward gave on
    the confirmation page. The day of the move becomes the date of what happened:
    nominations or voting open today; voting closed today when it closes before its
    published date (a close after that date keeps it: ballots were refused from then);
    opening voting ends nominations today at the latest. Raises Conflict when a later
    date would come before today (a new one must be given)."""
    today = timezone.localdate()
    dates = {name: getattr(election, name) for name in SCHEDULE_FIELDS}
    dates.update({k: v for k, v in (schedule or {}).items() if k in SCHEDULE_FIELDS})
    if to == Phase.NOMINATIONS:
        dates["nominations_open_on"] = today
    elif to == Phase.VOTING:
        dates["voting_opens_on"] = today
        if dates["nominations_close_on"] is None or dates["nominations_close_on"] > today:
            dates["nominations_close_on"] = today
    elif to == Phase.CLOSED and (
        dates["voting_closes_on"] is None or dates["voting_closes_on"] > today
    ):
        dates["voting_closes_on"] = today
    _check_order(dates, today, to)
    return dates


def _check_order(dates: dict, today, to: str) -> None:
    later = {
        Phase.NOMINATIONS: ("nominations_close_on", "voting_opens_on", "voting_closes_on"),
        Phase.VOTING: ("voting_closes_on",),
    }.get(to, ())
    labels = {name: Election._meta.get_field(name).verbose_name for name in SCHEDULE_FIELDS}
    previous = today
    for name in later:
        day = dates[name]
        if day is None:
            continue
        if day < previous:
            raise Conflict(
                _(
                    "The schedule would put “%(field)s” (%(day)s) before %(previous)s: "
                    "give a new date."
                )
                % {
                    "field": labels[name],
                    "day": date_format(day),
                    "previous": date_format(previous),
                },
                code="schedule_order",
                field=name,
            )
        previous = day
    if (
        to == Phase.NOMINATIONS
        and dates["voting_opens_on"]
        and dates["nominations_close_on"]
        and dates["voting_opens_on"] <= dates["nominations_close_on"]
    ):
        raise Conflict(
            _("Voting opens the day after nominations close at the earliest."),
            code="schedule_order",
            field="voting_opens_on",
        )


def _move(
    *, acting_user, election: Election, to: str, schedule: dict | None = None, **extra
) -> Election:
    """Check `election` (locked) may go to `to`, set it with `extra` fields and the agreed
    schedule (`agreed_schedule`), audit (the schedule's changes with it)."""
    _refuse_unless_next(election, to)
    before = election.phase
    dates = agreed_schedule(election, to, schedule)
    moved = {k: v for k, v in dates.items() if getattr(election, k) != v}
    before_dates = {k: str(getattr(election, k)) for k in moved}
    election.phase = to
    for name, value in {**extra, **moved}.items():
        setattr(election, name, value)
    election.full_clean()
    election.save(update_fields=["phase", *extra, *moved])
    audit_log(
        actor=acting_user,
        action=f"elections.phase_{to}",
        obj=election,
        before={"phase": before, **before_dates},
        after={
            "phase": to,
            "by": "system (the published schedule)" if acting_user is None else "steward",
            **{k: str(v) for k, v in {**extra, **moved}.items()},
        },
    )
    return election


@transaction.atomic
def election_open_nominations(
    *, acting_user, election: Election, schedule: dict | None = None
) -> Election:
    election = lock_election(election)
    if not election.contests.exists():
        raise Conflict(
            _("%(election)s has no office on the ballot yet: add a contest first.")
            % {"election": election}
        )
    return _move(
        acting_user=acting_user,
        election=election,
        to=Phase.NOMINATIONS,
        schedule=schedule,
        nominations_opened_at=timezone.now(),
    )


def electorate_snapshot(election: Election) -> int:
    """Record the electorate: every ecosystem in good standing now, with its region, and
    the leads each has now as the people who may cast its ballot (bulk inserts of 1,000
    rows; at 10,000 ecosystems a few round trips)."""
    rows = Ecosystem.objects.filter(good_standing_q()).values_list("pk", "region_id")
    electors = [
        Elector(election=election, ecosystem_id=pk, region_id=region_id) for pk, region_id in rows
    ]
    Elector.objects.bulk_create(electors, batch_size=1000)
    casters_snapshot(election)
    bump("panels")  # bulk_create sends no post_save: the dashboards' election panels
    return len(electors)


def casters_snapshot(election: Election) -> int:
    """A Caster row for each lead of each electorate ecosystem, now (two queries and a
    bulk insert). Used when voting opens and by the migration for elections already open."""
    elector_of = dict(Elector.objects.filter(election=election).values_list("ecosystem_id", "pk"))
    leads = EcosystemRole.objects.filter(
        role=EcosystemRole.Role.LEAD, ecosystem__electors__election=election
    ).values_list("ecosystem_id", "user_id")
    now = timezone.now()
    casters = [
        Caster(elector_id=elector_of[eco_id], user_id=user_id, added_at=now)
        for eco_id, user_id in leads
    ]
    Caster.objects.bulk_create(casters, batch_size=1000, ignore_conflicts=True)
    return len(casters)


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


def lapsed_candidates(election: Election) -> list[tuple[Candidate, str]]:
    """The candidates whose own ecosystem (their nomination's) is not in good standing
    now, with why: opening voting leaves them off the slate (issue 27)."""

    lapsed = []
    for candidate in (
        Candidate.objects.filter(
            contest__election=election, nomination__nominee_ecosystem__isnull=False
        )
        .exclude(nomination__nominee_ecosystem__in=Ecosystem.objects.filter(good_standing_q()))
        .select_related("contest__office", "nomination__nominee_ecosystem")
        .order_by("contest__order", "name")
    ):
        eco = candidate.nomination.nominee_ecosystem
        lapsed.append((candidate, f"{eco} — {ecosystem_standing(eco).reason}"))
    return lapsed


def exclude_candidates(*, acting_user, lapsed: list[tuple[Candidate, str]]) -> None:
    """Take these candidates off the slate: their nomination becomes "Off the slate:
    ecosystem not in good standing" (shown in the admin) and the audit says why."""
    for candidate, reason in lapsed:
        nomination = candidate.nomination
        nomination.status = Nomination.Status.EXCLUDED
        nomination.save(update_fields=["status"])
        audit_log(
            actor=acting_user,
            action="elections.candidate_excluded",
            obj=nomination,
            ecosystem=nomination.nominee_ecosystem,
            before={"status": "approved", "candidate": candidate.name},
            after={"status": nomination.status, "reason": reason},
        )
        candidate.delete()


@transaction.atomic
def election_open_voting(
    *, acting_user, election: Election, schedule: dict | None = None
) -> Election:
    """Open voting: the slate is final, the electorate is snapshotted (paying dues later
    does not add an ecosystem; lapsing later does not remove one) and the lots are drawn."""
    election = lock_election(election)
    lapsed = lapsed_candidates(election)
    empty = [
        str(c.office)
        for c in election.contests.select_related("office").exclude(
            pk__in=Candidate.objects.exclude(pk__in=[c.pk for c, _reason in lapsed]).values(
                "contest_id"
            )
        )
    ]
    if election.phase == Phase.NOMINATIONS and empty:
        raise Conflict(
            "These contests have no approved candidate yet: " + ", ".join(empty) + ".",
            code="empty_contest",
        )
    _refuse_unless_next(election, Phase.VOTING)
    key = sealing.current_key()  # no usable key: refused (SealingUnavailable)
    sealing.self_test(key)
    exclude_candidates(acting_user=acting_user, lapsed=lapsed)
    election = _move(
        acting_user=acting_user,
        election=election,
        to=Phase.VOTING,
        schedule=schedule,
        voting_opened_at=timezone.now(),
        sealing_key_id=sealing.key_id(key),
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


def random_order(items: list) -> list:
    """`items` in an order drawn with the operating system's randomness."""
    secrets.SystemRandom().shuffle(items)
    return items


def unlink_ballots(election: Election, key: bytes) -> int:
    """Open the election's sealed ballots and write what they said as fresh rows that
    nothing links to a voter or a receipt (docs/elections.md, "Closing voting"):

    - each contest's part of each ballot becomes a ContestBallot row with a new random
      id and no receipt, all rows inserted in one order drawn with `secrets.SystemRandom`
      (so physical order and ids say nothing about casting order);
    - the receipts go to CountedReceipt in alphabetical order (no order to match);
    - the sealed rows are deleted.

    All in one savepoint of the closing transaction: PostgreSQL gives it its own
    (sub)transaction id, so every new row carries one `xmin` that no voter record, audit
    entry or elector lock carries. A ballot that fails to open refuses the close
    (BrokenSeal) and nothing changes. Returns the number of ballots."""
    opened = []
    receipts = []
    for receipt, blob in SealedBallot.objects.filter(election=election).values_list(
        "receipt", "sealed"
    ):
        contents = sealing.unseal(key, election_id=election.pk, receipt=receipt, sealed=blob)
        opened.append(contents)
        receipts.append(receipt)
    contests = set(election.contests.values_list("pk", flat=True))
    rows = [
        ContestBallot(contest_id=int(contest_id), choices=choices)
        for contents in opened
        for contest_id, choices in contents.items()
        if int(contest_id) in contests
    ]
    with own_transaction_id():
        ContestBallot.objects.bulk_create(random_order(rows), batch_size=1000)
        CountedReceipt.objects.bulk_create(
            [CountedReceipt(election=election, code=code) for code in sorted(receipts)],
            batch_size=1000,
        )
        SealedBallot.objects.filter(election=election).delete()
    return len(opened)


def own_transaction_id():
    """A savepoint of the current transaction: PostgreSQL gives the rows written inside it
    their own (sub)transaction id as `xmin`, one that the closing transaction's other
    rows (its audit entry, the election row) do not carry. Committed with the rest."""
    return transaction.atomic()


BALLOT_TABLES = (SealedBallot, ContestBallot, CountedReceipt)


def vacuum_ballot_tables() -> bool:
    """`VACUUM FULL` the ballot tables (PostgreSQL, outside any transaction: run after the
    close commits). A plain VACUUM leaves deleted rows' bytes in their pages; VACUUM FULL
    writes each table afresh and drops the old file. Returns whether it ran. A failure
    (a lock held too long) is logged: the rows are unlinked already, and what is left
    behind is sealed contents the next close or a manual VACUUM FULL removes."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in BALLOT_TABLES)
    try:
        with connection.cursor() as cursor:
            # VACUUM takes no parameters; the table names are the models' own.
            cursor.execute("SET lock_timeout = '10s'")
            try:
                cursor.execute(f"VACUUM FULL {tables}")
            finally:
                cursor.execute("RESET lock_timeout")
    except DatabaseError:
        logger.exception("VACUUM FULL of the ballot tables failed; run it by hand")
        return False
    return True
