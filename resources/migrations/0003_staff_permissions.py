"""TIES staff manage the library; the stewardship team can see everything in it."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

MODELS = ("resource", "resourceversion", "topic")
PERMISSIONS = {
    TIES_STAFF: [
        f"resources.{action}_{model}"
        for model in MODELS
        for action in ("add", "change", "delete", "view")
    ],
    STEWARDSHIP_TEAM: [f"resources.view_{model}" for model in MODELS],
}


def forwards(apps, schema_editor):
    grant_group_permissions(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_search_vector_postgres"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
