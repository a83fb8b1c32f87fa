"""Convenings (seed 000: national, regional and topical convenings, virtual meetings, new
ecosystem orientation and the new cohort reception) and registrations for them.

Seats are never counted in a stored counter: services lock the convening row, then the
ecosystem's row, and recount from Registration rows (pretix's `_check_positions`). The
constraints below back the rules the services enforce."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Ecosystem, Invoice, Region


class Convening(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        TOPICAL = "topical", _("Topical")
        VIRTUAL = "virtual", _("Virtual")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convenings",
        help_text=_("Regional convenings: only this region's ecosystems may register."),
    )
    description = models.TextField(_("about"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    included_seats = models.PositiveSmallIntegerField(
        _("included seats per ecosystem"),
        default=2,
        help_text=_("Seats each ecosystem in good standing gets as a membership benefit."),
    )
    extra_seat_cents = models.PositiveIntegerField(
        _("extra seat price (cents)"), default=0, help_text=_("0: no extra seats are sold.")
    )
    currency = models.CharField(max_length=3, default="USD")
    extra_seats_per_ecosystem = models.PositiveSmallIntegerField(
        _("extra seats per ecosystem"),
        default=3,
        help_text=_(
            "Most extra (paid) seats one ecosystem may have at this convening, held and "
            "confirmed together."
        ),
    )
    included_seats_kept_until = models.DateTimeField(
        _("included seats kept until"),
        null=True,
        blank=True,
        help_text=_(
            "Until then, extra seats are sold only from the seats left after keeping the "
            "unused included seats of every ecosystem in good standing that may attend; "
            "from then on, from any free seat. Empty: kept until registration closes."
        ),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    substitution_deadline = models.DateTimeField(
        _("substitutions until"),
        null=True,
        blank=True,
        help_text=_("Last moment a lead may name another attendee (empty: the start)."),
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="convening_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="convening_window_not_empty",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="convening_capacity_gt_0"),
            models.CheckConstraint(
                condition=~Q(kind="regional") | Q(region__isnull=False),
                name="regional_convening_has_region",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("convenings:detail", kwargs={"slug": self.slug})

    @property
    def is_virtual(self) -> bool:
        return self.kind == self.Kind.VIRTUAL

    @property
    def place(self) -> str:
        return self.venue or self.online_url

    @property
    def changes_close_at(self):
        return self.substitution_deadline or self.starts_at

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at


class Session(models.Model):
    """A part of a convening with its own capacity ("New ecosystem orientation",
    "New cohort reception"…)."""

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    is_orientation = models.BooleanField(
        _("orientation"),
        default=False,
        help_text=_("Attending (checked in) ticks the onboarding item 'orientation attended'."),
    )

    class Meta:
        ordering = ["convening_id", F("starts_at").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["convening", "title"], name="session_title_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_gt_0"),
        ]

    def __str__(self) -> str:
        return self.title


ACTIVE_STATUSES = ("confirmed", "pending_payment", "waitlisted")
SEAT_STATUSES = ("confirmed", "pending_payment")  # statuses that take a seat


class Registration(models.Model):
    """One attendee of an ecosystem at a convening.

    An included seat keeps its number (1..included seats of the convening) while it is
    confirmed or waitlisted, so the database refuses a third included seat even if a
    service forgot to lock. A paid seat is held (`pending_payment`) until its invoice is
    paid, or released after the hold expires."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING_PAYMENT = "pending_payment", _("Held, waiting for payment")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class SeatKind(models.TextChoices):
        INCLUDED = "included", _("Included with membership")
        PAID = "paid", _("Extra seat (paid)")

    convening = models.ForeignKey(Convening, on_delete=models.PROTECT, related_name="registrations")
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.PROTECT, related_name="convening_registrations"
    )
    attendee_name = models.CharField(_("attendee name"), max_length=200)
    attendee_email = models.EmailField(_("attendee email"))
    attendee_role = models.CharField(_("role or title"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations")
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    seat_kind = models.CharField(max_length=10, choices=SeatKind.choices)
    seat_no = models.PositiveSmallIntegerField(null=True, blank=True)
    # An extra (paid) seat keeps its number (1..the convening's extra seats per ecosystem)
    # while it is held or confirmed, as included seats do: the unique constraint refuses
    # two registrations of one ecosystem on the same extra seat.
    extra_no = models.PositiveSmallIntegerField(null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convening_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["convening_id", "pk"]
        indexes = [
            models.Index(fields=["convening", "ecosystem", "status"]),
            models.Index(fields=["convening", "status", "waitlist_position"]),
            models.Index(fields=["convening", "attendee_name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["convening", "ecosystem", "seat_no"],
                condition=Q(seat_no__isnull=False),
                name="one_registration_per_included_seat",
            ),
            models.CheckConstraint(
                condition=(
                    Q(seat_kind="included", status__in=["confirmed", "waitlisted"])
                    & Q(seat_no__isnull=False, seat_no__gte=1)
                )
                | (
                    ~Q(seat_kind="included", status__in=["confirmed", "waitlisted"])
                    & Q(seat_no__isnull=True)
                ),
                name="included_active_seat_numbered",
            ),
            models.UniqueConstraint(
                fields=["convening", "ecosystem", "extra_no"],
                condition=Q(extra_no__isnull=False),
                name="one_registration_per_extra_seat",
            ),
            models.CheckConstraint(
                condition=(
                    Q(seat_kind="paid", status__in=SEAT_STATUSES)
                    & Q(extra_no__isnull=False, extra_no__gte=1)
                )
                | (~Q(seat_kind="paid", status__in=SEAT_STATUSES) & Q(extra_no__isnull=True)),
                name="paid_active_seat_numbered",
            ),
            models.UniqueConstraint(
                "convening",
                Lower("attendee_email"),
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_attendee",
            ),
            models.UniqueConstraint(
                fields=["convening", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="one_registration_per_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__gte=1)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="waitlisted_has_position",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending_payment")
                | Q(seat_kind="paid", hold_expires_at__isnull=False, invoice__isnull=False),
                name="pending_payment_is_a_held_paid_seat",
            ),
            models.CheckConstraint(
                condition=~Q(seat_kind="paid", status="waitlisted"),
                name="paid_seats_are_not_waitlisted",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="only_confirmed_check_in",
            ),
        ]

    def __str__(self) -> str:
        return self.attendee_name

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
