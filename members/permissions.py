"""Who may see or act for an ecosystem. Object permissions are granted by the role
services (members.services.roles) through django-guardian; TIES staff hold the model-level
`members.view_ecosystem` permission through their group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission, UserObjectPermission

from slecop.sql import Statement, columns, instance, quoted_tables

from .models import Ecosystem, EcosystemRole, Region, User

ACT = "members.act_for_ecosystem"
VIEW = "members.view_ecosystem"


@dataclass(frozen=True)
class EcosystemAccess:
    can_view: bool
    can_act: bool


NO_ACCESS = EcosystemAccess(can_view=False, can_act=False)


def _access(user, perms) -> EcosystemAccess:
    can_act = "act_for_ecosystem" in perms
    can_view = can_act or "view_ecosystem" in perms or user.has_perm(VIEW)
    return EcosystemAccess(can_view=can_view, can_act=can_act)


HELD_PERMS_SQL = (
    "SELECT p.codename FROM {user_perm} o JOIN {perm} p ON p.id = o.permission_id "
    "WHERE o.user_id = %s AND o.content_type_id = %s AND o.object_pk = {object_pk} "
    "UNION SELECT p.codename FROM {group_perm} o JOIN {perm} p ON p.id = o.permission_id "
    "JOIN {user_groups} g ON g.group_id = o.group_id "
    "WHERE g.user_id = %s AND o.content_type_id = %s AND o.object_pk = {object_pk}"
)
# The ecosystem of a slug (with its region) and the codenames held on it, one row per
# codename (one row with none when nothing is held): every ecosystem page starts here.
ECOSYSTEM_ACCESS_SQL = (
    "SELECT {ecosystem_columns}, r.number AS region_number, r.name AS region_name, "
    "r.slug AS region_slug, h.codename AS held_codename "
    "FROM {ecosystem} e JOIN {region} r ON r.id = e.region_id "
    "LEFT JOIN ({held}) h ON 1 = 1 WHERE e.slug = %s"
)
BY_SLUG = "(SELECT CAST(x.id AS TEXT) FROM {ecosystem} x WHERE x.slug = %s)"
REGION_COLUMNS = ("region_number", "region_name", "region_slug")


def _tables() -> dict[str, str]:
    return quoted_tables(
        user_perm=UserObjectPermission,
        group_perm=GroupObjectPermission,
        perm=Permission,
        user_groups=User.groups.through,
        ecosystem=Ecosystem,
        region=Region,
    )


# One UNION over guardian's user and group grants (object pk kept as text there). Raw SQL
# on purpose: the ORM took ~2 ms a page to build the statement, the database 0.2 ms to run
# it (slecop.sql).
HELD_PERMS = Statement("held_perms", lambda: HELD_PERMS_SQL.format(object_pk="%s", **_tables()))
ECOSYSTEM_ACCESS = Statement(
    "ecosystem_access",
    lambda: ECOSYSTEM_ACCESS_SQL.format(  # model tables and columns only
        held=HELD_PERMS_SQL.format(object_pk=BY_SLUG.format(**_tables()), **_tables()),
        ecosystem_columns=columns("e", Ecosystem),
        **_tables(),
    ),
)


HOLDS_A_ROLE_SQL = "SELECT EXISTS (SELECT 1 FROM {role} r WHERE r.user_id = %s)"
HOLDS_A_ROLE = Statement(
    "holds_a_role", lambda: HOLDS_A_ROLE_SQL.format(**quoted_tables(role=EcosystemRole))
)


def holds_a_role(user) -> bool:
    """Whether `user` is a lead or member of any ecosystem: the network dashboard, the
    library's suggestions and the community pages ask it of every reader (a prepared
    statement where the ORM spent ~0.25 ms building `roles.exists()`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    with connection.cursor() as cursor:
        cursor.execute(HOLDS_A_ROLE.sql(), [user.pk])
        return cursor.fetchone()[0]


def held_object_perms(user, ecosystem: Ecosystem) -> set[str]:
    """The codenames of the permissions `user` holds on `ecosystem`, granted to the user or
    to one of their groups: what guardian's `ObjectPermissionChecker.get_perms` returns
    (a test compares the two), in one query where it takes two — every ecosystem page
    asks this."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return set(ObjectPermissionChecker(user).get_perms(ecosystem))  # all of the model's
    held = (user.pk, ContentType.objects.get_for_model(Ecosystem).pk, str(ecosystem.pk))
    with connection.cursor() as cursor:
        cursor.execute(HELD_PERMS.sql(), [*held, *held])
        return {codename for (codename,) in cursor.fetchall()}


def ecosystem_access(user, ecosystem: Ecosystem) -> EcosystemAccess:
    """What `user` may do for `ecosystem`, from one permission lookup."""
    if not (user.is_authenticated and user.is_active):
        return NO_ACCESS
    return _access(user, held_object_perms(user, ecosystem))


def ecosystem_and_access(user, slug: str) -> tuple[Ecosystem, EcosystemAccess]:
    """The ecosystem of `slug` (its region attached) and what `user` may do for it, in one
    statement where the ORM lookup and the permission UNION took two (~0.5 ms of every
    ecosystem page); 404 when there is no such ecosystem."""
    if user.is_superuser or not (user.is_authenticated and user.is_active):
        ecosystem = get_object_or_404(Ecosystem.objects.select_related("region"), slug=slug)
        return ecosystem, ecosystem_access(user, ecosystem)
    held = (user.pk, ContentType.objects.get_for_model(Ecosystem).pk, slug)
    with connection.cursor() as cursor:
        cursor.execute(ECOSYSTEM_ACCESS.sql(), [*held, *held, slug])
        rows = cursor.fetchall()
    if not rows:
        raise Http404(_("No such ecosystem."))
    perms = {row[-1] for row in rows if row[-1]}  # held_codename, last
    ecosystem = instance(Ecosystem, rows[0])  # the columns after its own are the region's
    values = [ecosystem.region_id, *rows[0][-1 - len(REGION_COLUMNS) : -1]]
    region = Region.from_db(ecosystem._state.db, ["id", "number", "name", "slug"], values)
    Ecosystem.region.field.set_cached_value(ecosystem, region)
    return ecosystem, _access(user, perms)


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
