"""Django's ModelBackend, reading a user's permissions in one query.

Django's backend reads the user's own permissions and their groups' permissions in two
queries (and a superuser's twice over), on every request that checks one: every staff
page, the admin. This reads the union in one statement and keeps it where Django keeps
it (`user._perm_cache`), so the other ModelBackend subclasses in AUTHENTICATION_BACKENDS
(allauth's) and Django's own `get_user_permissions`/`get_group_permissions` behave as
before. Nothing is cached beyond the request's user object: a revoked permission counts
on the next request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = get_user_model().user_permissions.through.objects.filter(user_id=user_obj.pk)
                groups = get_user_model().groups.through.objects.filter(user_id=user_obj.pk)
                of_groups = Group.permissions.through.objects.filter(
                    group_id__in=groups.values("group_id")
                )
                permissions = permissions.filter(
                    Q(pk__in=own.values("permission_id"))
                    | Q(pk__in=of_groups.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
