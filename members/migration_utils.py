"""Helpers for data migrations that give the staff groups permissions on new models.

Use from any app's data migration:

    from members.migration_utils import grant_group_permissions

    def forwards(apps, schema_editor):
        grant_group_permissions(apps, {"TIES staff": ["resources.add_resource", ...]})
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

TIES_STAFF = "TIES staff"
STEWARDSHIP_TEAM = "Stewardship team"


def ensure_permissions(apps) -> None:
    """Permissions are normally created after migrate; create them now so that a data
    migration can assign them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_group_permissions(apps, mapping: dict[str, list[str]]) -> None:
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in mapping.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)


def revoke_group_permissions(apps, mapping: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in mapping.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
