"""Reads of the convenings app. Every list is built in a constant number of queries,
whatever the number of registrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from members.models import Ecosystem

from .models import ACTIVE_STATUSES, SEAT_STATUSES, Convening, Registration, Session

Status = Registration.Status
# The cache namespace of seat counts: a lead's registrations page shows how many seats are
# left, which any ecosystem's registration changes (bumped by saves, see apps.py).
SEATS = "convening-seats"


def _with_counts(qs: QuerySet[Convening]) -> QuerySet[Convening]:
    return qs.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
        waitlisted=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
    )


def visible_to(ecosystem: Ecosystem) -> Q:
    """Convenings an ecosystem may register for: every kind, regional ones of its region."""
    return ~Q(kind=Convening.Kind.REGIONAL) | Q(region_id=ecosystem.region_id)


def ecosystems_welcome_q(convening: Convening) -> Q:
    """A Q on Ecosystem: those that may register for `convening`."""
    if convening.kind == Convening.Kind.REGIONAL:
        return Q(region_id=convening.region_id)
    return Q()


def public_convenings(*, past: bool = False) -> QuerySet[Convening]:
    now = timezone.now()
    qs = Convening.objects.filter(published=True).select_related("region")
    if past:
        return _with_counts(qs.filter(ends_at__lt=now)).order_by("-starts_at", "-pk")
    return _with_counts(qs.filter(ends_at__gte=now)).order_by("starts_at", "pk")


def convening_detail(slug: str, *, staff: bool = False) -> Convening:
    qs = Convening.objects.select_related("region")
    if not staff:
        qs = qs.filter(published=True)
    return _with_counts(qs).prefetch_related(sessions_with_counts()).get(slug=slug)


def sessions_with_counts() -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=Session.objects.annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
        ),
    )


def seats_left(convening: Convening) -> int:
    """From an annotated convening (see _with_counts)."""
    return max(convening.capacity - convening.seats_taken, 0)


# --- a lead's view ------------------------------------------------------------------------


@dataclass
class EcosystemConvening:
    convening: Convening
    registrations: list[Registration] = field(default_factory=list)

    @property
    def active(self) -> list[Registration]:
        return [r for r in self.registrations if r.is_active]

    @property
    def included_used(self) -> int:
        return sum(1 for r in self.active if r.seat_no is not None)

    @property
    def included_left(self) -> int:
        return max(self.convening.included_seats - self.included_used, 0)

    @property
    def seats_left(self) -> int:
        return seats_left(self.convening)

    @property
    def registration_open(self) -> bool:
        return self.convening.registration_is_open()


def ecosystem_convenings(ecosystem: Ecosystem) -> list[EcosystemConvening]:
    """Upcoming convenings the ecosystem may attend, and any it registered for that have
    not ended, each with the ecosystem's registrations: two queries plus one for sessions."""
    now = timezone.now()
    convenings = list(
        _with_counts(
            Convening.objects.filter(published=True, ends_at__gte=now)
            .filter(
                visible_to(ecosystem)
                | Q(pk__in=Registration.objects.filter(ecosystem=ecosystem).values("convening_id"))
            )
            .select_related("region")
        ).order_by("starts_at", "pk")[:20]
    )
    rows = {c.pk: EcosystemConvening(c) for c in convenings}
    registrations = (
        Registration.objects.filter(ecosystem=ecosystem, convening__in=list(rows))
        .exclude(status=Status.CANCELLED, cancelled_at__lt=now - timedelta(days=30))
        .prefetch_related("sessions")
        .select_related("invoice")
        .order_by("convening_id", "status", "pk")
    )
    for registration in registrations:
        rows[registration.convening_id].registrations.append(registration)
    return list(rows.values())


def panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """The "My ecosystem" panel: the next convenings with this ecosystem's seats, in one
    query."""
    now = timezone.now()
    convenings = (
        Convening.objects.filter(published=True, ends_at__gte=now)
        .filter(visible_to(ecosystem))
        .annotate(
            mine=Count(
                "registrations",
                filter=Q(
                    registrations__ecosystem=ecosystem,
                    registrations__status__in=ACTIVE_STATUSES,
                ),
            )
        )
        .order_by("starts_at", "pk")[:3]
    )
    return {"ecosystem": ecosystem, "convenings": list(convenings)}


def ecosystems_registered_for_a_convening(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding item "first convening registered" (one query for a cohort)."""
    return set(
        Registration.objects.filter(
            ecosystem_id__in=list(ecosystem_ids), status__in=SEAT_STATUSES
        ).values_list("ecosystem_id", flat=True)
    )


def ecosystems_attended_orientation(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding item "orientation attended": someone of the ecosystem checked in at a
    convening while registered for an orientation session (one query)."""
    return set(
        Registration.objects.filter(
            ecosystem_id__in=list(ecosystem_ids),
            status=Status.CONFIRMED,
            checked_in_at__isnull=False,
            sessions__is_orientation=True,
        ).values_list("ecosystem_id", flat=True)
    )


# --- staff ------------------------------------------------------------------------------


def staff_convenings() -> QuerySet[Convening]:
    return _with_counts(Convening.objects.select_related("region")).order_by("-starts_at", "-pk")


def check_in_search(convening: Convening, q: str = "") -> QuerySet[Registration]:
    """Confirmed attendees matching `q` (attendee name or email, ecosystem name)."""
    qs = Registration.objects.filter(convening=convening, status=Status.CONFIRMED)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(attendee_name__icontains=word)
            | Q(attendee_email__icontains=word)
            | Q(ecosystem__name__icontains=word)
        )
    return qs.select_related("ecosystem").order_by("attendee_name", "pk")


def badges(convening: Convening) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(convening=convening, status=Status.CONFIRMED)
        .select_related("ecosystem__region")
        .order_by("attendee_name", "pk")
    )


@dataclass(frozen=True)
class CountRow:
    label: str
    confirmed: int
    pending: int
    waitlisted: int
    checked_in: int
    capacity: int | None = None


def _counts(prefix: str = "") -> dict[str, Count]:
    """Registrations by state, counted on Registration (prefix "") or through a relation
    (prefix "registrations__")."""
    target = f"{prefix}pk" if prefix else "pk"

    def count(**condition) -> Count:
        return Count(target, filter=Q(**{f"{prefix}{k}": v for k, v in condition.items()}))

    return {
        "confirmed": count(status=Status.CONFIRMED),
        "pending": count(status=Status.PENDING_PAYMENT),
        "waitlisted": count(status=Status.WAITLISTED),
        "checked_in": count(checked_in_at__isnull=False),
    }


def counts_by_region(convening: Convening) -> list[CountRow]:
    rows = (
        Registration.objects.filter(convening=convening)
        .values("ecosystem__region__number", "ecosystem__region__name")
        .annotate(**_counts())
        .order_by("ecosystem__region__number")
    )
    return [
        CountRow(
            r["ecosystem__region__name"],
            r["confirmed"],
            r["pending"],
            r["waitlisted"],
            r["checked_in"],
        )
        for r in rows
    ]


def counts_by_session(convening: Convening) -> list[CountRow]:
    rows = (
        Session.objects.filter(convening=convening)
        .annotate(**_counts("registrations__"))
        .order_by("starts_at", "pk")
    )
    return [
        CountRow(s.title, s.confirmed, s.pending, s.waitlisted, s.checked_in, s.capacity)
        for s in rows
    ]


EXPORT_COLUMNS = [
    "attendee_name",
    "attendee_email",
    "attendee_role",
    "ecosystem__name",
    "ecosystem__region__name",
    "status",
    "seat_kind",
    "waitlist_position",
    "dietary_needs",
    "accessibility_needs",
    "checked_in_at",
    "created_at",
]


def attendees_for_export(convening: Convening) -> QuerySet:
    return (
        Registration.objects.filter(convening=convening)
        .exclude(status=Status.CANCELLED)
        .order_by("status", "attendee_name", "pk")
        .values_list(*EXPORT_COLUMNS)
    )
