"""Staff groups' permissions on the governance models.

TIES staff run the structure (terms, committees, practice groups). The Stewardship team
sees everything, runs committees and reviews practice groups, but cannot seat officers:
terms grant Stewardship-team access, so stewards could otherwise appoint themselves."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)


def _crud(model, *actions):
    return [f"governance.{action}_{model}" for action in actions]


ALL = ("view", "add", "change", "delete")

GROUP_PERMISSIONS = {
    TIES_STAFF: [
        *_crud("office", "view", "change"),
        *_crud("term", *ALL),
        *_crud("committee", *ALL),
        *_crud("committeemember", *ALL),
        *_crud("practicegroup", "view", "change"),
        "governance.approve_practicegroup",
        *_crud("practicegroupmembership", *ALL),
        *_crud("stewardshipaccess", "view"),
    ],
    STEWARDSHIP_TEAM: [
        *_crud("office", "view"),
        *_crud("term", "view"),
        *_crud("committee", "view", "add", "change"),
        *_crud("committeemember", *ALL),
        *_crud("practicegroup", "view", "change"),
        "governance.approve_practicegroup",
        *_crud("practicegroupmembership", *ALL),
        *_crud("stewardshipaccess", "view"),
    ],
}


def forwards(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_seed_offices"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
