"""Demo data of issue 10 (called from members.demo.seed): onboarding records with coaches
and ticks for this year's and last year's cohorts, service requests in every state (fees
invoiced through the service), and join applications waiting for review — one of them
spam-like, to show it escaped. Bulk and idempotent (a second run adds nothing)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from members.catalogue import services as catalogue
from members.models import (
    Ecosystem,
    EcosystemRole,
    JoinApplication,
    Onboarding,
    OnboardingTick,
    Region,
    Service,
    ServiceRequest,
    User,
)
from members.onboarding import checklist_items

BATCH = 1000
MAX_REQUESTS = 150
NEEDS = [
    "Map the STEM learning opportunities across our county before the spring funders meeting.",
    "A design studio with our district and museum partners on summer learning.",
    "Help us prepare a collective grant with two neighbouring ecosystems.",
    "Coaching for our new backbone director and steering committee.",
    "Analysis of our partner survey (about 300 responses) by program type and zip code.",
]
APPLICANTS = [
    ("High Plains STEM Collaborative", "midwest", "Amarillo", "TX", "hana.plains@example.org"),
    ("Coastal Carolina STEM Ecosystem", "south", "Wilmington", "NC", "k.reyes@example.org"),
    ("Lakes Region STEM Hub", "northeast", "Laconia", "NH", "lakes.hub@example.org"),
    (
        'Cheap watches <script>alert("spam")</script>',
        "west",
        "",
        "",
        "spam-bot@example.org",
    ),
]


def seed(*, ecosystems, rng: random.Random, stdout) -> str | None:
    this_year = timezone.localdate().year
    coaches = list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    with transaction.atomic():
        onboardings = _onboardings(ecosystems, this_year, coaches, rng)
        ticks = _ticks(onboardings, rng)
        applications = _applications()
    # the services email leads and staff at each step: not for made-up demo requests
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        requests = _requests(ecosystems, coaches, rng)
    if not (onboardings or ticks or applications or requests):
        return None
    return (
        f"services: {len(onboardings)} onboardings, {ticks} coach ticks, {requests} service "
        f"requests, {applications} join applications"
    )


def _onboardings(ecosystems, this_year: int, coaches, rng) -> list[Onboarding]:
    rows = list(
        ecosystems.filter(cohort_year__gte=this_year - 1, onboarding__isnull=True)
        .order_by("pk")
        .values_list("pk", "cohort_year", "status", "created_at")
    )
    now = timezone.now()
    created = Onboarding.objects.bulk_create(
        [
            Onboarding(
                ecosystem_id=pk,
                cohort_year=cohort,
                coach=rng.choice(coaches) if coaches else None,
                completed_at=None if status == Ecosystem.Status.ONBOARDING else now,
            )
            for pk, cohort, status, _ in rows
        ],
        batch_size=BATCH,
    )
    return created


def _ticks(onboardings: list[Onboarding], rng) -> int:
    """Coach ticks for the onboardings this run created (all of them when completed)."""
    manual = [item.key for item in checklist_items() if not item.automatic]
    ticks = []
    for onboarding in onboardings:
        done = onboarding.completed_at is not None
        keys = manual if done else rng.sample(manual, rng.randint(0, len(manual)))
        ticks += [
            OnboardingTick(
                ecosystem_id=onboarding.ecosystem_id, key=key, ticked_by_id=onboarding.coach_id
            )
            for key in keys
        ]
    return len(OnboardingTick.objects.bulk_create(ticks, batch_size=BATCH))


def _applications() -> int:
    regions = {r.slug: r for r in Region.objects.all()}
    new = [
        JoinApplication(
            ecosystem_name=name,
            region=regions[slug],
            city=city,
            state_province=state,
            lead_first_name=email.split("@")[0].split(".")[0].title(),
            lead_last_name="Applicant",
            lead_email=email,
            partners="Unified School District\nCity Science Center\nPublic Library",
            why="We want to join a community of practice of peers."
            if "spam" not in email
            else "<b>BUY NOW</b> " * 40,
        )
        for name, slug, city, state, email in APPLICANTS
        if not JoinApplication.objects.filter(lead_email=email).exists()
    ]
    return len(JoinApplication.objects.bulk_create(new))


def _requests(ecosystems, coaches, rng) -> int:
    """Requests go through the services (fees need invoices); capped at MAX_REQUESTS."""
    if ServiceRequest.objects.exists():
        return 0
    services = list(Service.objects.filter(availability=Service.Availability.ACTIVE))
    active = list(
        ecosystems.filter(status=Ecosystem.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(active, min(len(active) // 10 + 1, MAX_REQUESTS, len(active))))
    leads = dict(
        EcosystemRole.objects.filter(ecosystem_id__in=chosen, role="lead").values_list(
            "ecosystem_id", "user"
        )
    )
    by_id = Ecosystem.objects.in_bulk(chosen)
    users = User.objects.in_bulk(set(leads.values()))
    staff = coaches[0] if coaches else None
    count = 0
    for pk in chosen:
        lead = users.get(leads.get(pk))
        service = rng.choice(services)
        request = catalogue.service_request_create(
            acting_user=lead,
            ecosystem=by_id[pk],
            service=service,
            need=rng.choice(NEEDS),
            preferred_timing=rng.choice(["", "This spring", "Before our fall board meeting"]),
        )
        count += 1
        _advance(request, service, staff, rng)
    return count


def _advance(request, service, staff, rng) -> None:
    step = rng.randint(0, 4)
    if step == 0 or staff is None:
        return
    if step == 4:
        catalogue.service_request_decline(
            acting_user=staff, request=request, reason="Outside what we can offer this year."
        )
        return
    fee = rng.choice([60_000, 120_000, 350_000]) if service.pricing == "quote" else None
    catalogue.service_request_accept(acting_user=staff, request=request, fee_cents=fee)
    catalogue.service_request_assign(acting_user=staff, request=request, staff_member=staff)
    if step >= 2:
        day = timezone.localdate() + timedelta(days=rng.randint(7, 60))
        catalogue.service_request_schedule(acting_user=staff, request=request, scheduled_for=day)
    if step >= 3:
        catalogue.service_request_complete(acting_user=staff, request=request)
