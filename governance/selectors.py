"""Reads of the governance app that carry logic: who holds which office on a day, the
leadership page, and which committees and practice groups a visitor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from members.models import EcosystemRole, Region

from .models import Committee, CommitteeMember, Office, PracticeGroup, PracticeGroupMembership, Term

VIEW_PRACTICE_GROUP = "governance.view_practicegroup"


def _affiliations(prefix: str = "person") -> Prefetch:
    """Prefetch the ecosystems of each person (shown next to their name): one query."""
    return Prefetch(
        f"{prefix}__ecosystem_roles",
        queryset=EcosystemRole.objects.select_related("ecosystem").order_by("ecosystem__name"),
    )


# --- offices and terms ---------------------------------------------------------------
def elected_offices() -> QuerySet[Office]:
    """Offices filled by a network-wide election (the Chair and the five Vice Chairs)."""
    return Office.objects.filter(filled_by=Office.FilledBy.ELECTED).order_by("order", "name")


def regional_offices() -> QuerySet[Office]:
    """The five Regional Committee Chairs; `office.region` says which ecosystems choose."""
    return (
        Office.objects.filter(kind=Office.Kind.REGIONAL)
        .select_related("region")
        .order_by("region__number")
    )


def regional_office(region: Region) -> Office | None:
    return Office.objects.filter(kind=Office.Kind.REGIONAL, region=region).first()


def current_terms(on: dt.date | None = None) -> QuerySet[Term]:
    """Terms current on `on` (default today), in office order, people and offices joined."""
    return (
        Term.objects.current(on)
        .select_related("office", "office__region", "person")
        .order_by("office__order", "office__name")
    )


def past_terms(on: dt.date | None = None) -> QuerySet[Term]:
    """Terms that ended before `on`, most recent first, with the holders' ecosystems."""
    return (
        Term.objects.past(on)
        .select_related("office", "person")
        .prefetch_related(_affiliations())
        .order_by("-end", "office__order", "-start")
    )


def upcoming_terms(on: dt.date | None = None) -> QuerySet[Term]:
    return (
        Term.objects.upcoming(on)
        .select_related("office", "person")
        .prefetch_related(_affiliations())
        .order_by("start", "office__order")
    )


def office_terms(office: Office) -> QuerySet[Term]:
    """Every term of one office, latest first."""
    return (
        Term.objects.filter(office=office)
        .select_related("person")
        .prefetch_related(_affiliations())
        .order_by("-start")
    )


def person_current_terms(person, on: dt.date | None = None) -> QuerySet[Term]:
    return current_terms(on).filter(person=person)


@dataclass(frozen=True)
class Seat:
    """An office and its holder on a day (term None: vacant)."""

    office: Office
    term: Term | None

    @property
    def holder(self):
        return self.term.person if self.term else None

    @property
    def is_interim(self) -> bool:
        return bool(self.term and self.term.how_filled == Term.HowFilled.INTERIM)


def office_holders(
    *, on: dt.date | None = None, offices: QuerySet[Office] | None = None
) -> list[Seat]:
    """Each office (all, or `offices`) with its holder on `on`, in display order. Three
    queries whatever the number of offices."""
    offices = list(
        (Office.objects.all() if offices is None else offices)
        .select_related("region")
        .order_by("order", "name")
    )
    terms = current_terms(on).filter(office__in=offices).prefetch_related(_affiliations())
    by_office = {term.office_id: term for term in terms}
    return [Seat(office, by_office.get(office.pk)) for office in offices]


def office_holder(office: Office, on: dt.date | None = None) -> Term | None:
    return current_terms(on).filter(office=office).first()


@dataclass(frozen=True)
class Leadership:
    on: dt.date
    team: list[Seat]  # the elected leadership and management team
    liaison: list[Seat]  # the TIES Liaison
    regional: list[Seat]  # the Regional Committee Chairs

    @property
    def seats(self) -> list[Seat]:
        return [*self.team, *self.liaison, *self.regional]

    @property
    def is_interim(self) -> bool:
        """True while the team is an interim leadership team (seed: seated by the EAC
        until the first elections)."""
        held = [seat for seat in self.team if seat.term]
        return bool(held) and all(seat.is_interim for seat in held)


def leadership(on: dt.date | None = None) -> Leadership:
    on = on or timezone.localdate()
    seats = office_holders(on=on)
    return Leadership(
        on=on,
        team=[s for s in seats if s.office.kind == Office.Kind.STEWARDSHIP],
        liaison=[s for s in seats if s.office.kind == Office.Kind.LIAISON],
        regional=sorted(
            (s for s in seats if s.office.kind == Office.Kind.REGIONAL),
            key=lambda s: s.office.region.number,
        ),
    )


# --- committees ----------------------------------------------------------------------
def committees(*, active: bool, on: dt.date | None = None) -> QuerySet[Committee]:
    """Active (or past) committees with the office they support and their size."""
    on = on or timezone.localdate()
    running = Q(active_from__lte=on) & (Q(active_to__isnull=True) | Q(active_to__gte=on))
    qs = Committee.objects.filter(running if active else Q(active_to__lt=on))
    return (
        qs.select_related("office")
        .annotate(member_count=Count("memberships"))
        .order_by("-active_to" if not active else "name", "name")
    )


def committee_members(committee: Committee) -> QuerySet[CommitteeMember]:
    return (
        CommitteeMember.objects.filter(committee=committee)
        .select_related("person")
        .prefetch_related(_affiliations())
        .order_by("role", "person__first_name", "person__last_name", "person__email")
    )


# --- practice groups -----------------------------------------------------------------
PUBLIC_STATUSES = (PracticeGroup.Status.APPROVED, PracticeGroup.Status.CLOSED)


def practice_groups_visible_to(user) -> QuerySet[PracticeGroup]:
    """Approved and closed groups for everybody; a proposal awaiting approval (or
    declined) only for its proposer and for staff who review proposals."""
    qs = PracticeGroup.objects.all()
    if getattr(user, "is_authenticated", False) and user.has_perm(VIEW_PRACTICE_GROUP):
        return qs
    visible = Q(status__in=PUBLIC_STATUSES)
    if getattr(user, "is_authenticated", False):
        visible |= Q(proposed_by=user)
    return qs.filter(visible)


def practice_group_list(*, q: str = "", status: str = PracticeGroup.Status.APPROVED):
    """Listed groups (approved by default), searchable by name and topic, with sizes."""
    qs = PracticeGroup.objects.filter(status=status)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(topic__icontains=q) | Q(description__icontains=q))
    return qs.annotate(member_count=Count("memberships")).order_by("name", "pk")


def own_proposals(user) -> QuerySet[PracticeGroup]:
    """The signed-in user's proposals that are not public (awaiting approval, declined)."""
    if not getattr(user, "is_authenticated", False):
        return PracticeGroup.objects.none()
    return PracticeGroup.objects.filter(
        proposed_by=user, status__in=[PracticeGroup.Status.PENDING, PracticeGroup.Status.DECLINED]
    ).order_by("-created_at")


def practice_group_roles(user) -> dict[int, str]:
    """{group id: role} for the groups the user belongs to (one query)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(PracticeGroupMembership.objects.filter(person=user).values_list("group_id", "role"))


def practice_group_members(group: PracticeGroup) -> QuerySet[PracticeGroupMembership]:
    return (
        PracticeGroupMembership.objects.filter(group=group)
        .select_related("person")
        .prefetch_related(_affiliations())
        .order_by("role", "joined_at", "pk")
    )
