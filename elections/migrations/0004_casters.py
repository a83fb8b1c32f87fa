"""Issue 22, item 2: who may cast an ecosystem's ballot is fixed when voting opens — the
leads it had then (Caster rows), while they are still leads; a Stewardship-team member
may add one when none remains. Elections already open when this lands snapshot their
ecosystems' current leads here. Both staff groups may see the list in the admin."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

GROUP_PERMISSIONS = {
    STEWARDSHIP_TEAM: ["elections.view_caster"],
    TIES_STAFF: ["elections.view_caster"],
}


def snapshot_open_elections(apps, schema_editor):
    """What `elections.services.phases.casters_snapshot` does when voting opens, for the
    elections already open: each elector ecosystem's leads now."""
    Election = apps.get_model("elections", "Election")
    Elector = apps.get_model("elections", "Elector")
    Caster = apps.get_model("elections", "Caster")
    EcosystemRole = apps.get_model("members", "EcosystemRole")
    now = django.utils.timezone.now()
    for election in Election.objects.filter(phase="voting"):
        elector_of = dict(
            Elector.objects.filter(election=election).values_list("ecosystem_id", "pk")
        )
        leads = EcosystemRole.objects.filter(
            role="lead", ecosystem_id__in=list(elector_of)
        ).values_list("ecosystem_id", "user_id")
        Caster.objects.bulk_create(
            [
                Caster(elector_id=elector_of[eco_id], user_id=user_id, added_at=now)
                for eco_id, user_id in leads
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


def grant(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ("elections", "0003_sealed_ballots"),
        ("members", "0010_ecosystem_directory_listed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Caster",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(blank=True, max_length=2000, verbose_name="reason")),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for the leads snapshotted when voting opened.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "elector",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="casters",
                        to="elections.elector",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballot_casters",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["elector", "added_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="caster",
            constraint=models.UniqueConstraint(
                fields=("elector", "user"), name="caster_once_per_elector"
            ),
        ),
        migrations.RunPython(snapshot_open_elections, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
