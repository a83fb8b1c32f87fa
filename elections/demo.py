"""Demo elections for `manage.py seed_demo`: the election of the next two-year Stewardship
Team, with voting open, candidates with statements, the electorate snapshotted and about
a third of the ecosystems already voted — but not the first ecosystem of the electorate,
whose lead (printed in the summary) can cast its ballot. (The first demo ecosystem has its
dues open, so lead@example.org sees why it has no ballot.)

Idempotent (keyed by the election's slug). Bulk inserts only: at 10,000 ecosystems it is
one snapshot insert and a few thousand ballot rows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from governance.models import Office, Term
from members.billing.selectors import good_standing_q
from members.models import Ecosystem, EcosystemRole

from . import sealing, services
from .ballots import new_receipt
from .models import (
    Candidate,
    Contest,
    Election,
    Elector,
    Nomination,
    SealedBallot,
    VoterRecord,
)
from .selectors import MIN_BALLOTS_TO_PUBLISH
from .services.voting import election_candidates

FIRST_ELECTED_YEAR = 2021  # seed 000: two-year terms from 2021
TURNOUT = 0.35
STATEMENTS = [
    "I have led our ecosystem's partnership table for six years: schools, museums, "
    "employers and families at one table. I will bring that practice to the whole network.",
    "Measurement made our ecosystem stronger. I want every member to have the tools and the "
    "peer support to show what works for young people.",
    "I will listen to every region, keep dues fair and grow the scholarships that bring new "
    "ecosystems into the community of practice.",
    "Equity is the test of a learning ecosystem. I will make sure rural and small ecosystems "
    "shape our priorities, not just the large ones.",
]


def next_term_start(today: dt.date) -> dt.date:
    year = today.year + 1
    if (year - FIRST_ELECTED_YEAR) % 2:
        year += 1
    return dt.date(year, 1, 1)


def _people(ecosystems, first_pk: int) -> dict[int | None, list[tuple[int, str]]]:
    """Leads of a sample of ecosystems (never the first one's), per region and overall."""
    rows = (
        EcosystemRole.objects.filter(
            ecosystem__in=ecosystems.exclude(pk=first_pk).order_by("pk")[:60],
            role=EcosystemRole.Role.LEAD,
        )
        .order_by("ecosystem_id", "user_id")
        .values_list("user_id", "user__first_name", "user__last_name", "ecosystem__region_id")
    )
    pools: dict[int | None, list[tuple[int, str]]] = {None: []}
    for user_id, first, last, region_id in rows:
        entry = (user_id, f"{first} {last}".strip() or f"Lead {user_id}")
        pools[None].append(entry)
        pools.setdefault(region_id, []).append(entry)
    return pools


def _nominations(election: Election, candidates: list[Candidate]) -> None:
    """The approved nomination behind each candidate, naming the ecosystem the candidate
    leads (issue 27: shown on the election page and the ballot), where it is in good
    standing: one that is not would leave the candidate off the slate when voting opens."""
    home = dict(
        EcosystemRole.objects.filter(
            user_id__in=[c.person_id for c in candidates],
            role=EcosystemRole.Role.LEAD,
            ecosystem__in=Ecosystem.objects.filter(good_standing_q()),
        )
        .order_by("-ecosystem_id")
        .values_list("user_id", "ecosystem_id")
    )
    for candidate in candidates:
        if candidate.person_id not in home:
            continue
        candidate.nomination = Nomination.objects.create(
            contest_id=candidate.contest_id,
            nominee_id=candidate.person_id,
            ecosystem_id=home[candidate.person_id],
            nominee_ecosystem_id=home[candidate.person_id],
            statement=candidate.statement,
            status=Nomination.Status.APPROVED,
        )
        candidate.save(update_fields=["nomination"])


def _random_ballot(rng, contests, by_contest, region_id) -> dict[str, list[int]]:
    contents = {}
    for contest in contests:
        if contest.office.region_id not in (None, region_id):
            continue
        ids = list(by_contest[contest.pk])
        rng.shuffle(ids)
        if contest.is_ranked:
            contents[str(contest.pk)] = ids[: rng.randint(1, len(ids))]
        else:
            contents[str(contest.pk)] = ids[:1] if rng.random() > 0.05 else []
    return contents


def _voters(
    election, rng, share: float, exclude: int | None = None, at_least: int = 0
) -> list[tuple[int, int]]:
    electors = list(
        Elector.objects.filter(election=election)
        .exclude(ecosystem_id=exclude)
        .order_by("ecosystem_id")
        .values_list("ecosystem_id", "region_id")
    )
    return rng.sample(electors, max(int(len(electors) * share), min(at_least, len(electors))))


def _record_votes(election, voters, ballots, rng, at) -> None:
    """Bulk insert the voter records and, in a shuffled order, the ballots, sealed as
    `ballot_cast` seals them (under the development key on a development machine)."""
    VoterRecord.objects.bulk_create(
        [
            VoterRecord(
                election=election,
                ecosystem_id=eco_id,
                region_id=region_id,
                cast_at=at - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 3)),
            )
            for eco_id, region_id in voters
        ],
        batch_size=1000,
    )
    key = sealing.key_for(election)
    size = sealing.envelope_size(election_candidates(election))
    receipts = set()
    while len(receipts) < len(ballots):
        receipts.add(new_receipt())
    rows = [
        SealedBallot(
            election=election,
            receipt=receipt,
            sealed=sealing.seal(
                key, election_id=election.pk, receipt=receipt, contents=contents, size=size
            ),
        )
        for receipt, contents in zip(sorted(receipts), ballots, strict=True)
    ]
    rng.shuffle(rows)
    SealedBallot.objects.bulk_create(rows, batch_size=1000)


def seed_past(*, ecosystems, rng, pools, start: dt.date) -> str | None:
    """The certified election of the team serving now (seated by governance.demo): its
    holders win their contests, and their terms point to it, so the results page and
    the receipts list have something to show."""
    past = dt.date(start.year - 2, 1, 1)
    slug = f"stewardship-team-{past.year}"
    terms = list(
        Term.objects.filter(
            office__slug__in=["chair", "vice-chair-events"], start=past, how_filled="elected"
        ).select_related("office", "person")
    )
    if not terms or Election.objects.filter(slug=slug).exists():
        return None
    opened = timezone.make_aware(dt.datetime(past.year - 1, 10, 15, 9, 0))
    election = Election.objects.create(
        title=f"Stewardship Team election {past.year}-{past.year + 1}",
        slug=slug,
        term_start=past,
        voting_opens_on=opened.date(),
        voting_closes_on=opened.date() + dt.timedelta(days=21),
        phase=Election.Phase.VOTING,
        nominations_opened_at=opened - dt.timedelta(days=30),
        voting_opened_at=opened,
        sealing_key_id=sealing.key_id(sealing.current_key()),
    )
    services.electorate_snapshot(election)
    holders = {}
    for order, term in enumerate(terms):
        contest = Contest.objects.create(
            election=election, office=term.office, method=Contest.Method.IRV, order=order
        )
        others = [p for p in pools[None] if p[0] != term.person_id][:2]
        holder = Candidate.objects.create(
            contest=contest,
            person=term.person,
            name=term.person.get_full_name() or term.person.email,
            statement=rng.choice(STATEMENTS),
        )
        rest = Candidate.objects.bulk_create(
            [
                Candidate(
                    contest=contest, person_id=pk, name=name, statement=rng.choice(STATEMENTS)
                )
                for pk, name in others
            ]
        )
        holders[contest.pk] = (holder.pk, [c.pk for c in rest], term)
    # at least MIN_BALLOTS_TO_PUBLISH where the network allows, so that even a small demo
    # shows a contest's counts, rounds and ballot list (not only its winner)
    voters = _voters(election, rng, 0.6, at_least=MIN_BALLOTS_TO_PUBLISH)
    ballots = []
    for i, _voter in enumerate(voters):
        contents = {}
        for contest_id, (holder_id, rest, _term) in holders.items():
            order = rest[:]
            rng.shuffle(order)
            # three ballots in five rank the holder first: a first-round majority
            contents[str(contest_id)] = [holder_id, *order] if i % 5 < 3 else [*order, holder_id]
        ballots.append(contents)
    _record_votes(election, voters, ballots, rng, opened + dt.timedelta(days=10))
    services.election_close(acting_user=None, election=election)  # unlinks and counts
    for contest_id, (holder_id, _rest, term) in holders.items():
        if Contest.objects.get(pk=contest_id).result["winners"] == [holder_id]:
            Term.objects.filter(pk=term.pk).update(election=election)
    Election.objects.filter(pk=election.pk).update(
        phase=Election.Phase.CERTIFIED,
        closed_at=opened + dt.timedelta(days=21),
        certified_at=opened + dt.timedelta(days=23),
    )
    return f"election {election.title}: certified, {len(voters)} ballots"


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    first = ecosystems.order_by("pk").first()
    if first is None:
        return None
    start = next_term_start(timezone.localdate())
    slug = f"stewardship-team-{start.year}"
    if Election.objects.filter(slug=slug).exists():
        return f"election {slug} already seeded"
    pools = _people(ecosystems, first.pk)
    if len(pools[None]) < 3:
        return None
    with transaction.atomic():
        election = Election.objects.create(
            title=f"Stewardship Team election {start.year}-{start.year + 1}",
            slug=slug,
            description=(
                "Elect the leadership and management team for a two-year term. One ballot per "
                "ecosystem in good standing, cast by one of its leads."
            ),
            term_start=start,
            voting_opens_on=timezone.localdate(),
            voting_closes_on=timezone.localdate() + dt.timedelta(days=21),
        )
        offices = [
            ("chair", Contest.Method.IRV, None),
            ("vice-chair-events", Contest.Method.IRV, None),
            ("vice-chair-communications", Contest.Method.PLURALITY, None),
            (f"regional-chair-{first.region.slug}", Contest.Method.PLURALITY, first.region_id),
        ]
        taken: set[int] = set()
        candidates = []
        for order, (office_slug, method, region_id) in enumerate(offices):
            pool = pools.get(region_id, [])
            pool = [p for p in pool if p[0] not in taken] or pool
            if not pool:  # a tiny network: no lead in this region to stand
                continue
            contest = Contest.objects.create(
                election=election,
                office=Office.objects.get(slug=office_slug),
                method=method,
                order=order,
            )
            for user_id, name in rng.sample(pool, min(3 if region_id is None else 2, len(pool))):
                taken.add(user_id)
                candidates.append(
                    Candidate(
                        contest=contest,
                        person_id=user_id,
                        name=name,
                        statement=rng.choice(STATEMENTS),
                    )
                )
        Candidate.objects.bulk_create(candidates)
        _nominations(election, candidates)
        services.election_open_nominations(acting_user=None, election=election)
        election = services.election_open_voting(acting_user=None, election=election)
        contests = list(election.contests.select_related("office"))
        by_contest: dict[int, list[int]] = {c.pk: [] for c in contests}
        for c in candidates:
            by_contest[c.contest_id].append(c.pk)
        electors = list(
            Elector.objects.filter(election=election)
            .order_by("ecosystem_id")
            .values_list("ecosystem_id", flat=True)[:1]
        )
        if not electors:
            return f"election {election.title}: voting open, no ecosystem in good standing"
        keep_open = electors[0]
        voters = _voters(election, rng, TURNOUT, exclude=keep_open)
        ballots = [_random_ballot(rng, contests, by_contest, region_id) for _e, region_id in voters]
        _record_votes(election, voters, ballots, rng, timezone.now())
        past = seed_past(ecosystems=ecosystems, rng=rng, pools=pools, start=start)
    lead = (
        EcosystemRole.objects.filter(ecosystem_id=keep_open, role=EcosystemRole.Role.LEAD)
        .order_by("pk")
        .values_list("user__email", flat=True)
        .first()
    )
    electorate = Elector.objects.filter(election=election).count()
    return (
        f"election {election.title}: voting open, {electorate} electors, "
        f"{len(voters)} voted; {lead} can still vote" + (f"; {past}" if past else "")
    )
