"""Demo convenings for `manage.py seed_demo`: next year's national convening (with the
new ecosystem orientation and the new cohort reception), a regional convening for the
Northeast, a virtual meeting, a small topical summit that is full with a waitlist, and
last year's national convening with attendees checked in.

Registrations are written in bulk for ecosystems in good standing (one query at any
network size; the national convening takes a few hundred of them), never for the first
demo ecosystem, so lead@example.org starts with both included seats free. Idempotent:
a convening is keyed by its slug, and only convenings created by this run get
registrations."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from members.billing.selectors import good_standing_q
from members.demo_data import FIRST_NAMES, LAST_NAMES
from members.models import Region

from .models import Convening, Registration, Session

ROLES = ["Backbone director", "Program manager", "School district STEM coordinator",
         "Museum educator", "Out-of-school time director", "Data and evaluation lead"]  # fmt: skip
DIETARY = ["", "", "", "", "Vegetarian", "Vegan", "Gluten free", "No pork"]
ACCESS = ["", "", "", "", "", "", "Wheelchair access", "Captioning", "Quiet room"]
BATCH = 1000


@dataclass(frozen=True)
class Plan:
    slug: str
    title: str
    kind: str
    days_from_now: int
    capacity: int
    attendees: int  # registrations to create (confirmed first, then waitlisted)
    extra_seat_cents: int = 0
    region_slug: str | None = None
    venue: str = ""
    online_url: str = ""
    sessions: tuple[tuple[str, int, bool], ...] = ()
    checked_in: float = 0.0


def _plans(today) -> list[Plan]:
    year = today.year + 1
    return [
        Plan(
            f"national-convening-{year}",
            f"SLECoP National Convening {year}",
            Convening.Kind.NATIONAL,
            120,
            400,
            300,
            extra_seat_cents=45_000,
            venue="Hynes Convention Center, Boston, MA",
            sessions=(
                ("New ecosystem orientation", 80, True),
                ("New cohort reception", 150, False),
                ("Measurement and data workshop", 60, False),
            ),
        ),
        Plan(
            f"northeast-regional-{year}",
            f"Northeast Regional Convening {year}",
            Convening.Kind.REGIONAL,
            60,
            120,
            40,
            region_slug="northeast",
            venue="Providence Public Library, Providence, RI",
        ),
        Plan(
            "virtual-cs-for-all",
            "Virtual meeting: Computer Science for All",
            Convening.Kind.VIRTUAL,
            21,
            500,
            60,
            online_url="https://meet.example.org/slecop-cs-for-all",
        ),
        Plan(
            f"early-childhood-stem-summit-{year}",
            f"Early Childhood STEM Summit {year}",
            Convening.Kind.TOPICAL,
            45,
            40,
            55,
            venue="Please Touch Museum, Philadelphia, PA",
        ),
        Plan(
            f"national-convening-{today.year - 1}",
            f"SLECoP National Convening {today.year - 1}",
            Convening.Kind.NATIONAL,
            -300,
            350,
            250,
            venue="Navy Pier, Chicago, IL",
            sessions=(
                ("New ecosystem orientation", 80, True),
                ("New cohort reception", 150, False),
            ),
            checked_in=0.85,
        ),
    ]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _convening(plan: Plan, today, regions) -> Convening:
    start_day = today + timedelta(days=plan.days_from_now)
    starts = _at(start_day, 9)
    return Convening(
        slug=plan.slug,
        title=plan.title,
        kind=plan.kind,
        region=regions.get(plan.region_slug) if plan.region_slug else None,
        description=(
            "Ecosystem leaders from across the network share practice, meet their regional "
            "peers and plan the year ahead. Each ecosystem in good standing may send two "
            "attendees as a benefit of membership."
        ),
        starts_at=starts,
        ends_at=starts + timedelta(days=1 if plan.kind != Convening.Kind.VIRTUAL else 0, hours=8),
        venue=plan.venue,
        online_url=plan.online_url,
        capacity=plan.capacity,
        extra_seat_cents=plan.extra_seat_cents,
        registration_opens_at=_at(today - timedelta(days=30), 9)
        if plan.days_from_now > 0
        else starts - timedelta(days=120),
        registration_closes_at=starts - timedelta(days=min(7, max(plan.days_from_now, 7))),
        published=True,
    )


def _person(rng: random.Random, slug: str, seat: int) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{first}.{last}.{seat}@{slug}.example.org".lower()


def _registrations(convening, plan, sessions, ecosystems, rng) -> tuple[list, list]:
    rows, chosen_sessions = [], []
    now = timezone.now()
    waitlist = 0
    taken = dict.fromkeys((s.pk for s in sessions), 0)
    for index, (ecosystem_id, slug) in enumerate(ecosystems):
        if len(rows) >= plan.attendees:
            break
        seats = 2 if index % 3 else 1
        for seat_no in range(1, seats + 1):
            if len(rows) >= plan.attendees:
                break
            name, email = _person(rng, slug, seat_no)
            confirmed = len(rows) < plan.capacity
            if not confirmed:
                waitlist += 1
            checked = confirmed and plan.checked_in and rng.random() < plan.checked_in
            rows.append(
                Registration(
                    convening=convening,
                    ecosystem_id=ecosystem_id,
                    attendee_name=name,
                    attendee_email=email,
                    attendee_role=rng.choice(ROLES),
                    dietary_needs=rng.choice(DIETARY),
                    accessibility_needs=rng.choice(ACCESS),
                    status="confirmed" if confirmed else "waitlisted",
                    seat_kind="included",
                    seat_no=seat_no,
                    waitlist_position=None if confirmed else waitlist,
                    confirmed_at=now if confirmed else None,
                    checked_in_at=convening.starts_at + timedelta(minutes=rng.randint(0, 90))
                    if checked
                    else None,
                )
            )
            picked = [
                s
                for s in sessions
                if confirmed
                and taken[s.pk] < s.capacity
                and rng.random() < s.capacity / plan.capacity
            ]
            for s in picked:
                taken[s.pk] += 1
            chosen_sessions.append(picked)
    return rows, chosen_sessions


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    today = timezone.localdate()
    plans = _plans(today)
    existing = set(
        Convening.objects.filter(slug__in=[p.slug for p in plans]).values_list("slug", flat=True)
    )
    todo = [p for p in plans if p.slug not in existing]
    if not todo:
        return f"convenings: {len(plans)} convenings (none new)"
    regions = {r.slug: r for r in Region.objects.all()}
    first = ecosystems.order_by("pk").values_list("pk", flat=True).first()
    # One query at any size: ecosystems in good standing, in a stable shuffled order.
    eligible = list(
        ecosystems.filter(good_standing_q())
        .exclude(pk=first)
        .order_by("pk")
        .values_list("pk", "slug", "region__slug")[:5000]
    )
    rng.shuffle(eligible)
    created = 0
    with transaction.atomic():
        for plan in todo:
            convening = _convening(plan, today, regions)
            convening.save()
            sessions = Session.objects.bulk_create(
                Session(
                    convening=convening,
                    title=title,
                    capacity=capacity,
                    is_orientation=orientation,
                    starts_at=convening.starts_at + timedelta(hours=i),
                )
                for i, (title, capacity, orientation) in enumerate(plan.sessions)
            )
            pool = [
                (pk, slug)
                for pk, slug, region in eligible
                if plan.region_slug is None or region == plan.region_slug
            ]
            rows, chosen = _registrations(convening, plan, sessions, pool, rng)
            Registration.objects.bulk_create(rows, batch_size=BATCH)
            through = Registration.sessions.through
            through.objects.bulk_create(
                [
                    through(registration_id=r.pk, session_id=s.pk)
                    for r, picked in zip(rows, chosen, strict=True)
                    for s in picked
                ],
                batch_size=BATCH,
            )
            created += len(rows)
    return f"convenings: {len(plans)} convenings ({len(todo)} new), {created} registrations"
