"""The portal's admin site: no account gains privileges through the admin, whatever app
registers a ModelAdmin, now or later.

Every ModelAdmin registered on it (by `@admin.register`, `admin.site.register` or
autodiscovery) is wrapped when it is registered:

- **Actions.** Django offers an action that declares no permissions to anyone who may
  *view* the list. Here such an action needs the change permission.
- **Privilege models** (groups, permissions, object permissions, email addresses,
  authenticators, the user model, sessions, and any model that links to a group or a
  permission — guardian's object-permission tables, a later app's): only superusers add,
  change or delete them, run their actions or post to their extra pages. A ModelAdmin that
  implements finer rules itself says so with `guards_privileges = True` (the user admin:
  staff may change names and activation of ordinary accounts).
- **django-guardian's object-permission pages** (`GuardedModelAdmin` and its mixins),
  which let anyone who may change an object grant any permission on it to anyone,
  themselves included: superusers only.

`slecop.admin_site.PortalAdminConfig` replaces `django.contrib.admin` in INSTALLED_APPS,
so `django.contrib.admin.site` is this site.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db.models.base import ModelBase

# Models whose rows are credentials or privileges by themselves.
PRIVILEGE_MODELS = {
    "auth.group",
    "auth.permission",
    "account.emailaddress",
    "account.emailconfirmation",
    "mfa.authenticator",
    "sessions.session",
    "contenttypes.contenttype",
    "admin.logentry",
    settings.AUTH_USER_MODEL.lower(),
}
# ModelAdmin URL names Django makes for every model (the rest are an admin's own pages).
STANDARD_VIEWS = ("changelist", "add", "history", "delete", "change")
GUARDIAN_VIEWS = ("obj_perms_manage_view", "obj_perms_manage_user_view")
GUARDIAN_VIEWS += ("obj_perms_manage_group_view",)


def is_privilege_model(model) -> bool:
    """A model whose rows grant or prove access: listed above, or linked to a group or a
    permission (a group's permissions, guardian's object permissions, a user's groups)."""
    if model._meta.label_lower in PRIVILEGE_MODELS:
        return True
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if (
            related is not None
            and getattr(field, "concrete", False)
            and related._meta.label_lower in {"auth.group", "auth.permission"}
        ):
            return True
    return False


def _superuser_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ActionsNeedChangePermission:
    """An action without declared permissions is offered only to those who hold the
    model's change permission (a read-only admin whose actions call services still
    offers them to those)."""

    def _filter_actions_by_permissions(self, request, actions):
        allowed = super()._filter_actions_by_permissions(request, actions)
        opts = self.model._meta
        may_change = request.user.has_perm(
            f"{opts.app_label}.{get_permission_codename('change', opts)}"
        )
        return [a for a in allowed if hasattr(a[0], "allowed_permissions") or may_change]


class SuperuserWritesOnly:
    """Staff may look; only superusers add, change, delete, run actions or post to the
    ModelAdmin's own pages."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return super().get_actions(request) if request.user.is_superuser else {}

    def get_urls(self):
        opts = self.model._meta
        standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD_VIEWS}
        urls = super().get_urls()
        for pattern in urls:
            if pattern.name in standard or str(pattern.pattern) == "<path:object_id>/":
                continue  # Django's own pages, which check the permissions above
            pattern.callback = _superuser_only(pattern.callback)
        return urls


class GuardianPagesSuperuserOnly:
    """guardian's object-permission pages assign any permission to any user or group."""

    def get_urls(self):
        for name in GUARDIAN_VIEWS:
            view = getattr(self, name, None)
            if view is not None:
                setattr(self, name, _superuser_only(view))
        return super().get_urls()


def guarded(model, admin_class: type[ModelAdmin]) -> type[ModelAdmin]:
    """`admin_class` with the portal's rules for `model`."""
    mixins: list[type] = [ActionsNeedChangePermission]
    if is_privilege_model(model) and not getattr(admin_class, "guards_privileges", False):
        mixins.insert(0, SuperuserWritesOnly)
    if any(hasattr(admin_class, name) for name in GUARDIAN_VIEWS):
        mixins.insert(0, GuardianPagesSuperuserOnly)
    return type(admin_class.__name__, (*mixins, admin_class), {"__module__": __name__})


class PortalAdminSite(AdminSite):
    site_header = "SLECoP portal administration"
    site_title = "SLECoP admin"
    index_title = "Network administration"

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else None
        for model in models or model_or_iterable:
            cls = admin_class or ModelAdmin
            if options:  # what AdminSite.register does with them, before wrapping
                cls = type(f"{model.__name__}Admin", (cls,), {"__module__": __name__, **options})
            super().register(model, guarded(model, cls))


class PortalAdminConfig(AdminConfig):
    """`django.contrib.admin` with PortalAdminSite as `admin.site`."""

    default_site = "slecop.admin_site.PortalAdminSite"
