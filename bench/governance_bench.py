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

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE_FILE = Path(tempfile.gettempdir()) / "slecop-bench-governance.sqlite3"


def scratch_database(args) -> None:
    if args.sqlite:
        SQLITE_FILE.unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)
        subprocess.run(["createdb", *pg, args.database], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="slecop.settings.test",  # fast password hashing
        DATABASE_URL=url,
    )
    os.environ.pop("REDIS_URL", None)


def drop_database(args) -> None:
    from django.db import connections

    connections.close_all()
    if args.sqlite:
        SQLITE_FILE.unlink(missing_ok=True)
    else:
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecosystems", type=int, default=10_000)
    parser.add_argument("--past-terms", type=int, default=2_000)
    parser.add_argument("--database", default="slecop_bench_governance")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    scratch_database(args)
    try:
        run(args)
    finally:
        if not args.keep:
            drop_database(args)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from governance import demo
    from governance.models import Term
    from governance.services import stewardship_team_sync
    from members.models import Ecosystem

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    _, seconds = timed(lambda: call_command("seed_demo", ecosystems=args.ecosystems, quiet=True))
    print(f"seed_demo --ecosystems {args.ecosystems} (all apps): {seconds:.1f} s")

    ecosystems = Ecosystem.objects.all()
    reset_governance()
    options = {"quiet": True}
    summary, first = timed(
        lambda: demo.seed(
            ecosystems=ecosystems, rng=random.Random("bench"), stdout=sys.stdout, options=options
        )
    )
    _, again = timed(
        lambda: demo.seed(
            ecosystems=ecosystems, rng=random.Random("bench"), stdout=sys.stdout, options=options
        )
    )
    print(
        f"governance.demo.seed at {ecosystems.count()} ecosystems: {first * 1000:.0f} ms "
        f"from scratch, {again * 1000:.0f} ms again ({summary})"
    )

    client = Client(SERVER_NAME="localhost")
    url = reverse("governance:leadership")
    for past in (0, args.past_terms):
        if past:
            add_past_terms(past)
        client.get(url)  # warm up
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                response, seconds = timed(lambda: client.get(url))
            if response.status_code != 200:
                raise SystemExit(f"Leadership page answered {response.status_code}")
            timings.append(seconds)
        total = Term.objects.past().count()
        print(
            f"Leadership page, {total} past terms: {len(queries)} queries, "
            f"{statistics.median(timings) * 1000:.0f} ms median"
        )

    result, seconds = timed(lambda: stewardship_team_sync())
    _, again = timed(lambda: stewardship_team_sync())
    print(
        f"stewardship_team_sync over {Term.objects.count()} terms: {seconds * 1000:.0f} ms "
        f"(changed: {result.changed}), {again * 1000:.0f} ms again"
    )


if __name__ == "__main__":
    main()
