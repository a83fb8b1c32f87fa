"""The five attributes of seed 001 (with their text) and the indicators drawn from it.
Staff add more in the admin; this migration only creates what is missing (by slug/code)."""

from django.db import migrations

from members.migration_utils import grant_group_permissions

ATTRIBUTES = [
    (
        1,
        "strong-cross-sector-partnerships",
        "Strong cross-sector partnerships",
        "Ecosystems have cultivated diverse cross-sector partnerships among all STEM "
        "stakeholders, including: families; pre-K-12 education; business and industry; "
        "postsecondary education institutions; non-profit and community based organizations; "
        "STEM-rich and cultural institutions (e.g. science centers, museums); and government.\n"
        "All community partners are included in the design of learning and the spaces in "
        "which learning happens, including: schools, libraries, parks, businesses, out of "
        "school partners, government, museums, cultural spaces, nonprofits, and other "
        "community based organizations. Ecosystems fundamentally believe that learning "
        "happens everywhere and all partners have a role to play.\n"
        "Ecosystems keep equity central to all that they doing, ensuring anti-racist "
        "policies exist within all community partner organizations.",
    ),
    (
        2,
        "systems-that-sustain-the-work",
        "Systems that sustain the work",
        "Ecosystems establish infrastructure within communities that sustain the work. This "
        "includes strong governance models amongst cross-sector partners, clear leadership "
        "roles, internal and external systems of communication and champions for the work.\n"
        "Ecosystem partners are clear about the common vision for their work. Ecosystem "
        "partners also understand their role within the system and contribute their "
        "resources for the good of the greater community. Partners also benefit from "
        "participating in Ecosystem work, making their home institution stronger in return.\n"
        "Systems are built with the central belief that equity, access and opportunity be "
        "available to all learners and families. Systems are also created with safety, "
        "mental, physical and emotional health at the center of all learning, regardless of "
        "the space.",
    ),
    (
        3,
        "aligned-teaching-and-learning",
        "Aligned teaching and learning",
        "Ecosystems align learning between in-school and out-of-school systems. Ecosystems "
        "support learning progressions that move from the classroom to afterschool and "
        "summer school programming.\n"
        "Ecosystems prioritize shared professional development that reflects research-based "
        "effective teaching practices for educating common students across in and "
        "out-of-school providers.\n"
        "Ecosystems understand that learning happens everywhere and leverage partnerships to "
        "ensure communities capitalize on all existing assets. Ecosystems have a broad "
        "definition of assets.\n"
        "Ecosystems promote social-emotional development and learning as a critical "
        "foundation for all learning.",
    ),
    (
        4,
        "measurement-of-ecosystem-progress",
        "Measurement of ecosystem progress",
        "Ecosystems implement measurement systems to ensure data-driven decision-making and "
        "longitudinal measurement of success. Systems measure both progress of student "
        "achievement and STEM attitudes, as well as the strength of partnerships and the "
        "larger Ecosystem.\n"
        "Ecosystem measurement systems outline clear outcomes, designed by all stakeholders "
        "and connected to standards, to embed in all community learning experiences.\n"
        "Ecosystems understand the work is complex and utilizes practices that support both "
        "qualitative and quantitative data to view progress.",
    ),
    (
        5,
        "workforce-and-career-trajectories",
        "Workforce and career trajectories",
        "Ecosystems create articulated postsecondary and career readiness pathways that are "
        "responsive to local employer demand and regional economic development. Ecosystems "
        "map all pathways for students to give families clear options for success.\n"
        "Ecosystems align closely with local and regional employers to understand workforce "
        "needs and future career trends. Ecosystems partner often with business, industry "
        "and government to ensure all learning is relevant to future work and innovation.",
    ),
]

R = "rubric"
# (attribute number, code, name, kind, guidance, rubric levels 1–4 or None)
INDICATORS = [
    (
        1,
        "partner-organizations",
        "Partner organisations",
        "count",
        "Organisations that actively partnered with the ecosystem this year, all sectors.",
        None,
    ),
    (
        1,
        "partner-sectors",
        "Sectors represented among partners",
        "count",
        "Of: families; pre-K-12 education; business and industry; postsecondary education; "
        "non-profit and community based organizations; STEM-rich and cultural institutions; "
        "government (0–7).",
        None,
    ),
    (
        1,
        "partners-in-design",
        "Partners included in the design of learning",
        R,
        "Are schools, libraries, parks, businesses, out-of-school partners, museums and "
        "community organisations part of designing learning and learning spaces?",
        (
            "Partners are informed of plans made by a few organisations.",
            "Some partners are consulted on the design of some programs.",
            "Most partner sectors co-design learning and the spaces where it happens.",
            "All partners co-design learning everywhere; families and youth share decisions.",
        ),
    ),
    (
        1,
        "partners-equity-policies",
        "Partners with anti-racist and equity policies",
        "percentage",
        "Share of partner organisations with written anti-racist or equity policies in place.",
        None,
    ),
    (
        2,
        "governance-model",
        "Governance model among cross-sector partners in place",
        "yes_no",
        "A written governance model with clear leadership roles agreed by the partners.",
        None,
    ),
    (
        2,
        "common-vision",
        "Common vision and partner roles",
        R,
        "Partners are clear about the common vision, understand their role and contribute "
        "resources.",
        (
            "No shared vision is written down yet.",
            "A vision exists but few partners know their role in it.",
            "Partners share the vision and most contribute resources.",
            "Partners contribute resources and report their home institution is stronger for it.",
        ),
    ),
    (
        2,
        "communication-systems",
        "Internal and external communication systems",
        R,
        "Regular channels among partners and to the community (newsletters, meetings, "
        "website, social media).",
        (
            "Communication is occasional and informal.",
            "Internal communication is regular; little reaches the community.",
            "Regular internal and external communication reaches most stakeholders.",
            "Communication is two-way, multilingual and reaches every stakeholder group.",
        ),
    ),
    (
        2,
        "champions",
        "Champions for the work",
        "count",
        "People outside the backbone organisation who publicly advocate for the ecosystem.",
        None,
    ),
    (
        3,
        "shared-pd-hours",
        "Shared professional development hours",
        "count",
        "Hours of professional development attended together by in-school and out-of-school "
        "educators this year.",
        None,
    ),
    (
        3,
        "learners-in-school",
        "Learners reached in school",
        "count",
        "Distinct learners reached through in-school programs this year.",
        None,
    ),
    (
        3,
        "learners-out-of-school",
        "Learners reached out of school",
        "count",
        "Distinct learners reached through afterschool, summer and community programs.",
        None,
    ),
    (
        3,
        "learning-progressions",
        "Learning progressions from classroom to afterschool",
        R,
        "Learning moves from the classroom to afterschool and summer programming.",
        (
            "In-school and out-of-school programs run separately.",
            "Some programs share topics or calendars.",
            "Progressions are planned together for several grades.",
            "Aligned progressions across grades and settings, reviewed with educators yearly.",
        ),
    ),
    (
        3,
        "social-emotional-learning",
        "Social-emotional learning built into shared programs",
        "yes_no",
        "Social-emotional development is an explicit goal of shared programming.",
        None,
    ),
    (
        4,
        "data-driven-decisions",
        "Data-driven decision-making",
        R,
        "Measurement systems inform decisions and track success over the years.",
        (
            "Little data is collected beyond attendance.",
            "Data is collected but rarely used for decisions.",
            "Partners review shared data at least yearly to decide next steps.",
            "Longitudinal data on learners and partnerships drives the ecosystem's plans.",
        ),
    ),
    (
        4,
        "outcomes-defined",
        "Clear outcomes designed by stakeholders, connected to standards",
        "yes_no",
        "Outcomes were designed with all stakeholders and linked to standards.",
        None,
    ),
    (
        4,
        "stem-attitudes-measured",
        "Programs measuring learners' STEM attitudes",
        "percentage",
        "Share of ecosystem programs that measure learners' STEM attitudes.",
        None,
    ),
    (
        4,
        "measurement-story",
        "How you used qualitative and quantitative data",
        "text",
        "One or two examples of data that changed what the ecosystem does.",
        None,
    ),
    (
        5,
        "employer-partners",
        "Employer partners",
        "count",
        "Businesses, industry and government employers partnering on learning or pathways.",
        None,
    ),
    (
        5,
        "pathways-mapped",
        "Postsecondary and career pathways mapped",
        "count",
        "Pathways mapped and shared with students and families.",
        None,
    ),
    (
        5,
        "employer-alignment",
        "Alignment with local and regional employers",
        R,
        "Learning is informed by workforce needs and future career trends.",
        (
            "Employers are occasional guest speakers.",
            "Some employers advise on programs.",
            "Employers co-design pathways responsive to local demand.",
            "Pathways track regional economic development plans with employers at the table.",
        ),
    ),
    (
        5,
        "workforce-highlights",
        "Workforce and career highlights",
        "text",
        "Internships, apprenticeships, credentials or other results worth sharing.",
        None,
    ),
]


def forwards(apps, schema_editor):
    Attribute = apps.get_model("measurement", "Attribute")
    Indicator = apps.get_model("measurement", "Indicator")
    attributes = {}
    for number, slug, name, description in ATTRIBUTES:
        attributes[number], _ = Attribute.objects.get_or_create(
            slug=slug, defaults={"number": number, "name": name, "description": description}
        )
    for order, (number, code, name, kind, guidance, rubric) in enumerate(INDICATORS, start=1):
        defaults = {
            "attribute": attributes[number],
            "name": name,
            "kind": kind,
            "help_text": guidance,
            "order": order * 10,
        }
        if rubric:
            defaults.update({f"rubric_{n}": text for n, text in enumerate(rubric, start=1)})
        Indicator.objects.get_or_create(code=code, defaults=defaults)
    grant_group_permissions(
        apps,
        {
            "TIES staff": [
                "measurement.view_attribute",
                "measurement.add_indicator",
                "measurement.change_indicator",
                "measurement.view_indicator",
                "measurement.view_indicatorreport",
                "measurement.reopen_indicatorreport",
                "measurement.view_indicatorvalue",
                "measurement.view_goal",
            ],
            "Stewardship team": [
                "measurement.view_attribute",
                "measurement.view_indicator",
                "measurement.view_indicatorreport",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0001_initial"),
        ("members", "0002_regions_and_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
