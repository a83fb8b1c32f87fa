"""Benchmark the resource library's list and search pages at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/slecop_bench \\
        .venv/bin/python bench/resources_library.py --resources 10000

Inserts N resources (slugs "bench-…", removed afterwards), then times the library page
(browse, search, search + facet) through the test client, as an anonymous visitor and as
a member in good standing, and prints the median time and the number of queries.
Run `manage.py migrate` on the database first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slecop.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from resources.models import Resource, Topic  # noqa: E402

WORDS = [
    *("robotics", "partnership", "family", "museum", "employer", "pathway", "measurement"),
    *("equity", "summer", "afterschool", "coding", "engineering", "science", "library"),
    *("mentor", "governance", "data", "grant"),
]


def populate(n: int) -> None:
    topics = [
        Topic.objects.get_or_create(slug=f"bench-{i}", name=f"Bench topic {i}")[0]
        for i in range(12)
    ]
    now = timezone.now()
    batch = []
    for i in range(n):
        w = [WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7, 11)]
        batch.append(
            Resource(
                title=f"{w[0].title()} {w[1]} guide {i}",
                slug=f"bench-{i}",
                summary=f"How ecosystems use {w[2]} and {w[3]}.",
                body=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(120)),
                kind=Resource.Kind.values[i % len(Resource.Kind.values)],
                attribute=Resource.Attribute.values[i % 5],
                visibility=Resource.Visibility.values[i % 3],
                is_published=True,
                published_at=now,
            )
        )
    Resource.objects.bulk_create(batch, batch_size=2000)
    ids = list(Resource.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    Through = Resource.topics.through
    Through.objects.bulk_create(
        [Through(resource_id=pk, topic_id=topics[(pk // 3) % 12].pk) for pk in ids], batch_size=5000
    )


def measure(client: Client, params: dict, repeat: int) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get("/library/", params)
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{params}: HTTP {response.status_code}")
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries, response.context["page_obj"].paginator.count


def main() -> None:
    setup_test_environment()  # response.context, locmem email
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    populate(args.resources)
    print(
        f"{connection.vendor}: inserted {args.resources} resources in "
        f"{time.perf_counter() - start:.1f}s"
    )
    try:
        from members.models import User

        member = User.objects.filter(ecosystem_roles__isnull=False).first()
        clients = {"anonymous": Client()}
        if member:
            clients["member"] = Client()
            clients["member"].force_login(member)
        cases = {
            "browse": {},
            "browse page 20": {"page": 20},
            "search": {"q": "robotics mentor"},
            "search + kind": {"q": "family", "kind": "toolkit"},
            "topic facet": {"topic": "bench-3"},
        }
        for who, client in clients.items():
            for name, params in cases.items():
                ms, queries, found = measure(client, params, args.repeat)
                print(f"  {who:9} {name:15} {ms:7.1f} ms  {queries:2} queries  {found} found")
    finally:
        Resource.objects.filter(slug__startswith="bench-").delete()
        Topic.objects.filter(slug__startswith="bench-").delete()


if __name__ == "__main__":
    main()
