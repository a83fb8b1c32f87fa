from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

# Seed 000, "Regional selected Committee Chairs": Region #1 … #5.
REGIONS = [
    (1, "Northeast", "northeast"),
    (2, "South", "south"),
    (3, "Midwest", "midwest"),
    (4, "West", "west"),
    (5, "International/Global", "international-global"),
]

GROUP_PERMISSIONS = {
    TIES_STAFF: [
        "members.view_user",
        "members.change_user",
        "members.view_region",
        "members.view_ecosystem",
        "members.add_ecosystem",
        "members.change_ecosystem",
        "members.view_partnerorganization",
        "members.add_partnerorganization",
        "members.change_partnerorganization",
        "members.delete_partnerorganization",
        "members.view_ecosystemrole",
        "members.add_ecosystemrole",
        "members.change_ecosystemrole",
        "members.delete_ecosystemrole",
        "members.view_invitation",
        "members.change_invitation",
        "members.view_auditentry",
    ],
    STEWARDSHIP_TEAM: [
        "members.view_user",
        "members.view_region",
        "members.view_ecosystem",
        "members.view_partnerorganization",
        "members.view_ecosystemrole",
        "members.view_auditentry",
    ],
}


def forwards(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    for number, name, slug in REGIONS:
        Region.objects.update_or_create(number=number, defaults={"name": name, "slug": slug})
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)
    apps.get_model("auth", "Group").objects.filter(name__in=[TIES_STAFF, STEWARDSHIP_TEAM]).delete()
    apps.get_model("members", "Region").objects.filter(number__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
