"""Reads of onboarding: checklist progress, cohorts and coaches."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import Count, Q, QuerySet

from members.migration_utils import STEWARDSHIP_TEAM, TIES_STAFF
from members.models import (
    Ecosystem,
    Onboarding,
    OnboardingTick,
    PartnerOrganization,
    User,
)
from members.onboarding.registry import ChecklistItem, automatic_progress, checklist_items

# --- onboarding ---------------------------------------------------------------------------------

PROFILE_FIELDS = ("city", "description", "founded_year")
MIN_PARTNERS = 2


def ecosystems_with_complete_profile(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding item "profile complete": city, description and founded year filled in."""
    return set(
        Ecosystem.objects.filter(pk__in=list(ecosystem_ids), founded_year__isnull=False)
        .exclude(city="")
        .exclude(description="")
        .values_list("pk", flat=True)
    )


def ecosystems_with_partners_listed(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding item "partners listed": at least MIN_PARTNERS partner organisations
    besides the lead organisation."""
    return set(
        PartnerOrganization.objects.filter(ecosystem_id__in=list(ecosystem_ids))
        .exclude(sector=PartnerOrganization.Sector.LEAD)
        .values("ecosystem_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_PARTNERS)
        .values_list("ecosystem_id", flat=True)
    )


@dataclass
class ItemState:
    item: ChecklistItem
    done: bool
    tick: OnboardingTick | None = None


@dataclass
class Progress:
    items: list[ItemState] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for state in self.items if state.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100


def onboarding_progress(ecosystem_ids) -> dict[int, Progress]:
    """The checklist of each ecosystem, in a constant number of queries: one per
    registered check (automatic_progress) and one for the coach's ticks."""
    ids = set(ecosystem_ids)
    if not ids:
        return {}
    items = checklist_items()
    automatic = automatic_progress(ids)
    manual_keys = [item.key for item in items if not item.automatic]
    ticks: dict[tuple[int, str], OnboardingTick] = {}
    if manual_keys:
        for tick in OnboardingTick.objects.filter(
            ecosystem_id__in=list(ids), key__in=manual_keys
        ).select_related("ticked_by"):
            ticks[(tick.ecosystem_id, tick.key)] = tick
    result = {}
    for pk in ids:
        states = []
        for item in items:
            if item.automatic:
                states.append(ItemState(item, pk in automatic.get(item.key, set())))
            else:
                tick = ticks.get((pk, item.key))
                states.append(ItemState(item, tick is not None, tick))
        result[pk] = Progress(states)
    return result


def ecosystem_onboarding(ecosystem: Ecosystem) -> Onboarding | None:
    return Onboarding.objects.filter(ecosystem=ecosystem).select_related("coach").first()


def onboarding_panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "Onboarding" panel of My ecosystem: shown while the ecosystem is onboarding."""
    if ecosystem.status != Ecosystem.Status.ONBOARDING:
        return {"hidden": True}
    return {
        "ecosystem": ecosystem,
        "onboarding": ecosystem_onboarding(ecosystem),
        "progress": onboarding_progress([ecosystem.pk])[ecosystem.pk],
    }


def is_coach_eligible(user) -> bool:
    """A coach is a stewardship team member or TIES staff."""
    if not (user and user.is_active):
        return False
    return user.is_staff or user.groups.filter(name__in=[TIES_STAFF, STEWARDSHIP_TEAM]).exists()


def coach_candidates() -> QuerySet:
    groups = Group.objects.filter(name__in=[TIES_STAFF, STEWARDSHIP_TEAM])
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__in=groups))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def can_see_all_cohorts(user) -> bool:
    return user.has_perm("members.view_onboarding")


def can_coach(user, onboarding: Onboarding | None) -> bool:
    """Ticks items: the ecosystem's coach, or staff who may change onboardings."""
    if onboarding is None or not user.is_authenticated:
        return False
    return onboarding.coach_id == user.pk or user.has_perm("members.change_onboarding")


def cohort_years() -> list[int]:
    return list(
        Onboarding.objects.order_by("-cohort_year").values_list("cohort_year", flat=True).distinct()
    )


def cohort_onboardings(*, user, year: int | None, mine_only: bool) -> QuerySet[Onboarding]:
    """The onboardings a coach follows (theirs) or, for staff, a cohort year's."""
    qs = Onboarding.objects.select_related("ecosystem", "ecosystem__region", "coach").order_by(
        "ecosystem__name"
    )
    if mine_only or not can_see_all_cohorts(user):
        qs = qs.filter(coach=user)
    if year:
        qs = qs.filter(cohort_year=year)
    return qs


@dataclass
class CohortRow:
    onboarding: Onboarding
    progress: Progress


def cohort_rows(onboardings: list[Onboarding]) -> list[CohortRow]:
    """One page of a cohort with each ecosystem's progress (constant queries)."""
    progress = onboarding_progress(o.ecosystem_id for o in onboardings)
    return [CohortRow(o, progress[o.ecosystem_id]) for o in onboardings]
