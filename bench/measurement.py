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

from _common import (
    demo_seed_twice,
    measure,
    migrate_and_seed,
    parser,
    run_with_scratch_database,
)


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_measurement", ecosystems=1_000)
    run_with_scratch_database(cli.parse_args(), run)


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from measurement import demo
    from measurement.models import IndicatorReport, IndicatorValue
    from members.models import Ecosystem, User

    migrate_and_seed(args.ecosystems)

    ecosystems = Ecosystem.objects.all()
    IndicatorReport.objects.all().delete()
    summary, first, again = demo_seed_twice(demo, ecosystems)
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
    measure(client, network, "network dashboard (cache emptied first)", cold=cache.clear, size=True)
    measure(client, network, "network dashboard (aggregates cached)", size=True)
    measure(
        client,
        network,
        "network dashboard, filtered (cache emptied)",
        filtered,
        cold=cache.clear,
        size=True,
    )
    measure(
        client,
        reverse("measurement:network_csv"),
        "network CSV (cache emptied first)",
        cold=cache.clear,
        size=True,
    )
    client.force_login(lead)
    ecosystem = lead.ecosystem_roles.get().ecosystem
    own = reverse("measurement:dashboard", kwargs={"ecosystem": ecosystem.slug})
    measure(client, own, "lead dashboard (benchmarks cached)", size=True)
    measure(client, own, "lead dashboard (cache emptied first)", cold=cache.clear, size=True)


if __name__ == "__main__":
    main()
