"""Reads of the community app that carry logic (who sees which comment, announcement,
survey; survey results with small-region suppression)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from members.models import EcosystemRole

from .models import (
    Announcement,
    Answer,
    Comment,
    Consultation,
    ConsultationVersion,
    FAQEntry,
    Partner,
    Question,
    Response,
    Section,
    Survey,
    SurveyParticipation,
    TownHall,
    TownHallRegistration,
)
from .permissions import is_member, is_moderator

MIN_REGION_RESPONSES = 5  # results by region are suppressed below this many responses


# --- consultations ---------------------------------------------------------------------------
def consultations_visible_to(user) -> QuerySet[Consultation]:
    qs = Consultation.objects.all()
    return qs if is_moderator(user) else qs.filter(published=True)


def consultation_versions(consultation: Consultation) -> list[ConsultationVersion]:
    return list(
        consultation.versions.order_by("-number").prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("order"))
        )
    )


def comments_visible_to(user, consultation: Consultation) -> QuerySet[Comment]:
    """Everyone on the team sees every comment. Members see all comments of a consultation
    open to members and only their own on a stewardship-only one; others see none."""
    qs = Comment.objects.filter(consultation=consultation).select_related(
        "author", "ecosystem", "section"
    )
    if is_moderator(user):
        return qs
    if not is_member(user):
        return qs.none()
    if consultation.comment_visibility == Consultation.Visibility.MEMBERS:
        return qs
    return qs.filter(author=user)


COMMENTS_PER_SECTION = 5


def latest_comments_by_section(user, consultation: Consultation) -> tuple[dict, dict]:
    """({section_id or None: latest comments}, {section_id or None: count}) of the comments
    `user` may see: at most COMMENTS_PER_SECTION each, in two queries whatever the total
    (the rest are on the paginated comments page)."""
    visible = comments_visible_to(user, consultation)
    counts = dict(
        visible.order_by()
        .values_list("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    latest = visible.annotate(
        rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=F("created_at").desc())
    ).filter(rank__lte=COMMENTS_PER_SECTION)
    grouped: dict = defaultdict(list)
    for comment in sorted(latest, key=lambda c: (c.created_at, c.pk)):
        grouped[comment.section_id].append(comment)
    return dict(grouped), counts


def published_faq(consultation: Consultation | None) -> QuerySet[FAQEntry]:
    return FAQEntry.objects.filter(consultation=consultation, status=FAQEntry.Status.PUBLISHED)


def faq_last_updated(entries) -> object:
    return max((e.updated_on for e in entries if e.updated_on), default=None)


# --- announcements ---------------------------------------------------------------------------
def announcements_visible_to(user, *, member: bool | None = None) -> QuerySet[Announcement]:
    """Published announcements: public ones for everyone, members-only ones for members
    (`member` when the caller already knows, saving a query)."""
    qs = Announcement.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    ).select_related("author")
    if not (is_member(user) if member is None else member):
        qs = qs.filter(visibility=Announcement.Visibility.PUBLIC)
    return qs.order_by("-published_at", "-pk")


def public_announcements() -> QuerySet[Announcement]:
    """For feeds and caches: never members-only, whoever asks."""
    return Announcement.objects.filter(
        published_at__isnull=False,
        published_at__lte=timezone.now(),
        visibility=Announcement.Visibility.PUBLIC,
    ).order_by("-published_at", "-pk")


def partners() -> dict[str, list[Partner]]:
    grouped: dict[str, list[Partner]] = defaultdict(list)
    for partner in Partner.objects.filter(active=True):
        grouped[partner.get_kind_display()].append(partner)
    return dict(grouped)


# --- town halls and surveys ------------------------------------------------------------------
def upcoming_town_halls() -> QuerySet[TownHall]:
    return (
        TownHall.objects.filter(starts_at__gte=timezone.now())
        .select_related("region")
        .annotate(registered=Count("registrations"))
        .order_by("starts_at", "pk")
    )


def past_town_halls() -> QuerySet[TownHall]:
    return (
        TownHall.objects.filter(starts_at__lt=timezone.now())
        .select_related("region")
        .order_by("-starts_at", "-pk")
    )


def open_surveys_for(user) -> QuerySet[Survey]:
    """Open surveys whose audience includes `user` and that they have not answered yet."""
    if not getattr(user, "is_authenticated", False):
        return Survey.objects.none()
    now = timezone.now()
    lead_regions = EcosystemRole.objects.filter(user=user, role=EcosystemRole.Role.LEAD).values(
        "ecosystem__region"
    )
    is_lead = Exists(EcosystemRole.objects.filter(user=user, role=EcosystemRole.Role.LEAD))
    registered = TownHallRegistration.objects.filter(person=user).values("town_hall")
    audience = (
        (Q(audience=Survey.Audience.ALL_LEADS) & Q(is_lead))
        | Q(audience=Survey.Audience.REGION, region__in=lead_regions)
        | Q(audience=Survey.Audience.TOWN_HALL, town_hall__in=registered)
    )
    return (
        Survey.objects.filter(audience, published=True, opens_at__lte=now, closes_at__gt=now)
        .exclude(participations__person=user)
        .order_by("closes_at", "pk")
    )


def has_responded(user, survey: Survey) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and SurveyParticipation.objects.filter(survey=survey, person=user).exists()
    )


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    answered: int = 0
    mean: float | None = None


@dataclass
class RegionResult:
    region: str
    responses: int
    suppressed: bool
    questions: list[QuestionResult] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    regions: list[RegionResult]
    min_region_responses: int = MIN_REGION_RESPONSES


def _tally(questions, counts, texts, responses_by_question) -> list[QuestionResult]:
    """counts: {(question_id, choice_id or scale): n}."""
    results = []
    for question in questions:
        result = QuestionResult(
            question=question, answered=responses_by_question.get(question.pk, 0)
        )
        denominator = result.answered or 1
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            options = [(c.pk, c.label) for c in question.choices.all()]
        elif question.kind == Question.Kind.SCALE:
            options = [(n, str(n)) for n in range(1, 6)]
            total = sum(counts.get((question.pk, n), 0) * n for n in range(1, 6))
            result.mean = round(total / result.answered, 2) if result.answered else None
        else:
            options = []
            result.texts = texts.get(question.pk, [])
        for key, label in options:
            n = counts.get((question.pk, key), 0)
            result.bars.append(Bar(label, n, round(100 * n / denominator, 1)))
        results.append(result)
    return results


def survey_results(survey: Survey, *, text_limit: int = 500) -> SurveyResults:
    """Counts per choice and scale value, free text listed, and the same by region for
    regions with at least MIN_REGION_RESPONSES responses (smaller ones are suppressed, so
    a region's two or three respondents cannot be picked out). A constant number of
    queries whatever the number of responses."""
    questions = list(survey.questions.prefetch_related("choices"))
    answers = Answer.objects.filter(response__survey=survey)
    counts: dict = {}
    region_counts: dict = defaultdict(dict)
    rows = answers.values("question_id", "choice_id", "scale", "response__region__name").annotate(
        n=Count("pk")
    )
    for row in rows:
        key = (row["question_id"], row["choice_id"] or row["scale"])
        counts[key] = counts.get(key, 0) + row["n"]
        region = row["response__region__name"]
        region_counts[region][key] = region_counts[region].get(key, 0) + row["n"]
    answered_rows = answers.values("question_id", "response__region__name").annotate(
        n=Count("response_id", distinct=True)
    )
    answered: dict = {}
    region_answered: dict = defaultdict(dict)
    for row in answered_rows:
        answered[row["question_id"]] = answered.get(row["question_id"], 0) + row["n"]
        region_answered[row["response__region__name"]][row["question_id"]] = row["n"]
    texts: dict = defaultdict(list)
    for question_id, text in (
        answers.exclude(text="").order_by("question_id", "pk").values_list("question_id", "text")
    ):
        if len(texts[question_id]) < text_limit:
            texts[question_id].append(text)
    per_region = (
        Response.objects.filter(survey=survey)
        .values("region__name", "region__number")
        .annotate(n=Count("pk"))
        .order_by("region__number")
    )
    total = sum(r["n"] for r in per_region)
    regions = []
    for row in per_region:
        name = row["region__name"]
        suppressed = row["n"] < MIN_REGION_RESPONSES
        region = RegionResult(region=name or "—", responses=row["n"], suppressed=suppressed)
        if not suppressed:
            region.questions = [
                q
                for q in _tally(questions, region_counts[name], {}, region_answered[name])
                if q.question.kind != Question.Kind.TEXT
            ]
        regions.append(region)
    return SurveyResults(
        survey=survey,
        responses=total,
        questions=_tally(questions, counts, texts, answered),
        regions=regions,
    )


def survey_csv_rows(survey: Survey):
    """The header and one row per response (choices joined by "; "). Region is blanked for
    regions under the suppression threshold; named surveys add the respondent's email."""
    questions = list(survey.questions.order_by("order", "pk"))
    per_region = dict(
        Response.objects.filter(survey=survey)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    header = ["response", "submitted_on", "region"]
    if not survey.anonymous:
        header.append("respondent")
    header += [q.text for q in questions]
    yield header
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "submitted_on", "region_id", "region__name", "respondent__email")
    )
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "pk")
        .values_list("response_id", "question_id", "choice__label", "scale", "text")
        .iterator(chunk_size=2000)
    )
    pending = next(answers, None)
    # both streams are sorted by response id: merge them without holding either in memory
    for response_id, submitted_on, region_id, region_name, email in responses.iterator(
        chunk_size=2000
    ):
        by_question: dict = defaultdict(list)
        while pending is not None and pending[0] == response_id:
            _rid, question_id, label, scale, text = pending
            by_question[question_id].append(str(label or scale or text))
            pending = next(answers, None)
        region = region_name if per_region.get(region_id, 0) >= MIN_REGION_RESPONSES else ""
        row = [str(response_id), submitted_on.isoformat(), region or ""]
        if not survey.anonymous:
            row.append(email or "")
        row += ["; ".join(by_question.get(q.pk, [])) for q in questions]
        yield row


# --- dashboard -------------------------------------------------------------------------------
def dashboard_variant(*, ecosystem, user, role: str = "") -> tuple[int, ...]:
    """The surveys waiting for the viewer (the first three): the panel is the same for
    every viewer with the same ones (one query)."""
    return tuple(open_surveys_for(user).values_list("pk", flat=True)[:3])


def dashboard_context(*, ecosystem, user) -> dict:
    """The "Community voice" panel: the latest announcements (the viewer belongs to the
    ecosystem or is staff, so members-only ones show) and the surveys waiting for them.
    Two queries whatever the numbers."""
    return {
        "announcements": list(announcements_visible_to(user, member=True)[:3]),
        "surveys": list(open_surveys_for(user)[:3]),
    }
