"""Names the portal seeds (data migrations), translated at display time.

The database keeps the English name a migration created; each is a msgid in the
catalog, listed here with gettext_noop so makemessages finds it. `seed_name` shows such a
name in the reader's language; any other name (one staff created or renamed) is shown
as entered. Seed 001's attribute names live in measurement.models.SEED_ATTRIBUTE_NAMES.
tests/portal/test_seed_names.py checks these lists against the migrations."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# members/migrations/0002_regions_and_groups.py (seed 000's five regions)
REGION_NAMES = (
    gettext_noop("Northeast"),
    gettext_noop("South"),
    gettext_noop("Midwest"),
    gettext_noop("West"),
    gettext_noop("International/Global"),
)

# governance/migrations/0002_seed_offices.py (seed 000's Stewardship Team)
OFFICE_NAMES = (
    gettext_noop("Chair"),
    gettext_noop("Vice Chair for Communications"),
    gettext_noop("Vice Chair of Diversity, Equity and Inclusion"),
    gettext_noop("Vice Chair of Measurement and Data"),
    gettext_noop("Vice Chair of Services"),
    gettext_noop("Vice Chair of Events"),
    gettext_noop("TIES Liaison"),
    gettext_noop("Regional Committee Chair, Northeast"),
    gettext_noop("Regional Committee Chair, South"),
    gettext_noop("Regional Committee Chair, Midwest"),
    gettext_noop("Regional Committee Chair, West"),
    gettext_noop("Regional Committee Chair, International/Global"),
)

# members/migrations/0008_service_catalog.py (seed 004's add-on services)
SERVICE_NAMES = (
    gettext_noop("Customized data analysis"),
    gettext_noop("Asset mapping platform"),
    gettext_noop("Design studio"),
    gettext_noop("Collective grants for similar projects"),
    gettext_noop("Sustainable fundraising strategy"),
    gettext_noop("Lead STEM"),
    gettext_noop("Program implementation assistance"),
    gettext_noop("Technical assistance by request"),
    gettext_noop("Microcertifications"),
    gettext_noop("Equity and cultural sensitivity training and support"),
    gettext_noop("Funders meetings"),
)

# measurement/migrations/0002_seed_attributes_indicators.py (drawn from seed 001)
INDICATOR_NAMES = (
    gettext_noop("Partner organisations"),
    gettext_noop("Sectors represented among partners"),
    gettext_noop("Partners included in the design of learning"),
    gettext_noop("Partners with anti-racist and equity policies"),
    gettext_noop("Governance model among cross-sector partners in place"),
    gettext_noop("Common vision and partner roles"),
    gettext_noop("Internal and external communication systems"),
    gettext_noop("Champions for the work"),
    gettext_noop("Shared professional development hours"),
    gettext_noop("Learners reached in school"),
    gettext_noop("Learners reached out of school"),
    gettext_noop("Learning progressions from classroom to afterschool"),
    gettext_noop("Social-emotional learning built into shared programs"),
    gettext_noop("Data-driven decision-making"),
    gettext_noop("Clear outcomes designed by stakeholders, connected to standards"),
    gettext_noop("Programs measuring learners' STEM attitudes"),
    gettext_noop("How you used qualitative and quantitative data"),
    gettext_noop("Employer partners"),
    gettext_noop("Postsecondary and career pathways mapped"),
    gettext_noop("Alignment with local and regional employers"),
    gettext_noop("Workforce and career highlights"),
)

SEED_NAMES = frozenset(REGION_NAMES + OFFICE_NAMES + SERVICE_NAMES + INDICATOR_NAMES)


def seed_name(name: str) -> str:
    """`name` in the active language when the portal seeded it, else as entered."""
    return gettext(name) if name in SEED_NAMES else name
