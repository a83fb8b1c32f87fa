"""Issue 22, item 1: the portal's admin site guards every ModelAdmin registered on it,
including those a later app registers (slecop.admin_site)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import path
from guardian.admin import GuardedModelAdmin

from members.models import Ecosystem, Region
from slecop.admin_site import ActionsNeedChangePermission, PortalAdminSite, SuperuserWritesOnly
from tests.factories import EcosystemFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/admin/")
    request.user = user
    return request


def _staff_with(*perms):
    user = UserFactory(is_staff=True)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return user


def test_the_admin_site_is_the_portal_s_and_guards_every_registered_model_admin():
    assert admin.site.name == "admin"  # (sets the lazy default site up)
    assert isinstance(admin.site._wrapped, PortalAdminSite)
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ActionsNeedChangePermission), model
    for label in ("auth.group", "account.emailaddress", "mfa.authenticator"):
        model_admin = next(
            a for m, a in admin.site._registry.items() if m._meta.label_lower == label
        )
        assert isinstance(model_admin, SuperuserWritesOnly), label


def test_a_later_app_s_admin_of_groups_or_permissions_is_for_superusers_only():
    site = PortalAdminSite(name="later")

    class LaterGroupAdmin(admin.ModelAdmin):  # what an app might register, unguarded
        actions = ["grant_everything"]

        @admin.action(description="Grant everything")
        def grant_everything(self, request, queryset):
            for group in queryset:
                group.permissions.set(Permission.objects.all())

        def get_urls(self):  # a page of its own that adds the poster to a group
            def join(request, pk):
                Group.objects.get(pk=pk).user_set.add(request.user)

            return [path("<int:pk>/join/", join, name="auth_group_join"), *super().get_urls()]

    site.register(Group, LaterGroupAdmin)
    site.register(Permission)
    group_admin, perm_admin = site._registry[Group], site._registry[Permission]
    staff = _staff_with(
        "auth.view_group", "auth.change_group", "auth.add_group", "auth.delete_group"
    )
    request = _request(staff)
    assert group_admin.has_view_permission(request)
    assert not group_admin.has_change_permission(request)
    assert not group_admin.has_add_permission(request)
    assert not group_admin.has_delete_permission(request)
    assert group_admin.get_actions(request) == {}
    assert not perm_admin.has_change_permission(_request(_staff_with("auth.change_permission")))
    join = next(p for p in group_admin.get_urls() if p.name == "auth_group_join")
    group = Group.objects.get(name="TIES staff")
    with pytest.raises(PermissionDenied):
        join.callback(_request(staff, "post"), pk=group.pk)
    assert not group.user_set.filter(pk=staff.pk).exists()
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert group_admin.has_change_permission(_request(superuser))
    assert "grant_everything" in group_admin.get_actions(_request(superuser))


def test_guardian_object_permission_pages_are_for_superusers_only():
    site = PortalAdminSite(name="guarded")
    site.register(Ecosystem, GuardedModelAdmin)
    model_admin = site._registry[Ecosystem]
    model_admin.get_urls()
    ecosystem = EcosystemFactory()
    staff = _staff_with("members.view_ecosystem", "members.change_ecosystem")
    with pytest.raises(PermissionDenied):
        model_admin.obj_perms_manage_view(_request(staff, "post"), str(ecosystem.pk))
    with pytest.raises(PermissionDenied):
        model_admin.obj_perms_manage_user_view(_request(staff, "post"), str(ecosystem.pk), staff.pk)


def test_an_action_without_declared_permissions_needs_the_change_permission():
    site = PortalAdminSite(name="actions")

    class RegionAdmin(admin.ModelAdmin):
        actions = ["rename"]

        @admin.action(description="Rename")
        def rename(self, request, queryset):
            queryset.update(name="Renamed")

    site.register(Region, RegionAdmin)
    model_admin = site._registry[Region]
    viewer = _staff_with("members.view_region")
    assert "rename" not in model_admin.get_actions(_request(viewer))  # Django would offer it
    editor = _staff_with("members.view_region", "members.change_region")
    assert "rename" in model_admin.get_actions(_request(editor))
