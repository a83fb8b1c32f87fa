"""Who may do what in the community app (read by services, selectors and views)."""

from __future__ import annotations

from members.models import Ecosystem, EcosystemRole
from members.permissions import holds_a_role

MODERATE = "community.moderate_consultation"
PUBLISH_ANNOUNCEMENT = "community.publish_announcement"
VIEW_RESULTS = "community.view_survey_results"


def member_ecosystems(user) -> list[Ecosystem]:
    """The ecosystems `user` is a lead or member of (they are "members" of the community)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        Ecosystem.objects.filter(roles__user=user)
        .select_related("region")
        .order_by("name", "pk")
        .distinct()
    )


def lead_ecosystems(user) -> list[Ecosystem]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        Ecosystem.objects.filter(roles__user=user, roles__role=EcosystemRole.Role.LEAD)
        .select_related("region")
        .order_by("name", "pk")
        .distinct()
    )


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(MODERATE))


def is_member(user) -> bool:
    """A signed-in lead or member of any ecosystem, or a moderator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_moderator(user) or holds_a_role(user)


def can_publish_announcements(user) -> bool:
    """The model permission: TIES staff have it, and the current Vice Chair for
    Communications through the office's group (governance.powers, kept in step with the
    terms by the stewardship sync)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm(PUBLISH_ANNOUNCEMENT)
