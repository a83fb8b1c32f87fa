"""The add-on service catalog of seed 000 ("Add-On Services … Some of these services will
have an associated fee"), and the staff groups' permissions on services and onboarding.

Fees are starting values for staff to adjust in the admin; the seed names the services
but not their prices."""

from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

# (slug, name, category, pricing, fee_cents, availability, description)
CATALOG = [
    (
        "customized-data-analysis",
        "Customized data analysis",
        "data",
        "quote",
        None,
        "active",
        "Customized analysis of your ecosystem's data based on your specific needs and "
        "questions, with a written summary and a debrief call.",
    ),
    (
        "asset-mapping-platform",
        "Asset mapping platform",
        "data",
        "fixed",
        150_000,
        "active",
        "A year of access to the asset mapping platform to map the STEM learning "
        "opportunities, partners and gaps across your community.",
    ),
    (
        "design-studio",
        "Design studio",
        "design",
        "fixed",
        250_000,
        "active",
        "A facilitated design studio with your partners to work through a problem of "
        "practice and leave with a prototype and next steps.",
    ),
    (
        "collective-grants",
        "Collective grants for similar projects",
        "grants",
        "free",
        None,
        "active",
        "Join other ecosystems with similar projects in a collective grant application, "
        "coordinated by the backbone organisation.",
    ),
    (
        "fundraising-strategy",
        "Sustainable fundraising strategy",
        "grants",
        "quote",
        None,
        "active",
        "Support to build a sustainable fundraising strategy specific to your ecosystem.",
    ),
    (
        "lead-stem",
        "Lead STEM",
        "leadership",
        "fixed",
        120_000,
        "active",
        "Targeted leadership development for your ecosystem's leadership team.",
    ),
    (
        "program-implementation",
        "Program implementation assistance",
        "leadership",
        "quote",
        None,
        "active",
        "Hands-on assistance to implement a program across your ecosystem's partners.",
    ),
    (
        "technical-assistance",
        "Technical assistance by request",
        "technical",
        "quote",
        None,
        "active",
        "Technical assistance on a question you bring: scoped with you, then quoted.",
    ),
    (
        "microcertifications",
        "Microcertifications",
        "future",
        "quote",
        None,
        "future",
        "Microcertifications for educators and ecosystem staff (planned).",
    ),
    (
        "equity-training",
        "Equity and cultural sensitivity training and support",
        "future",
        "quote",
        None,
        "future",
        "Training and support on equity and cultural sensitivity (planned).",
    ),
    (
        "funders-meetings",
        "Funders meetings",
        "future",
        "free",
        None,
        "future",
        "Meetings that bring ecosystems and funders together (planned).",
    ),
]

GROUP_PERMISSIONS = {
    TIES_STAFF: [
        "members.view_service",
        "members.add_service",
        "members.change_service",
        "members.view_servicerequest",
        "members.change_servicerequest",
        "members.view_joinapplication",
        "members.change_joinapplication",
        "members.view_onboarding",
        "members.change_onboarding",
        "members.view_onboardingtick",
    ],
    STEWARDSHIP_TEAM: [
        "members.view_service",
        "members.view_servicerequest",
        "members.view_joinapplication",
        "members.change_joinapplication",
        "members.view_onboarding",
        "members.view_onboardingtick",
    ],
}


def forwards(apps, schema_editor):
    Service = apps.get_model("members", "Service")
    for order, (slug, name, category, pricing, fee, availability, text) in enumerate(CATALOG):
        Service.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "category": category,
                "pricing": pricing,
                "fee_cents": fee,
                "availability": availability,
                "description": text,
                "order": (order + 1) * 10,
            },
        )
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)
    apps.get_model("members", "Service").objects.filter(
        slug__in=[row[0] for row in CATALOG]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0007_services_onboarding")]

    operations = [migrations.RunPython(forwards, backwards)]
