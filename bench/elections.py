"""Benchmark: elections at scale (figures in docs/elections.md; not a test).

    .venv/bin/python bench/elections.py                  # PostgreSQL, 10,000 ecosystems
    .venv/bin/python bench/elections.py --tally-only     # just the pure tally
    .venv/bin/python bench/elections.py --sqlite --ecosystems 500

Measures:
  * the pure IRV tally of 10,000 ranked ballots over 8 candidates (random partial
    rankings, so nearly every ballot is a distinct ranking) — target ≤ 2 s; and the
    plurality tally of the same ballots;
then on a scratch database (slecop_bench_elections, or a SQLite file) with the demo
network of N ecosystems:
  * opening voting (electorate snapshot of every ecosystem in good standing);
  * casting 200 ballots through ballot_cast (median per ballot);
  * closing (counting every ballot of the demo election);
  * the results page and the My ecosystem panel: queries and time; the ballots CSV.
"""

from __future__ import annotations

import random
import statistics

from _common import drop_database, measure, migrate_and_seed, parser, scratch_database, timed


def random_rankings(n: int, candidates: list, rng: random.Random) -> list[list]:
    ballots = []
    for _ in range(n):
        order = candidates[:]
        rng.shuffle(order)
        ballots.append(order[: rng.randint(1, len(order))])
    return ballots


def bench_tally() -> None:
    from elections.tally import instant_runoff, plurality

    rng = random.Random(2026)
    candidates = list(range(1, 9))
    ballots = random_rankings(10_000, candidates, rng)
    distinct = len({tuple(b) for b in ballots})
    timings = []
    for _ in range(5):
        result, seconds = timed(lambda: instant_runoff(ballots, candidates))
        timings.append(seconds)
    print(
        f"IRV tally, 10,000 ranked ballots ({distinct} distinct rankings), 8 candidates: "
        f"{statistics.median(timings) * 1000:.0f} ms median of 5, {len(result.rounds)} rounds "
        f"(target ≤ 2,000 ms)"
    )
    firsts = [b[:1] for b in ballots]
    _, seconds = timed(lambda: plurality(firsts, candidates))
    print(f"plurality tally, 10,000 ballots, 8 candidates: {seconds * 1000:.0f} ms")


def bench_database(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from elections import services
    from elections.demo import next_term_start
    from elections.models import Contest, CountedReceipt, Election, Elector, SealedBallot
    from elections.selectors import panel_context
    from governance.models import Office
    from members.models import EcosystemRole
    from tests.elections.factories import CandidateFactory

    migrate_and_seed(args.ecosystems)
    demo = Election.objects.get(phase=Election.Phase.VOTING)
    print(
        f"demo election: {Elector.objects.filter(election=demo).count()} electors, "
        f"{SealedBallot.objects.filter(election=demo).count()} ballots"
    )

    election = Election.objects.create(
        title="Bench election",
        slug="bench-election",
        term_start=next_term_start(demo.term_start.replace(year=demo.term_start.year + 1)),
    )
    contest = Contest.objects.create(election=election, office=Office.objects.get(slug="chair"))
    for i in range(8):
        CandidateFactory(contest=contest, name=f"Candidate {i}")
    services.election_open_nominations(acting_user=None, election=election)
    _, seconds = timed(lambda: services.election_open_voting(acting_user=None, election=election))
    electors = list(
        Elector.objects.filter(election=election)
        .order_by("ecosystem_id")[:200]
        .values_list("ecosystem_id", flat=True)
    )
    print(
        f"open voting (snapshot of {Elector.objects.filter(election=election).count()} "
        f"electors, lots): {seconds * 1000:.0f} ms"
    )

    from members.models import Ecosystem

    leads = dict(
        EcosystemRole.objects.filter(ecosystem_id__in=electors, role="lead")
        .order_by("ecosystem_id", "-pk")
        .values_list("ecosystem_id", "user")
    )
    from members.models import User

    users = User.objects.in_bulk(set(leads.values()))
    ecosystems = Ecosystem.objects.in_bulk(electors)
    candidate_ids = list(contest.candidates.values_list("pk", flat=True))
    rng = random.Random(7)
    timings = []
    for eco_id in electors:
        ranking = rng.sample(candidate_ids, rng.randint(1, 8))
        _, seconds = timed(
            lambda eco_id=eco_id, ranking=ranking: services.ballot_cast(
                acting_user=users[leads[eco_id]],
                election=election,
                ecosystem=ecosystems[eco_id],
                choices={contest.pk: ranking},
            )
        )
        timings.append(seconds)
    print(
        f"ballot_cast x{len(timings)}: {statistics.median(timings) * 1000:.1f} ms median, "
        f"{max(timings) * 1000:.1f} ms max"
    )

    with django.test.utils.CaptureQueriesContext(connection) as queries:
        _, seconds = timed(lambda: panel_context(ecosystem=ecosystems[electors[-1]], user=None))
    print(f"My ecosystem elections panel: {len(queries)} queries, {seconds * 1000:.1f} ms")

    for e in (demo, election):
        # open, shuffle and rewrite the sealed ballots, count (VACUUM FULL runs after commit)
        _, seconds = timed(lambda e=e: services.election_close(acting_user=None, election=e))
        counted = CountedReceipt.objects.filter(election=e).count()
        print(f"close and count {e.title} ({counted} ballots): {seconds * 1000:.0f} ms")
    _, seconds = timed(services.vacuum_ballot_tables)
    print(f"  of which VACUUM FULL of the ballot tables, once more alone: {seconds * 1000:.0f} ms")
    Election.objects.filter(pk=demo.pk).update(phase=Election.Phase.CERTIFIED)

    client = Client(SERVER_NAME="localhost")
    measure(
        client,
        reverse("elections:results", kwargs={"slug": demo.slug}),
        "results page (demo election)",
    )
    chair = demo.contests.get(office__slug="chair")
    measure(
        client,
        reverse("elections:contest_ballots_csv", kwargs={"slug": demo.slug, "contest": chair.pk}),
        "one contest's anonymous ballots CSV (demo election, chair)",
    )


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_elections")
    cli.add_argument("--tally-only", action="store_true")
    args = cli.parse_args()
    bench_tally()
    if args.tally_only:
        return
    scratch_database(args)
    try:
        bench_database(args)
    finally:
        drop_database(args)


if __name__ == "__main__":
    main()
