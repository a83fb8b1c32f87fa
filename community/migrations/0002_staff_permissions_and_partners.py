"""Staff groups' permissions on the community models, and the advisors and strategic
partners named in seed 000 ("arms-length advising from funders and strategic partners
(i.e. NSTA, After School Alliance, SFN, etc.)").

TIES staff run everything. The Stewardship team runs consultations (comments, FAQ), town
halls and surveys and reads survey results; publishing announcements belongs to TIES staff
and the Vice Chair for Communications (checked in the service by office, not by group)."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)


def _crud(model, *actions):
    return [f"community.{action}_{model}" for action in actions]


ALL = ("view", "add", "change", "delete")
VOICE = [
    *_crud("consultation", "view", "add", "change"),
    *_crud("consultationversion", "view"),
    *_crud("comment", "view", "change"),
    *_crud("faqentry", *ALL),
    "community.moderate_consultation",
    *_crud("townhall", *ALL),
    *_crud("townhallregistration", "view", "delete"),
    *_crud("survey", "view", "add", "change"),
    *_crud("question", *ALL),
    *_crud("choice", *ALL),
    "community.view_survey_results",
]
GROUP_PERMISSIONS = {
    TIES_STAFF: [
        *VOICE,
        *_crud("announcement", *ALL),
        "community.publish_announcement",
        *_crud("partner", *ALL),
    ],
    STEWARDSHIP_TEAM: [*VOICE, *_crud("announcement", "view"), *_crud("partner", "view")],
}

PARTNERS = [
    (
        "NSTA",
        "partner",
        "https://www.nsta.org/",
        "The National Science Teaching Association, a strategic partner advising the "
        "community at arm's length.",
        10,
    ),
    (
        "Afterschool Alliance",
        "partner",
        "https://www.afterschoolalliance.org/",
        "National voice for afterschool and summer learning programs.",
        20,
    ),
    (
        "STEM Funders Network",
        "funder",
        "https://stemfundersnetwork.org/",
        "Funders who launched the STEM Learning Ecosystems initiative.",
        10,
    ),
]


def forwards(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)
    Partner = apps.get_model("community", "Partner")
    for name, kind, website, description, order in PARTNERS:
        Partner.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "website": website, "description": description, "order": order},
        )


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)
    apps.get_model("community", "Partner").objects.filter(
        name__in=[p[0] for p in PARTNERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
