"""What every benchmark script shares: the command line, a scratch database, timing and
page measurement. Not a test; see bench/README.md.

A script builds its parser with `parser(...)`, calls `scratch_database(args)` before
Django is set up, runs inside `try: ... finally: drop_database(args)` (unless `--keep`),
and measures with `timed`, `report` or `measure`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG = ["-h", "127.0.0.1", "-U", "postgres"]

# Settings for the scripts that run with the development settings (real password hashing,
# the outbox, the payment simulator): mail into memory, no debug pages, no real Stripe.
DEV_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "slecop.settings.dev",
    "EMAIL_URL": "memorymail://",
    "DJANGO_DEBUG": "false",
    "STRIPE_SECRET_KEY": "",
    "ALLOWED_HOSTS": "testserver,localhost",
}
# The test settings: fast password hashing.
TEST_ENVIRONMENT = {"DJANGO_SETTINGS_MODULE": "slecop.settings.test"}


def parser(
    doc: str, *, database: str, ecosystems: int | None = 10_000, sqlite: bool = True
) -> argparse.ArgumentParser:
    """The flags every script takes: --ecosystems (unless None), --database (the scratch
    PostgreSQL database), --sqlite (a SQLite file instead, where the script supports it)
    and --keep. The description is the first line of the script's docstring."""
    result = argparse.ArgumentParser(description=doc.splitlines()[0])
    if ecosystems is not None:
        result.add_argument("--ecosystems", type=int, default=ecosystems)
    result.add_argument("--database", default=database)
    if sqlite:
        result.add_argument("--sqlite", action="store_true", help="a SQLite file instead")
    result.add_argument("--keep", action="store_true", help="keep the scratch database")
    return result


def _sqlite_file(args) -> Path:
    # slecop_bench_governance -> <tmp>/slecop-bench-governance.sqlite3
    return Path(tempfile.gettempdir()) / f"{args.database.replace('_', '-')}.sqlite3"


def _uses_sqlite(args) -> bool:
    return getattr(args, "sqlite", False)


def scratch_database(args, environment: dict[str, str] = TEST_ENVIRONMENT) -> None:
    """Create an empty scratch database (dropping any left over) and point Django at it.
    Call before django.setup()."""
    if _uses_sqlite(args):
        _sqlite_file(args).unlink(missing_ok=True)
        url = f"sqlite:///{_sqlite_file(args)}"
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
        subprocess.run(["createdb", *PG, args.database], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.update(environment, DATABASE_URL=url)
    os.environ.pop("REDIS_URL", None)


def drop_database(args) -> None:
    """Close every connection and remove the scratch database, unless --keep."""
    from django.db import connections

    connections.close_all()
    if args.keep:
        return
    if _uses_sqlite(args):
        _sqlite_file(args).unlink(missing_ok=True)
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)


def timed(fn):
    """Call fn(); return (its result, seconds taken)."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def report(label: str, fn, *, width: int = 52):
    """Call fn() and print its time and query count on one line; return its result.
    Counts connection.queries, so the script sets settings.DEBUG = True."""
    from django.db import connection, reset_queries

    reset_queries()
    result, elapsed = timed(fn)
    print(f"{label:{width}} {elapsed:7.2f} s   {len(connection.queries):5d} queries")
    return result


def migrate_and_seed(ecosystems: int) -> None:
    """Migrate the scratch database and run seed_demo, printing the time it took."""
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    _, seconds = timed(lambda: call_command("seed_demo", ecosystems=ecosystems, quiet=True))
    print(f"seed_demo --ecosystems {ecosystems} (all apps): {seconds:.1f} s")


def first_and_again(fn):
    """Run fn twice (a seed from scratch, then the idempotent run): (result, first, again)."""
    result, first = timed(fn)
    _, again = timed(fn)
    return result, first, again


def demo_seed_twice(demo, ecosystems):
    """An app's demo.seed from scratch, then again (it must add nothing), with the same
    random seed: (its summary, seconds the first time, seconds again)."""
    import random

    return first_and_again(
        lambda: demo.seed(
            ecosystems=ecosystems,
            rng=random.Random("bench"),
            stdout=sys.stdout,
            options={"quiet": True},
        )
    )


def fetch(client, url: str, params: dict | None = None) -> tuple[int, bytes]:
    """GET url; read a streamed body (a CSV export) too, so its time and queries count."""
    response = client.get(url, params or {})
    if getattr(response, "streaming", False):
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


def measure(
    client,
    url: str,
    label: str,
    params: dict | None = None,
    *,
    cold=None,
    size: bool = False,
    repeat: int = 5,
) -> int:
    """Request url once to warm up, then `repeat` times; print the query count and the
    median time (and the body size with size=True); return the query count. `cold` (a
    callable) runs before each timed request, outside the measurement (e.g. cache.clear).
    Anything but a 200 stops the script."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch(client, url, params)  # warm up
    timings = []
    for _ in range(repeat):
        if cold:
            cold()
        with CaptureQueriesContext(connection) as queries:
            (status, body), seconds = timed(lambda: fetch(client, url, params))
        if status != 200:
            raise SystemExit(f"{label} answered {status}")
        timings.append(seconds)
    line = f"{label}: {len(queries)} queries, {statistics.median(timings) * 1000:.0f} ms median"
    print(f"{line}, {len(body) // 1024} KiB" if size else line)
    return len(queries)


def run_with_scratch_database(args, run, environment: dict[str, str] = TEST_ENVIRONMENT) -> None:
    """scratch_database, then run(args), then drop_database whatever happens."""
    scratch_database(args, environment)
    try:
        run(args)
    finally:
        drop_database(args)


def setup_counting_queries() -> None:
    """django.setup() with settings.DEBUG on, so `report` can count connection.queries."""
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = True


def seed_demo_twice(ecosystems: int, label: str, *, width: int = 52) -> None:
    """Migrate, run seed_demo, then run it again (it must add nothing); `report` each."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed = ["seed_demo", "--ecosystems", str(ecosystems), "--quiet"]
    report(label, lambda: call_command(*seed), width=width)
    report("seed_demo again (adds nothing)", lambda: call_command(*seed), width=width)


def client_for(email: str | None = None, **defaults):
    """A test client, logged in as the user with this email (anonymous without one)."""
    from django.test import Client

    from members.models import User

    client = Client(**defaults)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def streamed_lines(response) -> int:
    """Read a streamed response (a CSV export) to the end; return its number of lines."""
    return sum(chunk.count(b"\n") for chunk in response.streaming_content)
