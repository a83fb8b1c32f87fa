"""Elections of the Stewardship Team (seed 000: "The first elections will be held at the
Fall 2020 Community of Practice convening … serving a two-year term").

An Election holds one Contest per office on the ballot. Leads nominate people; nominees
accept or decline by a signed link; the Stewardship team approves accepted nominations
as Candidates. When voting opens, the Electorate is snapshotted: one Elector row per
ecosystem in good standing at that moment, and one Caster row per lead it had then (who
may cast its one ballot while still a lead).

Secrecy (docs/elections.md, "Who can learn what"): who voted (VoterRecord) and what was
voted are separate tables with no column in common. While voting is open, a ballot is a
SealedBallot: its receipt and its contents sealed under a key from the environment
(elections.sealing), so a database reader who links the row to its voter through
PostgreSQL's transaction ids or physical order learns only the receipt. Closing voting
opens the sealed ballots in one transaction and writes their contents as fresh
ContestBallot rows (one per contest on the ballot, new random ids, a random order, no
receipt), the receipts into CountedReceipt, and deletes the sealed rows; `VACUUM FULL`
then rewrites those tables. After close nothing ties a vote to a receipt or a voter.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATIONS = "nominations", _("Nominations open")
        VOTING = "voting", _("Voting open")
        CLOSED = "closed", _("Closed (counting)")
        CERTIFIED = "certified", _("Certified")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT, db_index=True
    )
    nominations_open_on = models.DateField(
        _("nominations open on"),
        null=True,
        blank=True,
        help_text=_(
            "Nominations and voting open at 00:00 and close at 23:59 (America/New_York) on "
            "these dates by themselves; empty: only when a steward moves the election."
        ),
    )
    nominations_close_on = models.DateField(_("nominations close on"), null=True, blank=True)
    voting_opens_on = models.DateField(_("voting opens on"), null=True, blank=True)
    voting_closes_on = models.DateField(_("voting closes on"), null=True, blank=True)
    term_start = models.DateField(
        _("terms begin on"), help_text=_("First day in office of the people elected.")
    )
    nominations_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    voting_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    certified_at = models.DateTimeField(null=True, blank=True, editable=False)
    sealing_key_id = models.CharField(
        max_length=16,
        blank=True,
        editable=False,
        help_text=_("Which sealing key voting opened with (a public name of the key)."),
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_start", "-pk"]
        permissions = [
            ("run_election", "Can move an election through its phases"),
            ("certify_election", "Can certify election results"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_closes_on__isnull=True)
                | Q(voting_opens_on__isnull=True)
                | Q(voting_closes_on__gte=models.F("voting_opens_on")),
                name="election_voting_dates_in_order",
                violation_error_message=_("Voting cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"slug": self.slug})

    def clean(self):
        """While voting is open, its closing date cannot be moved before today: the
        schedule would then say it closed on a day it was still open (issue 27)."""

        if (
            self.phase == self.Phase.VOTING
            and self.voting_closes_on is not None
            and self.voting_closes_on < timezone.localdate()
        ):
            raise ValidationError(
                {
                    "voting_closes_on": _(
                        "Voting is open: its closing date can be today at the earliest "
                        "(close it now with “Close voting and count…”)."
                    )
                }
            )

    @property
    def is_voting(self) -> bool:
        return self.phase == self.Phase.VOTING

    @property
    def is_certified(self) -> bool:
        return self.phase == self.Phase.CERTIFIED

    @property
    def accepts_nominations(self) -> bool:
        return self.phase == self.Phase.NOMINATIONS


class Contest(models.Model):
    """One office on the ballot. A regional chair contest (office.region set) is voted
    only by the ecosystems of that region."""

    class Method(models.TextChoices):
        PLURALITY = "plurality", _("Plurality (most votes wins)")
        IRV = "irv", _("Ranked choice (instant runoff)")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    office = models.ForeignKey(
        "governance.Office", on_delete=models.PROTECT, related_name="contests"
    )
    method = models.CharField(
        _("voting method"), max_length=20, choices=Method.choices, default=Method.IRV
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, help_text=_("Plurality only: how many people are elected.")
    )
    order = models.PositiveSmallIntegerField(_("order on the ballot"), default=0)
    tie_break_order = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_("Candidate ids in the order of the lot drawn when voting opened."),
    )
    result = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "office"], name="contest_one_per_office"),
            models.CheckConstraint(
                condition=Q(seats__gte=1, seats__lte=20),
                name="contest_seats_range",
            ),
            models.CheckConstraint(
                condition=~Q(method="irv") | Q(seats=1),
                name="contest_irv_single_seat",
                violation_error_message=_("Ranked choice (instant runoff) elects one person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.office}"

    def clean(self):
        office = getattr(self, "office", None)
        if office is not None and "elected" not in office.allowed_how_filled():
            raise ValidationError(
                {"office": _("%(office)s is appointed, not elected.") % {"office": office}}
            )
        if self.seats != 1:
            # Each office has one holder at a time (governance.Term); the tally counts N
            # seats, but no office of the seed has several.
            raise ValidationError({"seats": _("An office has one holder: one seat.")})

    @property
    def is_ranked(self) -> bool:
        return self.method == self.Method.IRV

    @property
    def region_id(self):
        return self.office.region_id


class Nomination(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the nominee")
        ACCEPTED = "accepted", _("Accepted by the nominee")
        DECLINED = "declined", _("Declined by the nominee")
        APPROVED = "approved", _("On the slate")
        REJECTED = "rejected", _("Not on the slate")
        EXCLUDED = "excluded", _("Off the slate: ecosystem not in good standing")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ecosystem = models.ForeignKey(
        "members.Ecosystem",
        on_delete=models.SET_NULL,
        null=True,
        related_name="nominations",
        verbose_name=_("nominated on behalf of"),
    )
    nominee_ecosystem = models.ForeignKey(
        "members.Ecosystem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominees",
        verbose_name=_("nominee's ecosystem"),
        help_text=_(
            "The ecosystem the nominee holds a role in and runs from: in good standing when "
            "nominated and when voting opens; in the region of a regional chair. Empty only "
            "for older nominations where it was ambiguous."
        ),
    )
    statement = models.TextField(_("candidate statement"), max_length=4000)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["contest", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "nominee"], name="nomination_one_per_nominee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominee} for {self.contest.office}"


class Candidate(models.Model):
    """A person on the ballot of one contest (an approved nomination)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate"
    )
    name = models.CharField(_("name on the ballot"), max_length=200)
    statement = models.TextField(_("statement"), max_length=4000, blank=True)

    class Meta:
        ordering = ["contest", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "person"], name="candidate_once_per_contest")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ecosystem(self):
        """The candidate's own ecosystem (the nomination's), or None."""
        nomination = self.nomination
        return nomination.nominee_ecosystem if nomination is not None else None


class Elector(models.Model):
    """The electorate, snapshotted when voting opens: one row per ecosystem in good
    standing at that moment, with its region then. Casting a ballot locks this row."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="electors")
    ecosystem = models.ForeignKey(
        "members.Ecosystem", on_delete=models.PROTECT, related_name="electors"
    )
    region = models.ForeignKey("members.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["election", "ecosystem_id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "ecosystem"], name="elector_once")
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem_id} in {self.election_id}"


class VoterRecord(models.Model):
    """That an ecosystem voted (never what). No link to its Ballot."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_records")
    ecosystem = models.ForeignKey(
        "members.Ecosystem", on_delete=models.PROTECT, related_name="voter_records"
    )
    region = models.ForeignKey("members.Region", on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ["election", "ecosystem_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "ecosystem"], name="voter_record_one_per_ecosystem"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem} voted in {self.election}"


def new_ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class CasterQuerySet(models.QuerySet):
    def still_leads(self) -> CasterQuerySet:
        """The casters who are leads of the elector's ecosystem now."""
        return self.filter(
            user__ecosystem_roles__ecosystem_id=models.F("elector__ecosystem_id"),
            user__ecosystem_roles__role="lead",
        )


class Caster(models.Model):
    """A person who may cast an ecosystem's ballot in an election: one of its leads at the
    moment voting opened (snapshotted with the Elector rows; `added_by` empty), or a lead
    a Stewardship-team member added, with a reason, when none of those remained a lead.
    Casting also needs the person to be a lead still."""

    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="casters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballot_casters"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the leads snapshotted when voting opened."),
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    added_at = models.DateTimeField(default=timezone.now)

    objects = CasterQuerySet.as_manager()

    class Meta:
        ordering = ["elector", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["elector", "user"], name="caster_once_per_elector")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.elector_id}"


class SealedBallot(models.Model):
    """A ballot while voting is open: its random receipt and its contents sealed
    (elections.sealing), nothing else — no voter, no timestamp, a random id. Closing
    voting opens it, writes its contents as ContestBallot rows and its receipt as a
    CountedReceipt, and deletes it."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="sealed_ballots")
    receipt = models.CharField(max_length=32)
    sealed = models.BinaryField()

    class Meta:
        # No ordering: closing reads them as stored and draws its own random order.
        constraints = [
            models.UniqueConstraint(
                fields=["election", "receipt"], name="sealed_ballot_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.id)


class ContestBallot(models.Model):
    """One contest's part of one counted ballot, written when voting closed: the chosen
    candidate ids (in order of preference for ranked choice; empty for no vote). A random
    id, no receipt, no link to the voter or to the same ballot's other contests, all rows
    of an election written by one statement in a random order."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(default=list)
    # No Meta ordering: readers shuffle (selectors.contest_ballots).

    def __str__(self) -> str:
        return str(self.id)


class CountedReceipt(models.Model):
    """The receipt code of a counted ballot, published once voting closes so each lead
    can check theirs was counted. Nothing here says what the ballot said."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="counted_receipts"
    )
    code = models.CharField(max_length=32)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="counted_receipt_unique")
        ]

    def __str__(self) -> str:
        return self.code
