"""Django's ModelBackend and allauth's backend, reading the signed-in user and their
permissions in one raw statement each.

Every signed-in request reads its user (`get_user`, from the session): the ORM took
~0.3 ms a request to build and run `User.objects.get(pk=...)`, a prepared raw statement
~0.18 ms.

Django's backend reads the user's own permissions and their groups' permissions in two
ORM queries (and a superuser's twice over) on every request that checks one: every staff
page, the admin. Building them took ~1 ms a request for a staff account with 145
permissions. This reads the union in one raw statement (built once per database vendor;
table names come from the models, values are parameters) and keeps it where Django keeps
it (`user._perm_cache`), so the other ModelBackend subclasses in AUTHENTICATION_BACKENDS
(allauth's) and Django's own `get_user_permissions`/`get_group_permissions` behave as
before. Nothing is cached beyond the request's user object: a revoked permission counts
on the next request.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection

from slecop.sql import Statement, columns, instance, quoted_tables

# The backend a sign-in by the portal's own views records in the session.
SIGN_IN_BACKEND = "members.auth_backends.AuthenticationBackend"
USER_SQL = "SELECT {user_columns} FROM {user} u WHERE u.{pk} = %s"
ALL_SQL = "SELECT ct.app_label, p.codename FROM {perm} p JOIN {ct} ct ON ct.id = p.content_type_id"
# ALL_SQL narrowed to the permissions a user holds, their own and their groups'
HELD_WHERE = (
    " WHERE p.id IN (SELECT o.permission_id FROM {user_perms} o WHERE o.user_id = %s"
    " UNION SELECT g.permission_id FROM {group_perms} g"
    " JOIN {user_groups} ug ON ug.group_id = g.group_id WHERE ug.user_id = %s)"
)


def _tables() -> dict[str, str]:
    user = get_user_model()
    return quoted_tables(
        user=user,
        perm=Permission,
        ct=ContentType,
        user_perms=user.user_permissions.through,
        group_perms=Group.permissions.through,
        user_groups=user.groups.through,
    )


def _user_sql() -> str:
    user = get_user_model()
    pk = connection.ops.quote_name(user._meta.pk.column)
    return USER_SQL.format(user_columns=columns("u", user), pk=pk, **_tables())


# (a user by pk, every permission, the permissions held by a user), built once per
# database vendor and prepared once per connection (slecop.sql)
USER = Statement("user", _user_sql)
EVERY_PERM = Statement("every_perm", lambda: ALL_SQL.format(**_tables()))
HELD_PERM = Statement(
    "held_perm",
    lambda: ALL_SQL.format(**_tables()) + HELD_WHERE.format(**_tables()),
)


class RawUserMixin:
    """`get_user` as Django's backends answer it (None for an unknown or inactive user),
    in a raw statement."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        with connection.cursor() as cursor:
            cursor.execute(USER.sql(), [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = instance(user_model, row)
        return user if self.user_can_authenticate(user) else None


class AuthenticationBackend(RawUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email), reading the session's user as above."""


class ModelBackend(RawUserMixin, DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                if user_obj.is_superuser:
                    cursor.execute(EVERY_PERM.sql())
                else:
                    cursor.execute(HELD_PERM.sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor}
        return user_obj._perm_cache
