"""Reads of the members app that carry logic."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property
from guardian.shortcuts import get_objects_for_user

from slecop.cache import versioned

from .models import (
    Ecosystem,
    EcosystemRole,
    Invitation,
    Region,
)

DIRECTORY_STATUSES = (
    Ecosystem.Status.ACTIVE,
    Ecosystem.Status.ONBOARDING,
    Ecosystem.Status.LAPSED,
)


def directory_ecosystems(*, q: str = "", region: Region | None = None) -> QuerySet[Ecosystem]:
    """Ecosystems listed in the public directory, searchable by name and place."""
    qs = Ecosystem.objects.filter(status__in=DIRECTORY_STATUSES).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(city__icontains=q)
            | Q(state_province__icontains=q)
            | Q(country__icontains=q)
        )
    return qs.order_by("name", "pk")


def regions_with_counts() -> QuerySet[Region]:
    return Region.objects.annotate(
        ecosystem_count=Count("ecosystems", filter=Q(ecosystems__status__in=DIRECTORY_STATUSES))
    ).order_by("number")


def region_counts() -> list[Region]:
    """The regions with their number of listed ecosystems (the home page), cached until an
    ecosystem or region changes."""
    return versioned("directory", ("regions",), lambda: list(regions_with_counts()))


class _CountedPaginator(Paginator):
    """A paginator whose count is given (a cached figure) instead of counted again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def directory_page(*, q: str = "", region: Region | None = None, page, per_page: int = 24):
    """One page of the public directory. The count is cached until an ecosystem changes;
    the page's ids come first, in the directory's order (an index-only scan of
    `ecosystem_directory_listed`, so page 300 costs what page 1 does, where fetching whole
    rows past the offset made PostgreSQL sort every listed ecosystem), then their rows."""
    queryset = directory_ecosystems(q=q, region=region)
    count = versioned(
        "directory",
        ("count", q.strip(), region.pk if region else ""),
        queryset.count,
    )
    paginator = _CountedPaginator(queryset.values_list("pk", flat=True), per_page, count=count)
    result = paginator.get_page(page)
    ids = list(result.object_list)
    rows = queryset.in_bulk(ids)
    result.object_list = [rows[pk] for pk in ids if pk in rows]
    return result


def ecosystems_for_user(user) -> QuerySet[Ecosystem]:
    """The ecosystems the user belongs to (object permission `view_ecosystem`)."""
    if not user.is_authenticated:
        return Ecosystem.objects.none()
    return get_objects_for_user(
        user,
        "members.view_ecosystem",
        klass=Ecosystem.objects.select_related("region"),
        accept_global_perms=False,
        with_superuser=False,
    ).order_by("name")


def ecosystem_people(ecosystem: Ecosystem) -> QuerySet[EcosystemRole]:
    return (
        EcosystemRole.objects.filter(ecosystem=ecosystem)
        .select_related("user")
        .order_by("role", "user__first_name", "user__email")
    )


def pending_invitations(ecosystem: Ecosystem) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        ecosystem=ecosystem, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def lead_emails(ecosystem_ids) -> dict[int, list[str]]:
    """Emails of the leads of each ecosystem id, in one query (used by notifications)."""
    result: dict[int, list[str]] = {}
    rows = EcosystemRole.objects.filter(
        ecosystem_id__in=list(ecosystem_ids), role=EcosystemRole.Role.LEAD, user__is_active=True
    ).values_list("ecosystem_id", "user__email")
    for ecosystem_id, email in rows:
        result.setdefault(ecosystem_id, []).append(email)
    return result


def uses_two_factor(*, ecosystem: Ecosystem, user, role: str = "") -> bool:
    """Whether the viewer signs in with a second factor (allauth's TOTP)."""

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def security_panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """Whether the viewer signs in with a second factor: leads move money and cast
    ballots, so the panel encourages them to turn it on."""
    return {"totp": uses_two_factor(ecosystem=ecosystem, user=user)}
