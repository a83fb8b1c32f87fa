"""Who may see or act for an ecosystem. Object permissions are granted by the role
services (members.services.roles) through django-guardian; TIES staff hold the model-level
`members.view_ecosystem` permission through their group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker

from .models import Ecosystem

ACT = "members.act_for_ecosystem"
VIEW = "members.view_ecosystem"


@dataclass(frozen=True)
class EcosystemAccess:
    can_view: bool
    can_act: bool


NO_ACCESS = EcosystemAccess(can_view=False, can_act=False)


def ecosystem_access(user, ecosystem: Ecosystem) -> EcosystemAccess:
    """What `user` may do for `ecosystem`, from one guardian permission lookup."""
    if not (user.is_authenticated and user.is_active):
        return NO_ACCESS
    perms = set(ObjectPermissionChecker(user).get_perms(ecosystem))
    can_act = "act_for_ecosystem" in perms
    can_view = can_act or "view_ecosystem" in perms or user.has_perm(VIEW)
    return EcosystemAccess(can_view=can_view, can_act=can_act)


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
            obj = get_object_or_404(Ecosystem.objects.select_related("region"), slug=ecosystem)
            access = ecosystem_access(request.user, obj)
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
