"""members.auth_backends.ModelBackend: a user's own and their groups' permissions in one
query, with Django's answers (inactive users have none, superusers all)."""

from __future__ import annotations

import pytest
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


def test_own_and_group_permissions_in_one_query(clerk, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert clerk.has_perm("members.view_invoice")
        assert clerk.has_perm("resources.change_resource")
        assert not clerk.has_perm("members.change_invoice")  # every backend asked: no query
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


def test_inactive_users_have_none_and_superusers_all(clerk, django_assert_num_queries):
    clerk.is_active = False
    assert clerk.get_all_permissions() == set() and not clerk.has_perm("members.view_invoice")
    boss = UserFactory(is_superuser=True)
    with django_assert_num_queries(1):
        everything = boss.get_all_permissions()
    assert len(everything) == Permission.objects.count()


def test_the_staff_dues_page_reads_permissions_once(client, clerk, django_assert_num_queries):
    client.force_login(clerk)
    client.get(reverse("members:dues_dashboard"))  # the page and the years are cached
    # user, permissions
    with django_assert_num_queries(2):
        assert client.get(reverse("members:dues_dashboard")).status_code == 200
