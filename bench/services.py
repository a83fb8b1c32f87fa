"""Benchmark: add-on services and onboarding at 10,000 ecosystems (not a test; figures in
docs/services.md).

    .venv/bin/python bench/services.py                          # PostgreSQL
    .venv/bin/python bench/services.py --ecosystems 2000 --cohort 1000 --sqlite

Creates a scratch database (slecop_bench_services on the local PostgreSQL, or a SQLite
file with --sqlite), migrates, seeds the demo network, then measures:
  * the services/onboarding part of the demo seed (from scratch and again);
  * the staff cohort progress page with a cohort of C onboarding ecosystems (one page of
    50): queries and time, at a small cohort and at C — the query count must not grow;
  * a lead's My ecosystem page while onboarding (checklist panel) and the request list;
  * onboardings_activate_completed over every onboarding ecosystem (the hourly task);
  * join_application_approve (ecosystem, onboarding, invitation, dues invoice).
"""

from __future__ import annotations

import random
import statistics
import sys

from _common import measure, migrate_and_seed, parser, run_with_scratch_database, timed


def grow_cohort(size: int, year: int, coach) -> None:
    """Put `size` more active demo ecosystems into this year's onboarding cohort."""
    from members.models import Ecosystem, Onboarding

    ids = list(
        Ecosystem.objects.filter(status="active", onboarding__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    Ecosystem.objects.filter(pk__in=ids).update(status="onboarding", cohort_year=year)
    Onboarding.objects.bulk_create(
        [Onboarding(ecosystem_id=pk, cohort_year=year, coach=coach) for pk in ids],
        batch_size=1000,
    )


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_services")
    cli.add_argument("--cohort", type=int, default=3_000)
    run_with_scratch_database(cli.parse_args(), run)


def run(args) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from members.catalogue import demo as demo_services
    from members.models import Ecosystem, JoinApplication, Onboarding, User
    from members.onboarding.services.checklist import onboardings_activate_completed
    from members.onboarding.services.joining import join_application_approve

    migrate_and_seed(args.ecosystems)
    ecosystems = Ecosystem.objects.all()
    _, again = timed(
        lambda: demo_services.seed(ecosystems=ecosystems, rng=random.Random(1), stdout=sys.stdout)
    )
    print(f"members.catalogue.demo.seed again (idempotent): {again * 1000:.0f} ms")

    year = timezone.localdate().year
    staff = User.objects.get(email="staff@example.org")
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff)
    url = reverse("members:cohort_progress")
    params = {"scope": "all", "year": year}
    small = Onboarding.objects.filter(cohort_year=year).count()
    first = measure(client, url, f"cohort page, cohort of {small}", params)
    grow_cohort(args.cohort - small, year, staff)
    big = Onboarding.objects.filter(cohort_year=year).count()
    second = measure(client, url, f"cohort page, cohort of {big}", params)
    print(f"  query count constant: {first == second}")

    onboarding = Onboarding.objects.filter(cohort_year=year).select_related("ecosystem").first()
    lead = onboarding.ecosystem.roles.filter(role="lead").first().user
    lead_client = Client(SERVER_NAME="localhost")
    lead_client.force_login(lead)
    measure(lead_client, onboarding.ecosystem.get_dashboard_url(), "My ecosystem (onboarding)")
    measure(
        lead_client,
        reverse("members:catalogue_requests", kwargs={"ecosystem": onboarding.ecosystem.slug}),
        "service request list",
    )

    activated, seconds = timed(lambda: onboardings_activate_completed())
    total = Ecosystem.objects.filter(status="onboarding").count() + activated
    print(
        f"onboardings_activate_completed over {total} onboarding ecosystems: "
        f"{seconds * 1000:.0f} ms ({activated} activated)"
    )

    pending = JoinApplication.objects.filter(status="pending").exclude(
        lead_email__startswith="spam"
    )
    times = []
    for application in pending:
        _, seconds = timed(
            lambda a=application: join_application_approve(
                acting_user=staff, application=a, coach=staff
            )
        )
        times.append(seconds)
    if times:
        print(
            f"join_application_approve: {statistics.median(times) * 1000:.0f} ms median "
            f"over {len(times)}"
        )


if __name__ == "__main__":
    main()
