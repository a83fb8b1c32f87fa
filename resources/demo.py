"""Demo library: ~40 resources across kinds, topics, the five attributes of seed 001 and
all three visibilities, with small generated files (PDF, CSV, Word, ZIP, PNG) and a few
grant opportunities with upcoming deadlines. Independent of the number of ecosystems;
idempotent (keyed by slug: a second run adds nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from members.models import User

from . import samples
from .models import Resource, ResourceVersion, Topic
from .services import build_version, save_library_file
from .storage import resource_storage
from .validators import validate_upload

K = Resource.Kind
A = Resource.Attribute
V = Resource.Visibility
AU = Resource.Audience

TOPICS = [
    "Equity and inclusion",
    "Family engagement",
    "Out-of-school time",
    "Early childhood",
    "Career pathways",
    "Data and evaluation",
    "Governance",
    "Fundraising",
    "Communications",
    "Advocacy",
    "Professional development",
    "Industry partnerships",
    "Computer science",
    "Rural ecosystems",
]


@dataclass
class Spec:
    title: str
    kind: str
    attribute: str
    topics: list[str]
    visibility: str = V.MEMBERS
    audience: str = AU.LEADERS
    file: str = "pdf"  # pdf, csv, docx, zip, png, or "" for a link or body only
    link: str = ""
    featured: bool = False
    published: bool = True
    versions: int = 1
    grant: dict = field(default_factory=dict)
    summary: str = ""


SPECS = [
    Spec("Ecosystem Launch Toolkit", K.TOOLKIT, A.SYSTEMS, ["Governance"], V.PUBLIC, featured=True,
         file="zip", versions=2,
         summary="Everything a new ecosystem needs for its first year: charter template, "
                 "partner map, meeting agendas and a 90-day plan."),
    Spec("Cross-Sector Partnership Playbook", K.PLAYBOOK, A.PARTNERSHIPS,
         ["Industry partnerships", "Equity and inclusion"], V.PUBLIC, featured=True, versions=2,
         summary="How ecosystems recruit and keep schools, museums, employers and "
                 "community organisations at the same table."),
    Spec("Family STEM Night Planning Guide", K.TOOLKIT, A.TEACHING, ["Family engagement"],
         V.PUBLIC, AU.FAMILIES, featured=True,
         summary="Step-by-step planning for family STEM nights in libraries, schools and "
                 "community centres."),
    Spec("Governance Charter Template", K.TEMPLATE, A.SYSTEMS, ["Governance"], file="docx",
         summary="An editable charter describing roles, decision rights and the leadership "
                 "team of a cross-sector ecosystem."),
    Spec("Backbone Organization Job Descriptions", K.TEMPLATE, A.SYSTEMS, ["Governance"],
         file="docx",
         summary="Editable job descriptions for ecosystem directors and coordinators."),
    Spec("Measurement Framework Overview", K.PUBLICATION, A.MEASUREMENT, ["Data and evaluation"],
         V.PUBLIC, featured=True,
         summary="How ecosystems use the Ecosystem Indicators Tool and the ERP dashboard to "
                 "track progress."),
    Spec("Ecosystem Indicators Data Dictionary", K.TEMPLATE, A.MEASUREMENT,
         ["Data and evaluation"], file="csv",
         summary="Definitions, units and sources of every ecosystem indicator, as CSV."),
    Spec("Sample Partner Survey Results", K.REPORT, A.MEASUREMENT, ["Data and evaluation"],
         V.STAFF, AU.LEADERS, file="csv",
         summary="Anonymised partner survey results used to calibrate the indicators."),
    Spec("Restoring America's Position as a World Leader by Reinvesting in STEM", K.REPORT,
         A.SYSTEMS, ["Advocacy"], V.PUBLIC, AU.FUNDERS, featured=True,
         summary="The national report of the Community of Practice's town halls: five "
                 "recommendations for federal and state STEM policy."),
    Spec("Town Hall Facilitation Guide", K.PLAYBOOK, A.PARTNERSHIPS, ["Advocacy"],
         summary="How to run a community STEM town hall and turn the notes into a policy "
                 "brief."),
    Spec("Career Pathways Mapping Workbook", K.TOOLKIT, A.WORKFORCE,
         ["Career pathways", "Industry partnerships"], file="docx",
         summary="Map postsecondary and career pathways with local employers and "
                 "regional economic development partners."),
    Spec("Employer Engagement Playbook", K.PLAYBOOK, A.WORKFORCE, ["Industry partnerships"],
         V.PUBLIC, AU.PARTNERS,
         summary="Ways for businesses to host externships, mentor students and co-design "
                 "learning."),
    Spec("Regional Labor Market Snapshot", K.REPORT, A.WORKFORCE, ["Career pathways"],
         file="csv",
         summary="STEM job openings and wages by region, for conversations with employers."),
    Spec("Aligning In-School and Out-of-School Learning", K.PUBLICATION, A.TEACHING,
         ["Out-of-school time", "Professional development"], V.PUBLIC, AU.EDUCATORS,
         summary="Learning progressions that move from the classroom to afterschool and "
                 "summer programmes."),
    Spec("Shared Professional Development Calendar", K.TEMPLATE, A.TEACHING,
         ["Professional development"], audience=AU.EDUCATORS, file="csv",
         summary="A calendar template for joint professional development of teachers and "
                 "out-of-school educators."),
    Spec("Social-Emotional Learning in STEM", K.PUBLICATION, A.TEACHING, ["Equity and inclusion"],
         V.PUBLIC, AU.EDUCATORS,
         summary="Research summary and classroom practices that connect SEL and STEM."),
    Spec("Early Childhood STEM Starter Kit", K.TOOLKIT, A.TEACHING, ["Early childhood"],
         audience=AU.EDUCATORS, file="zip",
         summary="Activities and family take-home cards for children from birth to age eight."),
    Spec("Equity Audit Worksheet", K.TEMPLATE, A.PARTNERSHIPS, ["Equity and inclusion"],
         file="docx",
         summary="Review partner policies for equity and anti-racism, one organisation at "
                 "a time."),
    Spec("Anti-Racist Policies for Partner Organizations", K.PUBLICATION, A.PARTNERSHIPS,
         ["Equity and inclusion"],
         summary="Examples of policies ecosystems adopted with their partner organisations."),
    Spec("Communications Plan Template", K.TEMPLATE, A.SYSTEMS, ["Communications"],
         file="docx",
         summary="Internal and external communications for an ecosystem, with champions "
                 "and channels."),
    Spec("STEM Ecosystems Brand Guide", K.MARKETING, A.SYSTEMS, ["Communications"],
         file="png",
         summary="Logo, colours and wording for the STEM Learning Ecosystems brand."),
    Spec("Social Media Kit for Convenings", K.MARKETING, A.PARTNERSHIPS, ["Communications"],
         file="zip",
         summary="Ready-to-post images and captions before, during and after a convening."),
    Spec("Press Release Template", K.MARKETING, A.SYSTEMS, ["Communications", "Advocacy"],
         file="docx",
         summary="Announce a new ecosystem, a grant or a milestone to local media."),
    Spec("Rural Ecosystems Roundtable Recording", K.RECORDING, A.PARTNERSHIPS,
         ["Rural ecosystems"], file="", link="https://video.example.org/rural-roundtable",
         summary="Leaders of rural ecosystems on transport, broadband and partnerships."),
    Spec("Computer Science for All Webinar", K.RECORDING, A.TEACHING, ["Computer science"],
         V.PUBLIC, AU.EDUCATORS, file="", link="https://video.example.org/cs-for-all",
         summary="Three ecosystems on bringing computer science to every grade band."),
    Spec("Convening Session: Sustaining Your Backbone", K.RECORDING, A.SYSTEMS,
         ["Fundraising", "Governance"], file="", link="https://video.example.org/backbone",
         summary="A panel on funding the backbone organisation beyond the first grant."),
    Spec("Sustainable Fundraising Strategies", K.PLAYBOOK, A.SYSTEMS, ["Fundraising"],
         summary="Diversify revenue: local philanthropy, corporate partners, public funds."),
    Spec("Collective Grant Proposal Template", K.TEMPLATE, A.PARTNERSHIPS, ["Fundraising"],
         file="docx",
         summary="A template for joint proposals by several ecosystems."),
    Spec("Asset Mapping Guide", K.TOOLKIT, A.TEACHING, ["Out-of-school time"],
         summary="Find and map every learning asset in a community, from parks to "
                 "makerspaces."),
    Spec("Data Sharing Agreement Template", K.TEMPLATE, A.MEASUREMENT, ["Data and evaluation"],
         file="docx",
         summary="A data sharing agreement between school districts and out-of-school "
                 "partners."),
    Spec("Longitudinal Outcomes Study 2019-2024", K.REPORT, A.MEASUREMENT,
         ["Data and evaluation"], V.PUBLIC, AU.FUNDERS,
         summary="Five years of student STEM attitudes and achievement across ecosystems."),
    Spec("Stewardship Team Onboarding Packet", K.TOOLKIT, A.SYSTEMS, ["Governance"], V.STAFF,
         summary="For newly elected stewardship team members: roles, calendar, contacts."),
    Spec("Microcertification Pilot Design", K.PUBLICATION, A.WORKFORCE,
         ["Professional development", "Career pathways"], V.STAFF,
         summary="Draft design of the microcertification pilot (not for circulation)."),
    Spec("Summer Learning Partnership Checklist", K.TEMPLATE, A.TEACHING,
         ["Out-of-school time", "Family engagement"], file="csv", published=False,
         summary="A checklist for summer programme partnerships (suggested by a member)."),
    Spec("Youth Voice in Ecosystem Governance", K.PUBLICATION, A.SYSTEMS,
         ["Equity and inclusion", "Governance"], published=False,
         summary="How ecosystems give young people seats at the table."),
    Spec("STEM Next Opportunity Fund: Ecosystem Innovation Grants", K.GRANT, A.PARTNERSHIPS,
         ["Fundraising"], file="", link="https://funders.example.org/innovation",
         grant={"days": 12, "funder": "STEM Next Opportunity Fund", "low": 2_500_000,
                "high": 10_000_000},
         summary="Seed grants for cross-sector projects led by STEM learning ecosystems."),
    Spec("Regional Workforce Alliance Grants", K.GRANT, A.WORKFORCE, ["Career pathways"],
         file="", link="https://funders.example.org/workforce",
         grant={"days": 28, "funder": "Regional Workforce Alliance", "low": 1_000_000,
                "high": 5_000_000},
         summary="Support for career pathway programmes co-designed with employers."),
    Spec("Family Engagement Mini-Grants", K.GRANT, A.TEACHING, ["Family engagement"],
         V.PUBLIC, file="", link="https://funders.example.org/families",
         grant={"days": 45, "funder": "Community Learning Foundation", "low": 200_000,
                "high": 500_000},
         summary="Small grants for family STEM nights and take-home kits."),
    Spec("Measurement Capacity Building Awards", K.GRANT, A.MEASUREMENT, ["Data and evaluation"],
         file="pdf",
         grant={"days": 90, "funder": "National Data Collaborative", "high": 7_500_000},
         summary="Funding for ecosystems building shared measurement systems."),
    Spec("Rural STEM Access Fund", K.GRANT, A.PARTNERSHIPS, ["Rural ecosystems"], V.PUBLIC,
         file="", link="https://funders.example.org/rural",
         grant={"days": -20, "funder": "Rural Futures Trust", "low": 500_000, "high": 2_500_000},
         summary="Closed round: grants for STEM access in rural communities."),
]  # fmt: skip

BODY = """{summary}

## What's inside

- Why it matters for **{attribute}**
- Practical steps ecosystems have tested
- Examples from ecosystems in every region

## How to use it

Share it with your leadership team and partners, adapt it to your community, and tell
TIES staff what worked so the next version is better.
"""


def _file_for(spec: Spec, version: int) -> tuple[str, bytes] | None:
    stem = slugify(spec.title)[:60]
    lines = [spec.summary[i : i + 90] for i in range(0, len(spec.summary), 90)]
    lines += ["", f"Version {version}", "STEM Learning Ecosystems Community of Practice"]
    if spec.file == "pdf":
        return f"{stem}.pdf", samples.pdf_bytes(spec.title, lines)
    if spec.file == "docx":
        return f"{stem}.docx", samples.docx_bytes(spec.title, lines)
    if spec.file == "csv":
        rows = [["item", "description", "owner", "status"]]
        rows += [
            [f"{spec.title} {i}", line, "Ecosystem lead", "open"] for i, line in enumerate(lines)
        ]
        return f"{stem}.csv", samples.csv_bytes(rows)
    if spec.file == "zip":
        return f"{stem}.zip", samples.zip_bytes(
            {
                "README.pdf": samples.pdf_bytes(spec.title, lines),
                "worksheet.csv": samples.csv_bytes([["step", "notes"], ["1", ""], ["2", ""]]),
                "template.docx": samples.docx_bytes(spec.title, lines),
            }
        )
    if spec.file == "png":
        return f"{stem}.png", samples.png_bytes(64, 32)
    return None


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    today = timezone.localdate()
    now = timezone.now()
    owner = User.objects.filter(email="staff@example.org").first()
    Topic.objects.bulk_create(
        [Topic(name=name, slug=slugify(name)) for name in TOPICS], ignore_conflicts=True
    )
    topics = dict(Topic.objects.values_list("name", "pk"))
    specs = {slugify(spec.title): spec for spec in SPECS}
    existing = set(Resource.objects.filter(slug__in=specs).values_list("slug", flat=True))
    new = {slug: spec for slug, spec in specs.items() if slug not in existing}
    if not new:
        return None
    stored: list[str] = []
    try:
        with transaction.atomic():
            _create(new, topics, owner, rng, today, now, stored)
    except BaseException:
        for name in stored:  # the rows were rolled back; don't leave their files behind
            resource_storage.delete(name)
        raise
    grants = sum(1 for s in new.values() if s.kind == K.GRANT)
    return f"{len(new)} library resources ({grants} grant opportunities)"


def _create(new: dict[str, Spec], topics, owner, rng, today, now, stored: list[str]) -> None:
    resources = []
    for index, (slug, spec) in enumerate(new.items()):
        grant = spec.grant
        resources.append(
            Resource(
                title=spec.title,
                slug=slug,
                summary=spec.summary,
                body=BODY.format(summary=spec.summary, attribute=A(spec.attribute).label),
                kind=spec.kind,
                attribute=spec.attribute,
                audience=spec.audience,
                external_url=spec.link,
                visibility=spec.visibility,
                is_published=spec.published,
                is_featured=spec.featured,
                owner=owner,
                download_count=rng.randint(0, 400) if spec.published else 0,
                deadline=today + timedelta(days=grant["days"]) if grant else None,
                funder=grant.get("funder", ""),
                amount_min_cents=grant.get("low"),
                amount_max_cents=grant.get("high"),
                published_at=now - timedelta(days=3 * index) if spec.published else None,
            )
        )
    for resource in resources:  # choices and lengths; uniqueness is the slug check above
        resource.full_clean(validate_unique=False, validate_constraints=False)
    Resource.objects.bulk_create(resources)
    ids = dict(Resource.objects.filter(slug__in=new).values_list("slug", "pk"))
    Through = Resource.topics.through
    Through.objects.bulk_create(
        [
            Through(resource_id=ids[slug], topic_id=topics[name])
            for slug, spec in new.items()
            for name in spec.topics
        ],
        ignore_conflicts=True,
    )
    versions = []
    for slug, spec in new.items():
        for number in range(1, spec.versions + 1):
            made = _file_for(spec, number)
            if made is None:
                continue
            filename, data = made
            checked = validate_upload(ContentFile(data, name=filename))
            name = save_library_file(checked.filename, ContentFile(data))
            stored.append(name)
            versions.append(
                build_version(
                    resource_id=ids[slug],
                    number=number,
                    stored_name=name,
                    checked=checked,
                    note="First edition" if number == 1 else "Updated examples and links",
                    uploaded_by=owner,
                )
            )
    ResourceVersion.objects.bulk_create(versions)
    current = {}
    for resource_id, pk, _number in (
        ResourceVersion.objects.filter(resource_id__in=ids.values())
        .values_list("resource_id", "pk", "number")
        .order_by("resource_id", "number")
    ):
        current[resource_id] = pk
    Resource.objects.bulk_update(
        [Resource(pk=rid, current_version_id=vid) for rid, vid in current.items()],
        ["current_version"],
    )
