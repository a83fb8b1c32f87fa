"""Benchmark: the indicator dashboards at 1,000 ecosystems x 3 years (not a test).

    .venv/bin/python bench/measurement.py                     # PostgreSQL, 1,000 ecosystems
    .venv/bin/python bench/measurement.py --ecosystems 10000  # the demo at full size
    .venv/bin/python bench/measurement.py --sqlite

Creates a scratch database (slecop_bench_measurement on the local PostgreSQL, or a file
in the temporary directory with --sqlite), migrates, seeds the demo network (three years
of reports), then prints, for each page, its query count and median time of 5 requests:
  * measurement.demo.seed from scratch and again (idempotent run);
  * the network dashboard (no filter, and filtered by region + cohort + year), its CSV;
  * a lead's own dashboard (own values vs goals vs regional and network medians).
Target: the network dashboard under 1 s at 1,000 ecosystems x 3 years.
"""

from __future__ import annotations

import argparse
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
SQLITE_FILE = Path(tempfile.gettempdir()) / "slecop-bench-measurement.sqlite3"


def scratch_database(args) -> None:
    if args.sqlite:
        SQLITE_FILE.unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)
        subprocess.run(["createdb", *pg, args.database], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.update(DJANGO_SETTINGS_MODULE="slecop.settings.test", DATABASE_URL=url)
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


def fetch(client, url: str, params: dict | None) -> tuple[int, bytes]:
    response = client.get(url, params or {})
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


def measure(client, label: str, url: str, params: dict | None = None, cold=None) -> None:
    """Median of 5 requests after a warm-up; `cold` (a callable) runs before each one,
    e.g. to empty the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch(client, url, params)  # warm up
    timings = []
    for _ in range(5):
        if cold:
            cold()
        with CaptureQueriesContext(connection) as queries:
            (status, body), seconds = timed(lambda: fetch(client, url, params))
        if status != 200:
            raise SystemExit(f"{label} answered {status}")
        timings.append(seconds)
    print(
        f"{label}: {len(queries)} queries, {statistics.median(timings) * 1000:.0f} ms median, "
        f"{len(body) // 1024} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecosystems", type=int, default=1_000)
    parser.add_argument("--database", default="slecop_bench_measurement")
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
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from measurement import demo
    from measurement.models import IndicatorReport, IndicatorValue
    from members.models import Ecosystem, User

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    _, seconds = timed(lambda: call_command("seed_demo", ecosystems=args.ecosystems, quiet=True))
    print(f"seed_demo --ecosystems {args.ecosystems} (all apps): {seconds:.1f} s")

    ecosystems = Ecosystem.objects.all()
    IndicatorReport.objects.all().delete()
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
        f"measurement.demo.seed at {ecosystems.count()} ecosystems: {first:.1f} s from scratch, "
        f"{again * 1000:.0f} ms again ({summary}; {IndicatorValue.objects.count()} values)"
    )

    steward = User.objects.filter(groups=Group.objects.get(name="Stewardship team")).first()
    lead = User.objects.get(email="lead@example.org")
    client = Client(SERVER_NAME="localhost")
    client.force_login(steward)
    years = sorted(set(IndicatorReport.objects.values_list("year", flat=True)))
    filtered = {"year": years[0], "region": "south", "cohort": 2021}
    network = reverse("measurement:network")
    measure(client, "network dashboard (cache emptied first)", network, cold=cache.clear)
    measure(client, "network dashboard (aggregates cached)", network)
    measure(client, "network dashboard, filtered (cache emptied)", network, filtered, cache.clear)
    measure(
        client,
        "network CSV (cache emptied first)",
        reverse("measurement:network_csv"),
        cold=cache.clear,
    )
    client.force_login(lead)
    ecosystem = lead.ecosystem_roles.get().ecosystem
    own = reverse("measurement:dashboard", kwargs={"ecosystem": ecosystem.slug})
    measure(client, "lead dashboard (benchmarks cached)", own)
    measure(client, "lead dashboard (cache emptied first)", own, cold=cache.clear)


if __name__ == "__main__":
    main()
