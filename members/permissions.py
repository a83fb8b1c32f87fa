"""Who may see or act for an ecosystem. Object permissions are granted by the role
services (members.services.roles) through django-guardian; TIES staff hold the model-level
`members.view_ecosystem` permission through their group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker

from .models import Ecosystem, EcosystemRole

ACT = "members.act_for_ecosystem"
VIEW = "members.view_ecosystem"


@dataclass(frozen=True)
class EcosystemAccess:
    can_view: bool
    can_act: bool
    role: str | None = None  # the user's role in the ecosystem (the role table), if any


NO_ACCESS = EcosystemAccess(can_view=False, can_act=False)


def role_of(user, ecosystem_id: int) -> str | None:
    """The role ("lead", "member") `user` holds in the ecosystem, None for none: one query
    on the role table's unique (user, ecosystem) index, asked afresh each time (a revoked
    lead loses access on the next request)."""
    if not (user.is_authenticated and user.is_active):
        return None
    roles = EcosystemRole.objects.filter(user_id=user.pk, ecosystem_id=ecosystem_id).order_by()
    return next(iter(roles.values_list("role", flat=True)[:1]), None)


def _access(user, ecosystem: Ecosystem, role: str | None) -> EcosystemAccess:
    """Leads act (the role services grant guardian's act_for_ecosystem with the role, and a
    test checks the two agree); anyone with a role views; staff view through the
    model-level permission; a view grant that only guardian stores (to a group, on one
    ecosystem) is asked of guardian, on this refusal path only."""
    can_act = user.is_superuser or role == EcosystemRole.Role.LEAD
    can_view = (
        can_act
        or role is not None
        or user.has_perm(VIEW)
        or ObjectPermissionChecker(user).has_perm("view_ecosystem", ecosystem)
    )
    return EcosystemAccess(can_view=can_view, can_act=can_act, role=role)


def holds_a_role(user) -> bool:
    """Whether `user` is a lead or member of any ecosystem: the network dashboard, the
    library's suggestions and the community pages ask it of every reader."""
    if not (user.is_authenticated and user.is_active):
        return False
    return EcosystemRole.objects.filter(user_id=user.pk).exists()  # exists() drops ordering


def ecosystem_access(user, ecosystem: Ecosystem) -> EcosystemAccess:
    """What `user` may do for `ecosystem`."""
    if not (user.is_authenticated and user.is_active):
        return NO_ACCESS
    return _access(user, ecosystem, role_of(user, ecosystem.pk))


def ecosystem_and_access(user, slug: str) -> tuple[Ecosystem, EcosystemAccess]:
    """The ecosystem of `slug` (its region attached) and what `user` may do for it, in one
    query: the ecosystem with its region and the user's role annotated from the role
    table; 404 when there is no such ecosystem."""
    ecosystems = Ecosystem.objects.select_related("region")
    if user.is_authenticated and user.is_active:
        role = EcosystemRole.objects.filter(user_id=user.pk, ecosystem_id=OuterRef("pk")).order_by()
        ecosystems = ecosystems.annotate(viewer_role=Subquery(role.values("role")[:1]))
    ecosystem = get_object_or_404(ecosystems, slug=slug)
    if not (user.is_authenticated and user.is_active):
        return ecosystem, NO_ACCESS
    return ecosystem, _access(user, ecosystem, ecosystem.viewer_role)


def can_view_ecosystem(user, ecosystem: Ecosystem) -> bool:
    return ecosystem_access(user, ecosystem).can_view


def can_act_for_ecosystem(user, ecosystem: Ecosystem) -> bool:
    """Leads act for their ecosystem (pay, register, vote, edit, invite)."""
    return ecosystem_access(user, ecosystem).can_act


def ecosystem_view(action: str = "view"):
    """Decorate a view taking an `ecosystem` slug kwarg: resolve it (404 if unknown) and
    check the signed-in user may `view` it or `act` for it (403 otherwise). The view then
    receives the Ecosystem instance instead of the slug, and `request.ecosystem_access`
    holds the user's EcosystemAccess (so the view need not look permissions up again)."""
    if action not in ("view", "act"):
        raise ValueError(action)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, ecosystem: str, **kwargs):
            obj, access = ecosystem_and_access(request.user, ecosystem)
            if not (access.can_act if action == "act" else access.can_view):
                raise PermissionDenied(
                    _("Only leads of this ecosystem can do this.")
                    if action == "act"
                    else _("You are not part of this ecosystem.")
                )
            request.ecosystem_access = access
            return view(request, *args, ecosystem=obj, **kwargs)

        return wrapped

    return decorator
