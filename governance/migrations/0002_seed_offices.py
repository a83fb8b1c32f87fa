"""The Stewardship Team of seed 000 ("Operating and Governance Framework"): the embedded,
elected leadership and management team (Chair and five Vice Chairs), the TIES Liaison and
a selected Committee Chair for each of the five regions. Responsibilities are the seed's
own words. Elected offices serve two-year terms (the seed's "two-year term in 2021 and
2022"); regional chairs sit on the same team and serve the same two years; the TIES
Liaison is appointed by TIES and serves until replaced."""

from django.db import migrations

# slug, name, kind, filled_by, term_years, order, description
OFFICES = [
    (
        "chair",
        "Chair",
        "stewardship",
        "elected",
        2,
        10,
        "Responsible for financial oversight, fundraising, partnership development and "
        "smart growth.",
    ),
    (
        "vice-chair-communications",
        "Vice Chair for Communications",
        "stewardship",
        "elected",
        2,
        20,
        "To optimize sharing of best practices and steer advocacy efforts.",
    ),
    (
        "vice-chair-diversity-equity-inclusion",
        "Vice Chair of Diversity, Equity and Inclusion",
        "stewardship",
        "elected",
        2,
        30,
        "To ensure a more representative SLECoP across all levels.",
    ),
    (
        "vice-chair-measurement-data",
        "Vice Chair of Measurement and Data",
        "stewardship",
        "elected",
        2,
        40,
        "To identify and amplify data efforts and measurement to support program scale.",
    ),
    (
        "vice-chair-services",
        "Vice Chair of Services",
        "stewardship",
        "elected",
        2,
        50,
        "To ensure community members' interests are served through resources available.",
    ),
    (
        "vice-chair-events",
        "Vice Chair of Events",
        "stewardship",
        "elected",
        2,
        60,
        "To work with the host community, event planner, and backbone organization to "
        "support all aspects of event planning.",
    ),
    (
        "ties-liaison",
        "TIES Liaison",
        "liaison",
        "appointed",
        None,
        70,
        "To function as the link to thought leaders and funders, and to support ongoing "
        "field-building across SLECoP. Appointed by TIES, the backbone organization; not "
        "elected.",
    ),
]

REGIONAL_ORDER = 100


def regional_office(region):
    return {
        "slug": f"regional-chair-{region.slug}",
        "name": f"Regional Committee Chair, {region.name}",
        "kind": "regional",
        "filled_by": "selected",
        "term_years": 2,
        "order": REGIONAL_ORDER + region.number,
        "description": (
            f"Selected within Region #{region.number}/ {region.name} to chair its regional "
            "committee and bring the region's ecosystems' voice to the Stewardship Team."
        ),
    }


def forwards(apps, schema_editor):
    Office = apps.get_model("governance", "Office")
    Region = apps.get_model("members", "Region")
    for slug, name, kind, filled_by, term_years, order, description in OFFICES:
        Office.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "filled_by": filled_by,
                "term_years": term_years,
                "order": order,
                "description": description,
            },
        )
    for region in Region.objects.order_by("number"):
        values = regional_office(region)
        Office.objects.update_or_create(
            slug=values.pop("slug"), defaults={**values, "region": region}
        )


def backwards(apps, schema_editor):
    Office = apps.get_model("governance", "Office")
    Office.objects.filter(slug__in=[o[0] for o in OFFICES]).delete()
    Office.objects.filter(kind="regional").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
