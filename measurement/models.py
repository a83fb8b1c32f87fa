"""Ecosystem Indicators (seed 000's EIT and ERP dashboard).

Indicators are grouped by the five attributes of seed 001. Each year an ecosystem's lead
fills one IndicatorReport: one IndicatorValue per indicator (a typed column per kind,
backed by check constraints) and a Goal for next year per numeric indicator.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from members.models import Ecosystem
from slecop.seed_names import seed_name

MIN_YEAR = 2015
MAX_YEAR = 2100
MAX_COUNT = 2_000_000_000  # a count's ceiling (a database integer holds it)

# The fixed names of seed 001's five attributes, in the vocabulary resources uses for its
# Resource.Attribute choices (same msgids, one translation). Names staff add are shown as
# written.
SEED_ATTRIBUTE_NAMES = frozenset(
    {
        gettext_noop("Strong cross-sector partnerships"),
        gettext_noop("Systems that sustain the work"),
        gettext_noop("Aligned teaching and learning"),
        gettext_noop("Measurement of ecosystem progress"),
        gettext_noop("Workforce and career trajectories"),
    }
)


class Attribute(models.Model):
    """One of the five attributes of a STEM learning ecosystem (seed 001)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language when it is one of seed 001's fixed names."""
        return gettext(self.name) if self.name in SEED_ATTRIBUTE_NAMES else self.name


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes / no")
        RUBRIC = "rubric", _("Maturity rubric (1-4)")
        TEXT = "text", _("Free text")

    # kinds with a number that can be charted, aggregated and given a goal
    NUMERIC = (Kind.COUNT, Kind.PERCENTAGE, Kind.RUBRIC)

    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    help_text = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    rubric_1 = models.TextField(_("rubric level 1 (emerging)"), blank=True)
    rubric_2 = models.TextField(_("rubric level 2 (developing)"), blank=True)
    rubric_3 = models.TextField(_("rubric level 3 (established)"), blank=True)
    rubric_4 = models.TextField(_("rubric level 4 (leading)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    min_value = models.PositiveIntegerField(
        _("smallest value"),
        null=True,
        blank=True,
        help_text=_("Counts and percentages: the smallest value a report may give (empty: 0)."),
    )
    max_value = models.PositiveIntegerField(
        _("largest value"),
        null=True,
        blank=True,
        help_text=_(
            "Counts and percentages: the largest value a report may give (empty: no limit "
            "for a count, 100 for a percentage)."
        ),
    )

    class Meta:
        ordering = ["attribute__number", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["count", "percentage", "yes_no", "rubric", "text"]),
                name="indicator_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rubric")
                | (~Q(rubric_1="") & ~Q(rubric_2="") & ~Q(rubric_3="") & ~Q(rubric_4="")),
                name="indicator_rubric_has_text",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return seed_name(self.name)  # a seeded name in the reader's language

    @property
    def is_numeric(self) -> bool:
        return self.kind in self.NUMERIC

    @property
    def bounds(self) -> tuple[int, int]:
        """The smallest and largest value a report may give (rubric: levels 1 to 4)."""
        if self.kind == self.Kind.RUBRIC:
            return 1, 4
        ceiling = 100 if self.kind == self.Kind.PERCENTAGE else MAX_COUNT
        low = self.min_value if self.min_value is not None else 0
        high = self.max_value if self.max_value is not None else ceiling
        return low, min(high, ceiling)

    @property
    def rubric_levels(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"rubric_{n}")) for n in range(1, 5)]

    def clean(self):
        if self.kind == self.Kind.RUBRIC and not all(t for _, t in self.rubric_levels):
            raise ValidationError(_("A rubric indicator needs the text of all four levels."))
        if (self.min_value is not None or self.max_value is not None) and self.kind not in (
            self.Kind.COUNT,
            self.Kind.PERCENTAGE,
        ):
            raise ValidationError(
                _("Only counts and percentages take a smallest and largest value.")
            )
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValidationError(_("The smallest value is above the largest."))
        if self.kind == self.Kind.PERCENTAGE and (self.max_value or 0) > 100:
            raise ValidationError(_("A percentage is between 0 and 100."))


class IndicatorReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.CASCADE, related_name="indicator_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "ecosystem__name"]
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        permissions = [("reopen_indicatorreport", "Can reopen a submitted indicator report")]
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "year"], name="one_report_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="report_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "reopened"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.ecosystem} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "measurement:report", kwargs={"ecosystem": self.ecosystem.slug, "year": self.year}
        )

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.SUBMITTED


def _one_column(kind: str, column: str | None) -> Q:
    """The value row of `kind` fills `column` and leaves the other typed columns empty."""
    columns = ["count_value", "percent_value", "bool_value", "rubric_value"]
    q = Q(kind=kind)
    for name in columns:
        q &= Q(**{f"{name}__isnull": name != column})
    if kind != "text":
        q &= Q(text_value="")
    return q


class IndicatorValue(models.Model):
    """What an ecosystem reported for one indicator in one year. `kind` copies the
    indicator's type so the database can check that exactly the right column is filled."""

    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    kind = models.CharField(max_length=12, choices=Indicator.Kind.choices, editable=False)
    count_value = models.PositiveIntegerField(null=True, blank=True)
    percent_value = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    bool_value = models.BooleanField(null=True, blank=True)
    rubric_value = models.PositiveSmallIntegerField(null=True, blank=True)
    text_value = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator"),
            models.CheckConstraint(
                condition=_one_column("count", "count_value")
                | _one_column("percentage", "percent_value")
                | _one_column("yes_no", "bool_value")
                | _one_column("rubric", "rubric_value")
                | (_one_column("text", None) & ~Q(text_value="")),
                name="value_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(percent_value__isnull=True)
                | Q(percent_value__gte=0, percent_value__lte=100),
                name="value_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(rubric_value__isnull=True)
                | Q(rubric_value__gte=1, rubric_value__lte=4),
                name="value_rubric_range",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "report"])]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.display}"

    @property
    def value(self):
        return {
            "count": self.count_value,
            "percentage": self.percent_value,
            "yes_no": self.bool_value,
            "rubric": self.rubric_value,
            "text": self.text_value,
        }[self.kind]

    @property
    def display(self) -> str:
        value = self.value
        if self.kind == Indicator.Kind.YES_NO:
            return str(_("Yes") if value else _("No"))
        if self.kind == Indicator.Kind.PERCENTAGE:
            return f"{value}%"
        return str(value)


class Goal(models.Model):
    """The target an ecosystem sets, in its report for `report.year`, for the following
    year (seed 000: "use the EIT for ongoing goal-setting and action")."""

    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="goals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="goals")
    kind = models.CharField(max_length=12, choices=Indicator.Kind.choices, editable=False)
    target = models.DecimalField(_("goal for next year"), max_digits=12, decimal_places=1)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_goal_per_indicator"),
            models.CheckConstraint(
                condition=(Q(kind="count") & Q(target__gte=0))
                | (Q(kind="percentage") & Q(target__gte=0, target__lte=100))
                | (Q(kind="rubric") & Q(target__gte=1, target__lte=4)),
                name="goal_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target} in {self.report.year + 1}"
