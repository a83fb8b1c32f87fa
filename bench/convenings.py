"""Benchmark: convenings at 10,000 ecosystems on PostgreSQL.

    .venv/bin/python bench/convenings.py                    # 10,000 ecosystems
    .venv/bin/python bench/convenings.py --ecosystems 2000 --keep

Creates a scratch database (slecop_bench_convenings on the local PostgreSQL), migrates,
then times:

- seed_demo with the convenings demo data, and the same command again (adds nothing);
- registering attendees one by one through the service on a convening with a few
  thousand registrations (confirmed, then waitlisted), and cancellations that promote;
- 50 concurrent registrations from different ecosystems for 10 remaining seats;
- the lead's page, the staff overview (counts by region and session), the door check-in
  search, the badge list and the attendee CSV export (time and query count).
"""

from __future__ import annotations

import _common as bench


def main() -> None:
    cli = bench.parser(__doc__, database="slecop_bench_convenings", sqlite=False)
    cli.add_argument("--registrations", type=int, default=400)
    bench.run_with_scratch_database(cli.parse_args(), run, bench.DEV_ENVIRONMENT)


def run(args) -> None:
    bench.setup_counting_queries()
    bench.seed_demo_twice(args.ecosystems, f"seed_demo --ecosystems {args.ecosystems}")
    convening = _services(args.registrations)
    _concurrent(skip=args.registrations)
    _pages(convening)


def _good_ecosystems(count: int, skip: int = 0):
    from members.billing.selectors import good_standing_q
    from members.models import Ecosystem

    return list(Ecosystem.objects.filter(good_standing_q()).order_by("pk")[skip : skip + count])


def _bench_convening(slug: str, *, capacity: int):
    from datetime import timedelta

    from django.utils import timezone

    from convenings.models import Convening

    now = timezone.now()
    return Convening.objects.create(
        slug=slug,
        title=slug.replace("-", " ").capitalize(),
        kind="national",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=31),
        capacity=capacity,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=20),
        published=True,
    )


def _services(count: int):

    from convenings.models import Convening, Registration
    from convenings.services import Attendee, registration_cancel, registration_create

    convening = _bench_convening("bench-convening", capacity=count // 2)
    ecosystems = _good_ecosystems(count)

    def register_all():
        for i, ecosystem in enumerate(ecosystems):
            registration_create(
                acting_user=None,
                convening=convening,
                ecosystem=ecosystem,
                attendee=Attendee(name=f"Bench Person {i}", email=f"bench{i}@example.org"),
            )

    bench.report(f"{len(ecosystems)} registrations (half then waitlisted)", register_all)
    confirmed = list(
        Registration.objects.filter(convening=convening, status="confirmed")[: count // 4]
    )

    def cancel_all():
        for registration in confirmed:
            registration_cancel(acting_user=None, registration=registration)

    bench.report(f"{len(confirmed)} cancellations, each promoting one", cancel_all)
    return Convening.objects.filter(kind="national", published=True).order_by("-starts_at")[0]


def _concurrent(skip: int) -> None:

    from convenings.models import Registration
    from convenings.services import Attendee, registration_create
    from tests.concurrency import run_concurrently

    convening = _bench_convening("bench-ten-seats", capacity=10)
    ecosystems = _good_ecosystems(50, skip=skip)  # not used by the service run
    bench.report(
        "50 concurrent registrations for 10 seats",
        lambda: run_concurrently(
            lambda i: registration_create(
                acting_user=None,
                convening=convening,
                ecosystem=ecosystems[i],
                attendee=Attendee(name=f"Racer {i}", email=f"racer{i}@example.org"),
            ),
            len(ecosystems),
        ),
    )
    rows = Registration.objects.filter(convening=convening)
    print(
        f"  {rows.filter(status='confirmed').count()} confirmed, "
        f"{rows.filter(status='waitlisted').count()} waitlisted"
    )


def _pages(convening) -> None:
    from convenings.models import Registration

    staff, lead = bench.client_for("staff@example.org"), bench.client_for("lead@example.org")
    n = Registration.objects.filter(convening=convening).count()
    print(f"  (pages of {convening.title}: {n} registrations)")
    base = f"/staff/convenings/{convening.slug}/"
    bench.report(
        "lead's registrations page", lambda: lead.get("/my/boston-stem-ecosystem/convenings/")
    )
    bench.report(
        "My ecosystem (with the convenings panel)", lambda: lead.get("/my/boston-stem-ecosystem/")
    )
    bench.report("public convening page", lambda: lead.get(f"/convenings/{convening.slug}/"))
    bench.report("staff overview (by region, by session)", lambda: staff.get(base))
    bench.report("check-in search 'an'", lambda: staff.get(f"{base}check-in/", {"q": "an"}))
    bench.report("badge list (first page)", lambda: staff.get(f"{base}badges/"))
    rows = bench.report(
        "attendee CSV (streamed)",
        lambda: bench.streamed_lines(staff.get(f"{base}attendees.csv")),
    )
    print(f"  {rows - 1} rows")


if __name__ == "__main__":
    main()
