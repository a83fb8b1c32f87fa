"""members.auth_backends: Django's and allauth's own backends under the dotted paths that
sessions record (existing sessions survive a deploy): a user's own and their groups'
permissions, inactive users have none, superusers all; the session's user read in one
query (None for unknown or inactive ids), by both backends a session can name."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


@pytest.fixture
def clerk():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(_permission("view_invoice"))
    group = Group.objects.create(name="Library")
    group.permissions.add(_permission("change_resource"))
    user.groups.add(group)
    return user


def test_own_and_group_permissions(clerk):
    assert clerk.has_perm("members.view_invoice")
    assert clerk.has_perm("resources.change_resource")
    assert not clerk.has_perm("members.change_invoice")
    assert clerk.get_all_permissions() == {"members.view_invoice", "resources.change_resource"}
    # Django's own per-source answers are untouched
    assert clerk.get_user_permissions() == {"members.view_invoice"}
    assert clerk.get_group_permissions() == {"resources.change_resource"}


def test_a_revoked_permission_counts_on_the_next_request(client, clerk):
    client.force_login(clerk)
    page = reverse("members:dues_dashboard")
    assert client.get(page).status_code == 200
    clerk.user_permissions.clear()
    assert client.get(page).status_code == 403


def test_inactive_users_have_none_and_superusers_all(clerk):
    clerk.is_active = False
    assert clerk.get_all_permissions() == set() and not clerk.has_perm("members.view_invoice")
    boss = UserFactory(is_superuser=True)
    assert len(boss.get_all_permissions()) == Permission.objects.count()


def test_the_staff_dues_page_reads_permissions_once(client, clerk, django_assert_num_queries):
    client.force_login(clerk)
    client.get(reverse("members:dues_dashboard"))  # the page and the years are cached
    # user, own permissions, group permissions (Django's ModelBackend)
    with django_assert_num_queries(3):
        assert client.get(reverse("members:dues_dashboard")).status_code == 200


@pytest.mark.parametrize("path", ["ModelBackend", "AuthenticationBackend"])
def test_get_user_answers_as_django_in_one_query(path, clerk, django_assert_num_queries):
    from django.conf import settings

    from members import auth_backends

    assert f"members.auth_backends.{path}" in settings.AUTHENTICATION_BACKENDS
    backend = getattr(auth_backends, path)()
    with django_assert_num_queries(1):
        found = backend.get_user(str(clerk.pk))  # the session keeps the id as text
    assert found == clerk and found.email == clerk.email and not found._state.adding
    assert found.last_login == type(clerk).objects.get(pk=clerk.pk).last_login
    assert backend.get_user(clerk.pk + 1000) is None
    clerk.is_active = False
    clerk.save()
    assert backend.get_user(clerk.pk) is None


def test_the_backends_are_djangos_and_allauths_own(settings):
    """The subclasses only keep the paths sessions hold: they override nothing."""
    from allauth.account.auth_backends import AuthenticationBackend
    from django.contrib.auth.backends import ModelBackend

    from members import auth_backends

    for ours, theirs in (
        (auth_backends.ModelBackend, ModelBackend),
        (auth_backends.AuthenticationBackend, AuthenticationBackend),
    ):
        assert f"members.auth_backends.{ours.__name__}" in settings.AUTHENTICATION_BACKENDS
        assert issubclass(ours, theirs)
        assert set(vars(ours)) <= {"__module__", "__doc__", "__qualname__", "__firstlineno__"}


def test_every_sign_in_records_a_configured_backend(client, settings):
    """allauth's sign-in (authenticated by the first backend that knows an email and a
    password) names a configured backend, and the next request is still signed in."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    from members.auth_backends import SIGN_IN_BACKEND

    assert SIGN_IN_BACKEND in settings.AUTHENTICATION_BACKENDS
    user = UserFactory(email="signer@example.org")
    user.set_password("a long enough password 1")
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a long enough password 1"}
    )
    assert response.status_code == 302
    path = client.session[BACKEND_SESSION_KEY]
    assert path in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("account_email")).status_code == 200  # still signed in
