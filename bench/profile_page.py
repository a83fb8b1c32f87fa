"""Where one page spends its time: its SQL queries (slowest first) and the Python functions
that take the most cumulative time (not a test; a companion of `load.py`).

    .venv/bin/python bench/profile_page.py /my/<slug>/ --as lead
    .venv/bin/python bench/profile_page.py /ecosystems/?page=300 --top 25

Runs against the database `load.py` seeded (`--database`, default slecop_bench_load) with
the same settings as the load benchmark (DEBUG off, Redis cache). The page is requested
once to warm caches, then `--repeat` times: the median time is printed, the queries of the
last request with their times, and a cProfile of one more request.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # bench_settings, bench_urls

USERS = {"lead": "lead@example.org", "staff": "staff@example.org"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--as", dest="viewer", choices=sorted(USERS), default=None)
    parser.add_argument("--database", default="slecop_bench_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=20, help="functions to list")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--callers", help="list the callers of functions matching this")
    parser.add_argument("--cold", action="store_true", help="clear the cache before each")
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        DJANGO_DEBUG="0",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        REDIS_URL=args.redis,
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    client = Client()
    if args.viewer:
        client.force_login(User.objects.get(email=USERS[args.viewer]))

    def get():
        if args.cold:
            cache.clear()
        return client.get(args.url)

    response = get()
    print(f"{args.url} as {args.viewer or 'anonymous'}: status {response.status_code}")
    times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            get()
            times.append(time.perf_counter() - start)
    print(f"median {statistics.median(times) * 1000:.1f} ms over {args.repeat}")
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries)
    print(f"{len(queries)} queries, {total * 1000:.1f} ms in the database:")
    for q in queries:
        print(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:220]}")
    profile = cProfile.Profile()
    profile.enable()
    get()
    profile.disable()
    stats = pstats.Stats(profile).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
