"""Benchmark the resource library's list and search pages at scale (not a test).

    .venv/bin/python bench/resources_library.py --resources 10000      # PostgreSQL
    .venv/bin/python bench/resources_library.py --sqlite --resources 500

Creates a scratch database (slecop_bench_resources on the local PostgreSQL, or a file in
the temporary directory with --sqlite), migrates, seeds a small demo network (a member
in good standing to browse as), inserts N resources, then times the library page
(browse, search, search + facet) through the test client, as an anonymous visitor and as
a member, and prints the median time and the number of queries.
"""

from __future__ import annotations

import statistics

from _common import migrate_and_seed, parser, run_with_scratch_database, timed

WORDS = [
    *("robotics", "partnership", "family", "museum", "employer", "pathway", "measurement"),
    *("equity", "summer", "afterschool", "coding", "engineering", "science", "library"),
    *("mentor", "governance", "data", "grant"),
]


def populate(n: int) -> None:
    from django.utils import timezone

    from resources.models import Resource, Topic

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


def measure(client, params: dict, repeat: int) -> tuple[float, int, int]:
    """The library page: median ms, queries, and how many resources it found."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            response, seconds = timed(lambda: client.get("/library/", params))
        times.append(seconds)
        if response.status_code != 200:
            raise SystemExit(f"{params}: HTTP {response.status_code}")
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries, response.context["page_obj"].paginator.count


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_resources", ecosystems=200)
    cli.add_argument("--resources", type=int, default=10_000)
    cli.add_argument("--repeat", type=int, default=7)
    run_with_scratch_database(cli.parse_args(), run)


def run(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from members.models import User

    setup_test_environment()  # response.context, locmem email
    migrate_and_seed(args.ecosystems)
    _, seconds = timed(lambda: populate(args.resources))
    print(f"{connection.vendor}: inserted {args.resources} resources in {seconds:.1f}s")
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


if __name__ == "__main__":
    main()
