"""Reads of the members app that carry logic."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Ecosystem, EcosystemRole, Invitation, Region

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
