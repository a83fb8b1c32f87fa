"""Staff groups' permissions on elections. The design card: the Stewardship team runs
elections from the admin (phases, slate, certification). TIES staff can see elections
and who voted, but do not run or certify them. Ballots have no admin at all."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)


def _crud(model, *actions):
    return [f"elections.{action}_{model}" for action in actions]


ALL = ("view", "add", "change", "delete")

GROUP_PERMISSIONS = {
    STEWARDSHIP_TEAM: [
        *_crud("election", *ALL),
        "elections.run_election",
        "elections.certify_election",
        *_crud("contest", *ALL),
        *_crud("nomination", "view", "change"),
        *_crud("candidate", "view", "change"),
        *_crud("elector", "view"),
        *_crud("voterrecord", "view"),
    ],
    TIES_STAFF: [
        *_crud("election", "view"),
        *_crud("contest", "view"),
        *_crud("nomination", "view"),
        *_crud("candidate", "view"),
        *_crud("elector", "view"),
        *_crud("voterrecord", "view"),
    ],
}


def forwards(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
