"""Who may see or act for an ecosystem. Object permissions are granted by the role
services (members.services.roles) through django-guardian; TIES staff hold the model-level
`members.view_ecosystem` permission through their group."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Ecosystem

ACT = "members.act_for_ecosystem"
VIEW = "members.view_ecosystem"


def can_view_ecosystem(user, ecosystem: Ecosystem) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm(VIEW) or user.has_perm(VIEW, ecosystem)


def can_act_for_ecosystem(user, ecosystem: Ecosystem) -> bool:
    """Leads act for their ecosystem (pay, register, vote, edit, invite)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(ACT, ecosystem))


def ecosystem_view(action: str = "view"):
    """Decorate a view taking an `ecosystem` slug kwarg: resolve it (404 if unknown) and
    check the signed-in user may `view` it or `act` for it (403 otherwise). The view then
    receives the Ecosystem instance instead of the slug."""
    if action not in ("view", "act"):
        raise ValueError(action)
    check = can_act_for_ecosystem if action == "act" else can_view_ecosystem

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, ecosystem: str, **kwargs):
            obj = get_object_or_404(Ecosystem.objects.select_related("region"), slug=ecosystem)
            if not check(request.user, obj):
                raise PermissionDenied(
                    "Only leads of this ecosystem can do this."
                    if action == "act"
                    else "You are not part of this ecosystem."
                )
            return view(request, *args, ecosystem=obj, **kwargs)

        return wrapped

    return decorator
