"""Demo community data for `manage.py seed_demo`: the draft Plan for Sustainability open
for comments (seed 000) with comments from across the regions and a maintained FAQ; last
year's national report consultation, closed and final; town halls (seed 004) with
registrations and notes; an open anonymous survey with responses; announcements.

The first ecosystem's lead (lead@example.org) has not answered the survey, so the demo
shows it waiting. Idempotent (everything is keyed by slug or title) and cheap at any
network size: it samples a few hundred people, never the whole network."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import EcosystemRole, Region

from .models import (
    Announcement,
    Answer,
    Choice,
    Comment,
    Consultation,
    FAQEntry,
    Question,
    Response,
    Survey,
    SurveyParticipation,
    TownHall,
    TownHallRegistration,
)
from .services.consultations import _add_version, comment_summary

SAMPLE = 300

PLAN = """The STEM Learning Ecosystem is a dynamic Community of Practice of diverse \
stakeholders deeply engaged in advancing the field of quality STEM education and \
opportunities for learners of all ages and abilities. As this community matures, it \
requires a collaboratively designed sustainability plan that ensures:

- All voices are included in and reflected throughout the work;
- Shared burden of work among community members and the backbone organization;
- A sustainable model that allows for continuing collaboration and thoughtful growth; and
- A forward-looking culture that embraces emerging practices to help scale the most \
promising innovations.

## Operating and Governance Framework

The framework relies upon the Inverted Constellation Governance Model. It puts the \
Community of Practice at the center of the work and imagines the leadership as its roots:

- A **Stewardship Team**: the Chair, the Vice Chairs for Communications; Diversity, \
Equity and Inclusion; Measurement and Data; Services; and Events; the TIES Liaison; and \
regional Committee Chairs for the Northeast, South, Midwest, West and International/Global.
- Ad hoc **Practice Groups**, advanced, chaired and self-organized by community members.
- Ad hoc **Committees** to support Vice Chairs in planning and technical assistance.
- Arms-length advising from funders and strategic partners (NSTA, Afterschool Alliance, \
STEM Funders Network).
- TIES as the backbone organization.

## Timeline and roll-out

- The community provides input to this plan at the fall convening; the final \
community-endorsed plan launches in January.
- The first elections are held at the following fall convening.
- The elected leadership serves a two-year term.

## SLECoP Participation and Membership

Core benefits for all participating ecosystems: convenings (two attendees per \
ecosystem), data collection and measurement, networking and capacity building, \
on-boarding, STEM advocacy, leadership and mentorship, shared resources.

The cost for membership is $3000 per ecosystem, collected annually. The interim \
leadership team will determine criteria for good standing and a scholarship system.

## Add-On Services

Customized data analysis, asset mapping, design studios, grant writing support, \
targeted leadership support and technical assistance by request.
"""

COMMENTS = [
    (
        "slecop-participation-and-membership",
        "A scholarship system is essential for our small rural ecosystem; "
        "please make the criteria public.",
        "accepted",
        "Added to the final plan: scholarship criteria will be published.",
    ),
    (
        "slecop-participation-and-membership",
        "Could the two included convening seats be shared across partner organisations?",
        "noted",
        "The seats belong to the ecosystem, which chooses its attendees.",
    ),
    (
        "operating-and-governance-framework",
        "Please add a youth voice seat to the Stewardship Team.",
        "noted",
        "The DEI Vice Chair will take this up with a practice group.",
    ),
    (
        "operating-and-governance-framework",
        "Regional chairs should be elected by the region, not appointed.",
        "accepted",
        "Regional chairs are selected by the ecosystems of each region.",
    ),
    (
        "timeline-and-roll-out",
        "January is too soon for ecosystems on a July fiscal year.",
        "declined",
        "The launch stays in January; dues invoices allow a grace period.",
    ),
    ("add-on-services", "Asset mapping would help us most; what will it cost?", "pending", ""),
    (None, "Thank you for a clear and inclusive plan.", "noted", ""),
    (None, "Please translate the plan into Spanish before the deadline.", "pending", ""),
]

FAQ = [
    (
        "Who decides the criteria for good standing?",
        "The interim leadership team, with TIES, before dues are first collected.",
    ),
    (
        "Can an ecosystem send more than two people to a convening?",
        "Yes, extra seats are offered at the registration price.",
    ),
    (
        "How are regional committee chairs chosen?",
        "By the ecosystems of each region, for a two-year term.",
    ),
]

TOWN_HALLS = [
    (
        "national-town-hall-reinvesting-in-stem",
        "National town hall: Reinvesting in STEM",
        None,
        -200,
        """## What we heard

- Foster collaboration to engage, leverage and link all community resources.
- Ensure a diverse, well-prepared and supported teaching workforce.
- Build a strong early learning system.
""",
    ),
    (
        "midwest-town-hall-family-engagement",
        "Midwest town hall: family engagement in STEM",
        "midwest",
        -150,
        """## Notes

Family engagement strengthens STEM learning by building a foundation and nurturing \
children's interest across settings.""",
    ),
    ("west-town-hall-workforce", "West town hall: workforce trajectories", "west", -90, ""),
    (
        "national-town-hall-sustainability-plan",
        "National town hall: the draft Plan for Sustainability",
        None,
        10,
        "",
    ),
    ("south-town-hall-rural-ecosystems", "South town hall: rural ecosystems", "south", 24, ""),
]

ANNOUNCEMENTS = [
    (
        "Comment on the draft Plan for Sustainability",
        "public",
        2,
        "The draft plan is open for comments. Read it section by section and tell us "
        "what to change before the deadline.",
    ),
    (
        "Register for the national town hall",
        "public",
        5,
        "Join STEM leaders from every region to discuss the draft plan.",
    ),
    (
        "Members: election timeline for the Stewardship Team",
        "members",
        9,
        "Nominations open at the fall convening; every ecosystem in good standing "
        "casts one ballot.",
    ),
    (
        "New toolkit in the resource library",
        "public",
        16,
        "A family engagement toolkit from the Chicago STEM Pathways Cooperative is "
        "now in the library.",
    ),
    (
        "Members: scholarship applications open",
        "members",
        30,
        "Ecosystems that need support with dues can apply for a scholarship from their dashboard.",
    ),
]

SURVEY_SLUG = "stem-priorities-survey"


def _people(ecosystems):
    """(user_id, ecosystem_id, region_id, role) of a sample of people, skipping the first
    ecosystem (its demo lead and member answer nothing, so the demo shows what waits)."""
    sample = ecosystems.order_by("pk")[1 : SAMPLE + 1]
    return list(
        EcosystemRole.objects.filter(ecosystem__in=sample)
        .order_by("ecosystem_id", "role")
        .values_list("user_id", "ecosystem_id", "ecosystem__region_id", "role")
    )


def _plan(people, rng, now) -> None:
    if Consultation.objects.filter(slug="draft-plan-for-sustainability").exists():
        return
    consultation = Consultation.objects.create(
        title="STEM Learning Ecosystem Community of Practice DRAFT Plan for Sustainability",
        slug="draft-plan-for-sustainability",
        summary="The document for collecting comments. The FAQ will be updated as needed.",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=21),
        published=True,
    )
    version = _add_version(acting_user=None, consultation=consultation, body=PLAN)
    sections = {s.anchor: s for s in version.sections.all()}
    rows = []
    for i, (anchor, body, outcome, reply) in enumerate(COMMENTS):
        user_id, ecosystem_id, region_id, _role = people[(i * 7) % len(people)]
        rows.append(
            Comment(
                consultation=consultation,
                version=version,
                section=sections.get(anchor),
                author_id=user_id,
                ecosystem_id=ecosystem_id,
                region_id=region_id,
                body=body,
                outcome=outcome,
                reply=reply,
                responded_at=now if outcome != "pending" else None,
                created_at=now - dt.timedelta(days=9 - i),
            )
        )
    Comment.objects.bulk_create(rows)
    FAQEntry.objects.bulk_create(
        [
            FAQEntry(
                consultation=consultation,
                question=q,
                answer=a,
                status=FAQEntry.Status.PUBLISHED,
                asked_by_id=people[i % len(people)][0],
                published_at=now - dt.timedelta(days=5 - i),
                updated_on=now - dt.timedelta(days=5 - i),
                order=i,
            )
            for i, (q, a) in enumerate(FAQ)
        ]
        + [
            FAQEntry(
                consultation=consultation,
                question="Will the plan be available in Spanish?",
                asked_by_id=people[-1][0],
            )
        ]
    )
    # last year's consultation on the national report: closed, with its final version
    report, created = Consultation.objects.get_or_create(
        slug="national-report-reinvesting-in-stem",
        defaults={
            "title": "National report: Restoring America's Position by Reinvesting in STEM",
            "summary": "Recommendations built from town halls, surveys and interviews.",
            "opens_at": now - dt.timedelta(days=400),
            "closes_at": now - dt.timedelta(days=370),
            "published": True,
        },
    )
    if created:
        draft = _add_version(
            acting_user=None,
            consultation=report,
            body="## Recommendations\n\nFive recommendations for federal and state action.",
        )
        Comment.objects.bulk_create(
            Comment(
                consultation=report,
                version=draft,
                author_id=user_id,
                ecosystem_id=ecosystem_id,
                region_id=region_id,
                body="Please add early learning as its own recommendation.",
                outcome=rng.choice(["accepted", "noted", "declined"]),
                created_at=now - dt.timedelta(days=390),
            )
            for user_id, ecosystem_id, region_id, _role in people[:40]
        )
        _add_version(
            acting_user=None,
            consultation=report,
            body=TOWN_HALLS[0][4].replace("## What we heard", "## Recommendations"),
            is_final=True,
            summary_of_changes="Added **Build a strong early learning system** as the fifth "
            "recommendation, as many comments asked.",
            comment_summary=comment_summary(report),
        )


def _town_halls(people, by_slug_region, now) -> list[TownHall]:
    halls = []
    for slug, title, region, days, notes in TOWN_HALLS:
        hall, created = TownHall.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "region_id": by_slug_region.get(region),
                "starts_at": (now + dt.timedelta(days=days)).replace(
                    hour=18, minute=0, second=0, microsecond=0
                ),
                "link": "https://meet.example.org/slecop-town-hall",
                "description": "An open conversation with STEM leaders of the community.",
                "notes": notes,
            },
        )
        halls.append(hall)
        if created:
            TownHallRegistration.objects.bulk_create(
                TownHallRegistration(town_hall=hall, person_id=user_id, ecosystem_id=eco_id)
                for user_id, eco_id, region_id, _role in people[: 60 + days % 40]
                if region is None or region_id == by_slug_region.get(region)
            )
    return halls


SURVEY_QUESTIONS = [
    (
        "single",
        "Which sector does your ecosystem's backbone belong to?",
        [
            "School district",
            "Out-of-school program",
            "Museum or science center",
            "Higher education",
            "Community-based organization",
        ],
    ),
    (
        "multiple",
        "Which benefits of membership did you use this year?",
        ["Convenings", "Resource library", "Practice groups", "Measurement tools", "Scholarships"],
    ),
    ("scale", "How well does the draft plan reflect your ecosystem's voice?", []),
    ("text", "What should the Stewardship Team do first?", []),
]
IDEAS = [
    "Regional convenings closer to rural ecosystems.",
    "More support for measurement with the indicators tool.",
    "A mentoring program for new ecosystem leads.",
    "Shared grant writing for similar projects.",
]


def random_answers(response: Response, questions, rng) -> list[Answer]:
    """Plausible answers of one response; `questions` is a list of (question, choices)."""
    answers = []
    for question, choices in questions:
        if question.kind == "single":
            answers.append(Answer(response=response, question=question, choice=rng.choice(choices)))
        elif question.kind == "multiple":
            for choice in rng.sample(choices, rng.randint(1, 3)):
                answers.append(Answer(response=response, question=question, choice=choice))
        elif question.kind == "scale":
            answers.append(
                Answer(response=response, question=question, scale=rng.choice([2, 3, 4, 4, 5]))
            )
        elif rng.random() < 0.3:
            answers.append(Answer(response=response, question=question, text=rng.choice(IDEAS)))
    return answers


def _survey(people, rng, now) -> None:
    if Survey.objects.filter(slug=SURVEY_SLUG).exists():
        return
    survey = Survey.objects.create(
        title="STEM priorities survey",
        slug=SURVEY_SLUG,
        description="Ten minutes to tell the Stewardship Team what matters most. Anonymous.",
        anonymous=True,
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=21),
        published=True,
    )
    questions = []
    for order, (kind, text, labels) in enumerate(SURVEY_QUESTIONS):
        question = Question.objects.create(
            survey=survey, order=order, kind=kind, text=text, required=kind != "text"
        )
        choices = Choice.objects.bulk_create(
            Choice(question=question, order=i, label=label) for i, label in enumerate(labels)
        )
        questions.append((question, choices))
    leads = [p for p in people if p[3] == EcosystemRole.Role.LEAD][:150]
    responses, answers = [], []
    for _user_id, _eco_id, region_id, _role in leads:
        response = Response(survey=survey, region_id=region_id, submitted_on=now.date())
        responses.append(response)
        answers += random_answers(response, questions, rng)
    rng.shuffle(responses)  # the order of rows says nothing about who answered
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=1000)
    SurveyParticipation.objects.bulk_create(
        SurveyParticipation(survey=survey, person_id=user_id) for user_id, *_ in leads
    )


def _announcements(now) -> None:
    existing = set(Announcement.objects.values_list("title", flat=True))
    Announcement.objects.bulk_create(
        Announcement(
            title=title,
            body=body,
            visibility=visibility,
            published_at=now - dt.timedelta(days=days),
        )
        for title, visibility, days, body in ANNOUNCEMENTS
        if title not in existing
    )


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    people = _people(ecosystems)
    if not people:
        return None
    now = timezone.now()
    regions = dict(Region.objects.values_list("slug", "pk"))
    with transaction.atomic():
        _plan(people, rng, now)
        _town_halls(people, regions, now)
        _survey(people, rng, now)
        _announcements(now)
    return (
        f"community: {Consultation.objects.count()} consultations, "
        f"{Comment.objects.count()} comments, {TownHall.objects.count()} town halls, "
        f"{Response.objects.count()} survey responses, "
        f"{Announcement.objects.count()} announcements"
    )
