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

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn):
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"{label:52} {elapsed:7.2f} s   {len(connection.queries):5d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecosystems", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--database", default="slecop_bench_convenings")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *pg, args.database], check=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="slecop.settings.dev",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        EMAIL_URL="memorymail://",
        DJANGO_DEBUG="false",
        STRIPE_SECRET_KEY="",
        ALLOWED_HOSTS="testserver,localhost",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.DEBUG = True  # count queries (connection.queries)
    try:
        call_command("migrate", verbosity=0)
        seed = ["seed_demo", "--ecosystems", str(args.ecosystems), "--quiet"]
        timed(f"seed_demo --ecosystems {args.ecosystems}", lambda: call_command(*seed))
        timed("seed_demo again (adds nothing)", lambda: call_command(*seed))
        convening = _services(args.registrations)
        _concurrent(skip=args.registrations)
        _pages(convening)
    finally:
        connections.close_all()
        if not args.keep:
            subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)


def _good_ecosystems(count: int, skip: int = 0):
    from members.models import Ecosystem
    from members.selectors import good_standing_q

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

    timed(f"{len(ecosystems)} registrations (half then waitlisted)", register_all)
    confirmed = list(
        Registration.objects.filter(convening=convening, status="confirmed")[: count // 4]
    )

    def cancel_all():
        for registration in confirmed:
            registration_cancel(acting_user=None, registration=registration)

    timed(f"{len(confirmed)} cancellations, each promoting one", cancel_all)
    return Convening.objects.filter(kind="national", published=True).order_by("-starts_at")[0]


def _concurrent(skip: int) -> None:

    from convenings.models import Registration
    from convenings.services import Attendee, registration_create
    from tests.concurrency import run_concurrently

    convening = _bench_convening("bench-ten-seats", capacity=10)
    ecosystems = _good_ecosystems(50, skip=skip)  # not used by the service run
    timed(
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
    from django.test import Client

    from convenings.models import Registration
    from members.models import User

    staff, lead = Client(), Client()
    staff.force_login(User.objects.get(email="staff@example.org"))
    lead.force_login(User.objects.get(email="lead@example.org"))
    n = Registration.objects.filter(convening=convening).count()
    print(f"  (pages of {convening.title}: {n} registrations)")
    base = f"/staff/convenings/{convening.slug}/"
    timed("lead's registrations page", lambda: lead.get("/my/boston-stem-ecosystem/convenings/"))
    timed(
        "My ecosystem (with the convenings panel)", lambda: lead.get("/my/boston-stem-ecosystem/")
    )
    timed("public convening page", lambda: lead.get(f"/convenings/{convening.slug}/"))
    timed("staff overview (by region, by session)", lambda: staff.get(base))
    timed("check-in search 'an'", lambda: staff.get(f"{base}check-in/", {"q": "an"}))
    timed("badge list (first page)", lambda: staff.get(f"{base}badges/"))
    rows = timed(
        "attendee CSV (streamed)",
        lambda: sum(
            chunk.count(b"\n") for chunk in staff.get(f"{base}attendees.csv").streaming_content
        ),
    )
    print(f"  {rows - 1} rows")


if __name__ == "__main__":
    main()
