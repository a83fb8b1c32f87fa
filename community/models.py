"""Community voice: consultations on draft documents (versions, sections, comments, FAQ),
town halls, surveys and announcements. Governance holds the offices and groups that
decide; this app is where members are heard and told."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Ecosystem, Region

# --- consultations ---------------------------------------------------------------------------


class Consultation(models.Model):
    """A draft document put to the community with an opening and a closing deadline."""

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members of the community")
        STEWARDSHIP = "stewardship", _("The Stewardship team only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    opens_at = models.DateTimeField(_("comments open"))
    closes_at = models.DateTimeField(_("comments close"))
    comment_visibility = models.CharField(
        _("comments visible to"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished consultations are staff-only.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="community_consultation_closes_after_opening",
            )
        ]
        permissions = [("moderate_consultation", "Can moderate consultation comments and FAQ")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:consultation_detail", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class ConsultationVersion(models.Model):
    """One version of the document (Markdown). `## ` headings split it into sections with
    anchors. The final version carries a summary of changes and of comments received."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    body = models.TextField(_("text (Markdown)"), max_length=200_000)
    is_final = models.BooleanField(default=False)
    summary_of_changes = models.TextField(_("summary of changes"), blank=True, max_length=20_000)
    comment_summary = models.JSONField(
        default=dict, blank=True, help_text=_("Comments received, frozen at publication.")
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="community_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(is_final=True),
                name="community_one_final_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(
        ConsultationVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField()
    anchor = models.SlugField(max_length=80)
    heading = models.CharField(max_length=200)
    body = models.TextField(max_length=200_000, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="community_section_anchor"),
            models.UniqueConstraint(fields=["version", "order"], name="community_section_order"),
        ]

    def __str__(self) -> str:
        return self.heading


class Comment(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        NOTED = "noted", _("Noted")
        DECLINED = "declined", _("Declined")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(ConsultationVersion, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_comments"
    )
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reply = models.TextField(_("reply"), blank=True, max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["consultation", "outcome"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.consultation}"


class FAQEntry(models.Model):
    """A question a member asks; the team answers and publishes it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Not published")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="faq", null=True, blank=True
    )
    question = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"), blank=True, max_length=10_000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_on = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "published_at", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(answer=""),
                name="community_faq_published_has_answer",
            )
        ]

    def __str__(self) -> str:
        return self.question[:80]


# --- town halls and surveys ------------------------------------------------------------------


class TownHall(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a national town hall."),
    )
    link = models.URLField(_("meeting link"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    notes = models.TextField(_("notes (Markdown)"), blank=True, max_length=50_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:townhall_detail", kwargs={"slug": self.slug})


class TownHallRegistration(models.Model):
    town_hall = models.ForeignKey(TownHall, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="town_hall_registrations"
    )
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["town_hall", "person"], name="community_one_registration_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.town_hall}"


class Survey(models.Model):
    class Audience(models.TextChoices):
        ALL_LEADS = "all_leads", _("All ecosystem leads")
        REGION = "region", _("Leads of one region")
        TOWN_HALL = "town_hall", _("Registered attendees of a town hall")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL_LEADS)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    town_hall = models.ForeignKey(
        TownHall, on_delete=models.PROTECT, null=True, blank=True, related_name="surveys"
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous responses keep no link to the person who answered."),
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        permissions = [("view_survey_results", "Can view survey results")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="all_leads", region__isnull=True, town_hall__isnull=True)
                    | Q(audience="region", region__isnull=False, town_hall__isnull=True)
                    | Q(audience="town_hall", region__isnull=True, town_hall__isnull=False)
                ),
                name="community_survey_audience_target",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="community_survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:survey_detail", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale 1 to 5")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One submitted questionnaire. For an anonymous survey `respondent` stays empty and
    nothing else points at the person: the id is random (not insertion-ordered) and only
    the day is kept, so rows cannot be matched to `SurveyParticipation` by time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="community_one_named_response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} response"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="community_answer_scale_1_5",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"], name="community_answer_choice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}"


class SurveyParticipation(models.Model):
    """Who has responded (like an election's voter record): one row per person and
    survey, unlinked from the answers and without a time. Its id is random too, so the
    order of these rows says nothing about the order of the responses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], name="community_one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} responded to {self.survey}"


# --- announcements and partners --------------------------------------------------------------


class Announcement(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=20_000)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_announcement", "Can publish announcements")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:announcement_detail", kwargs={"pk": self.pk})


class Partner(models.Model):
    """Advisors and strategic partners who advise at arm's length (seed 000)."""

    class Kind(models.TextChoices):
        STRATEGIC_PARTNER = "partner", _("Strategic partner")
        FUNDER = "funder", _("Funder")
        ADVISOR = "advisor", _("Advisor")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name
