"""The governance structure of seed 000 ("Operating and Governance Framework", the
Inverted Constellation Governance Model): the Stewardship Team's offices and the terms
of the people who hold them, ad hoc committees that support an office, and practice
groups self-organised by community members."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from slecop.seed_names import seed_name

from .constraints import DateRange, PostgresExclusionConstraint


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 1 March in a year
    without one (the date one day after 28 February, so a term ending "the day
    before" keeps every one of its days: 2028-02-29 + 2 years → 2030-03-01)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


class Office(models.Model):
    """A seat of the Stewardship Team. The twelve offices of the seed are created by a
    data migration; elections read `filled_by` (which offices are elected) and `region`
    (a regional chair is chosen by that region's ecosystems only)."""

    class Kind(models.TextChoices):
        STEWARDSHIP = "stewardship", _("Leadership and management team")
        LIAISON = "liaison", _("TIES liaison")
        REGIONAL = "regional", _("Regional committee chair")

    class FilledBy(models.TextChoices):
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")
        SELECTED = "selected", _("Selected within the region")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filled_by = models.CharField(_("filled by"), max_length=20, choices=FilledBy.choices)
    region = models.OneToOneField(
        "members.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office",
        help_text=_("Regional committee chairs only: the region that selects the chair."),
    )
    description = models.TextField(_("responsibilities"), blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term length (years)"),
        null=True,
        blank=True,
        help_text=_("Empty: no fixed term; the holder serves until replaced."),
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="regional") & Q(region__isnull=False))
                | (~Q(kind="regional") & Q(region__isnull=True)),
                name="office_region_iff_regional",
                violation_error_message=_("A regional chair needs a region; no other office."),
            ),
            models.CheckConstraint(
                condition=Q(term_years__isnull=True) | Q(term_years__gte=1, term_years__lte=10),
                name="office_term_years_range",
            ),
        ]

    def __str__(self) -> str:
        return seed_name(self.name)  # a seeded name in the reader's language

    def get_absolute_url(self) -> str:
        return reverse("governance:office_detail", kwargs={"slug": self.slug})

    @property
    def is_elected(self) -> bool:
        return self.filled_by == self.FilledBy.ELECTED

    @property
    def is_regional(self) -> bool:
        return self.kind == self.Kind.REGIONAL

    def default_end(self, start: dt.date) -> dt.date | None:
        """The last day of a regular term starting on `start`, or None for an office
        without a fixed term. Rule: a term of N years ends the day before the same date
        N years later (2021-01-01 → 2022-12-31 for a two-year office); a term starting on
        29 February counts from 1 March in a year without one (2028-02-29 → 2030-02-28,
        2028-02-29 → 2032-02-28 for four years, since 2032 has 29 February)."""
        if not self.term_years:
            return None
        return add_years(start, self.term_years) - dt.timedelta(days=1)

    def allowed_how_filled(self) -> set[str]:
        """How a term of this office may be filled. Any office can be filled ad interim
        (seed: "the EAC will seat an interim leadership team"); the TIES Liaison is
        appointed, never elected; a regional chair is selected within the region, which
        may be by a regional vote."""
        how = Term.HowFilled
        return {
            self.FilledBy.ELECTED: {how.ELECTED, how.INTERIM},
            self.FilledBy.APPOINTED: {how.APPOINTED, how.INTERIM},
            self.FilledBy.SELECTED: {how.SELECTED, how.ELECTED, how.INTERIM},
        }[self.filled_by]


class TermQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> TermQuerySet:
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def past(self, on: dt.date | None = None) -> TermQuerySet:
        return self.filter(end__lt=on or timezone.localdate())

    def upcoming(self, on: dt.date | None = None) -> TermQuerySet:
        return self.filter(start__gt=on or timezone.localdate())

    def overlapping(self, start: dt.date, end: dt.date | None) -> TermQuerySet:
        """Terms sharing at least one day with [start, end] (end None: open-ended)."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        return qs if end is None else qs.filter(start__lte=end)


class Term(models.Model):
    """One person holding one office from `start` to `end`, both days included (an
    empty end: until further notice). At most one holder per office on any day."""

    class HowFilled(models.TextChoices):
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")
        SELECTED = "selected", _("Selected")
        INTERIM = "interim", _("Interim")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="terms")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="office_terms"
    )
    start = models.DateField(_("first day"))
    end = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    how_filled = models.CharField(_("how filled"), max_length=20, choices=HowFilled.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        help_text=_("Elected terms: the certified election that filled them."),
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "office_id"]
        indexes = [models.Index(fields=["start", "end"], name="term_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="term_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            PostgresExclusionConstraint(
                name="term_one_holder_per_office",
                expressions=[
                    ("office", RangeOperators.EQUAL),
                    (
                        DateRange(
                            "start",
                            "end",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_code="term_overlap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.person} ({self.period})"

    @property
    def period(self) -> str:
        end = self.end.isoformat() if self.end else "…"
        return f"{self.start.isoformat()} to {end}"

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or on <= self.end)


class StewardshipAccess(models.Model):
    """Kept by `stewardship_team_sync`: this person holds a current term, so the sync put
    them in the "Stewardship team" group and/or made them staff (to use the admin). The
    flags record what the sync changed, so that when their last current term ends it
    undoes exactly that and never removes access somebody granted by hand."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stewardship_access"
    )
    added_to_group = models.BooleanField(default=False)
    made_staff = models.BooleanField(default=False)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stewardship access")
        verbose_name_plural = _("stewardship access")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return str(self.person)


class MemberRole(models.TextChoices):
    """Roles in a committee or a practice group."""

    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class Committee(models.Model):
    """An ad hoc committee supporting an office in planning and technical assistance
    (seed: "i.e. regional convening planning committees")."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("supports"),
    )
    purpose = models.TextField(_("purpose"), max_length=4000)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(
        _("active to"), null=True, blank=True, help_text=_("Empty: still active.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommitteeMember", related_name="committees"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="committee_name_unique"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="committee_active_dates_in_order",
                violation_error_message=_("A committee cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", kwargs={"slug": self.slug})

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.active_from <= on and (self.active_to is None or on <= self.active_to)


class CommitteeMember(models.Model):
    Role = MemberRole

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["role", "person__first_name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="one_seat_per_committee")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.committee}"


class PracticeGroup(models.Model):
    """A group on a shared topic of practice, proposed, chaired and self-organised by
    community members; invisible to others until the Stewardship team approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=90, unique=True)
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_practice_groups",
    )
    ecosystem = models.ForeignKey(
        "members.Ecosystem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_practice_groups",
        verbose_name=_("proposed on behalf of"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(
        _("note to the proposer"),
        blank=True,
        max_length=2000,
        help_text=_("Sent to the proposer when the group is declined."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PracticeGroupMembership", related_name="practice_groups"
    )

    class Meta:
        ordering = ["name"]
        permissions = [("approve_practicegroup", "Can approve or decline practice groups")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=~Q(status="declined"),
                name="practice_group_name_unique",
                violation_error_message=_("A practice group with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:practice_group_detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.APPROVED


class PracticeGroupMembership(models.Model):
    Role = MemberRole

    group = models.ForeignKey(PracticeGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_group_memberships",
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.group}"
