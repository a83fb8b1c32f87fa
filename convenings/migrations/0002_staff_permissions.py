"""Staff groups' permissions on convenings. TIES staff run convenings (create, edit,
check in, export); the Stewardship team (the Vice Chair of Events among them) sees
everything and checks people in at the door."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

GROUP_PERMISSIONS = {
    TIES_STAFF: [
        "convenings.view_convening",
        "convenings.add_convening",
        "convenings.change_convening",
        "convenings.view_session",
        "convenings.add_session",
        "convenings.change_session",
        "convenings.delete_session",
        "convenings.view_registration",
        "convenings.change_registration",
    ],
    STEWARDSHIP_TEAM: [
        "convenings.view_convening",
        "convenings.view_session",
        "convenings.view_registration",
        "convenings.change_registration",
    ],
}


def forwards(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("convenings", "0001_initial"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
