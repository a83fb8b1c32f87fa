"""Benchmark: governance at 10,000 ecosystems (figures in docs/governance.md; not a test).

    .venv/bin/python bench/governance_bench.py                       # PostgreSQL
    .venv/bin/python bench/governance_bench.py --sqlite --past-terms 500

Creates a scratch database (slecop_bench_governance on the local PostgreSQL, or a file
in the temporary directory with --sqlite), migrates, seeds the demo network, then measures:
  * governance.demo.seed at N ecosystems: from scratch and again (idempotent run);
  * the Leadership page with P extra past terms: queries and time (median of 5);
  * stewardship_team_sync over every term.
"""

from __future__ import annotations

import datetime as dt
import random

from _common import (
    demo_seed_twice,
    first_and_again,
    measure,
    migrate_and_seed,
    parser,
    run_with_scratch_database,
)


def reset_governance() -> None:
    from governance.models import Committee, PracticeGroup, StewardshipAccess, Term

    StewardshipAccess.objects.all().delete()
    Term.objects.all().delete()
    Committee.objects.all().delete()
    PracticeGroup.objects.all().delete()


def add_past_terms(count: int) -> None:
    """`count` non-overlapping two-year terms per office cycle, back from 2019."""
    from governance.models import Office, Term
    from members.models import EcosystemRole

    offices = list(Office.objects.filter(term_years__isnull=False))
    leads = list(EcosystemRole.objects.filter(role="lead").values_list("user_id", flat=True)[:2000])
    rng = random.Random(1)
    rows = []
    for i in range(count):
        office = offices[i % len(offices)]
        start = dt.date(2018 - 2 * (i // len(offices)), 1, 1)
        rows.append(
            Term(
                office=office,
                person_id=rng.choice(leads),
                start=start,
                end=office.default_end(start),
                how_filled="elected" if office.is_elected else "selected",
            )
        )
    Term.objects.bulk_create(rows, batch_size=1000)


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_governance")
    cli.add_argument("--past-terms", type=int, default=2_000)
    run_with_scratch_database(cli.parse_args(), run)


def run(args) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from governance import demo
    from governance.models import Term
    from governance.services import stewardship_team_sync
    from members.models import Ecosystem

    migrate_and_seed(args.ecosystems)

    ecosystems = Ecosystem.objects.all()
    reset_governance()
    summary, first, again = demo_seed_twice(demo, ecosystems)
    print(
        f"governance.demo.seed at {ecosystems.count()} ecosystems: {first * 1000:.0f} ms "
        f"from scratch, {again * 1000:.0f} ms again ({summary})"
    )

    client = Client(SERVER_NAME="localhost")
    url = reverse("governance:leadership")
    for past in (0, args.past_terms):
        if past:
            add_past_terms(past)
        measure(client, url, f"Leadership page, {Term.objects.past().count()} past terms")

    result, seconds, again = first_and_again(stewardship_team_sync)
    print(
        f"stewardship_team_sync over {Term.objects.count()} terms: {seconds * 1000:.0f} ms "
        f"(changed: {result.changed}), {again * 1000:.0f} ms again"
    )


if __name__ == "__main__":
    main()
