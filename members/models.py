from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from slecop.seed_names import seed_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """One account per email address; there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Region(models.Model):
    """The five regions of the seed's governance framework."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return seed_name(self.name)  # a seeded name in the reader's language


class Ecosystem(models.Model):
    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", _("Prospective")
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="ecosystems")
    city = models.CharField(_("city"), max_length=120, blank=True)
    state_province = models.CharField(_("state or province"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120, default="United States")
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    cohort_year = models.PositiveSmallIntegerField(_("SLECoP cohort"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PROSPECTIVE, db_index=True
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("about"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("act_for_ecosystem", "Can act for the ecosystem (pay, register, vote)")]
        indexes = [
            models.Index(fields=["region", "name"]),
            models.Index(Lower("name"), name="ecosystem_name_lower"),
            # The directory's order (name, then pk) over the listed ecosystems: a page's ids
            # by an index-only scan, however deep the page (selectors.directory_page). The
            # statuses are selectors.DIRECTORY_STATUSES (a test keeps the two equal).
            models.Index(
                fields=["name", "id"],
                condition=models.Q(status__in=["active", "onboarding", "lapsed"]),
                name="ecosystem_directory_listed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(founded_year__gte=1900, founded_year__lte=2100),
                name="ecosystem_founded_year_range",
            ),
            models.CheckConstraint(
                condition=Q(cohort_year__isnull=True)
                | Q(cohort_year__gte=2015, cohort_year__lte=2100),
                name="ecosystem_cohort_year_range",
            ),
            models.UniqueConstraint(Lower("name"), "region", name="ecosystem_name_region_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:ecosystem_detail", kwargs={"slug": self.slug})

    def get_dashboard_url(self) -> str:
        return reverse("members:dashboard", kwargs={"ecosystem": self.slug})

    @property
    def location(self) -> str:
        return ", ".join(p for p in (self.city, self.state_province, self.country) if p)


class PartnerOrganization(models.Model):
    """A key stakeholder of an ecosystem (seed 002's stakeholder list as sectors)."""

    class Sector(models.TextChoices):
        LEAD = "lead", _("Lead organization")
        SCHOOLS = "schools", _("Schools and school districts")
        OST = "ost", _("Out-of-school time systems/programs")
        MUSEUM = "museum", _("Museums and science centers")
        HIGHER_ED = "higher_ed", _("Institutions of higher education")
        STEM_COMPANY = "stem_company", _("STEM-related companies")
        BUSINESS = "business", _("Businesses")
        LIBRARY = "library", _("Libraries")
        CBO = "cbo", _("Community-based organizations")
        PHILANTHROPY = "philanthropy", _("Philanthropies")
        FAMILIES = "families", _("Families and parent organizations")
        YOUTH = "youth", _("Youth organizations")
        GOVERNMENT = "government", _("Government")

    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "ecosystem", name="partner_name_per_ecosystem")
        ]

    def __str__(self) -> str:
        return self.name


class EcosystemRole(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ecosystem_roles"
    )
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ecosystem", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "ecosystem"], name="one_role_per_ecosystem")
        ]
        indexes = [models.Index(fields=["ecosystem", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.ecosystem}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation for an email address to join an ecosystem as lead or member."""

    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=EcosystemRole.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "ecosystem",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.ecosystem} ({self.role})"

    def get_absolute_url(self) -> str:
        return reverse("members:invitation_accept", kwargs={"token": self.token})

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at < timezone.now()


class AuditEntry(models.Model):
    """Who changed what and when, with before/after. Written by `members.services.audit`
    in the same transaction as the change (money, votes, roles, permissions)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_repr = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr or 'system'} {self.action}"


# --- Dues, invoices, payments, scholarships ----------------------------------------------


class MembershipYear(models.Model):
    """A calendar membership year: its dues amount and calendar (seed 000: "$3000/Ecosystem
    to be collected annually")."""

    year = models.PositiveSmallIntegerField(unique=True)
    dues_cents = models.PositiveIntegerField(default=300_000)
    currency = models.CharField(max_length=3, default="USD")
    invoices_open_on = models.DateField(help_text=_("Date the year's invoices are issued."))
    due_date = models.DateField()
    grace_days = models.PositiveSmallIntegerField(default=60)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(dues_cents__gte=0), name="dues_not_negative"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("invoices_open_on")),
                name="due_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def grace_ends_on(self):
        from datetime import timedelta

        return self.due_date + timedelta(days=self.grace_days)


class InvoiceNumberSequence(models.Model):
    """The last invoice number used in a year. Allocating a number locks this row, inside
    the transaction that creates the invoice, so numbers are sequential without gaps."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(models.Model):
    """An invoice of an ecosystem. Kind `dues` is the DuesInvoice of DESIGN.md (one per
    ecosystem per membership year, DB-unique); convening seats and add-on services are
    invoiced and paid through the same model and payment path.

    `total_cents` and `paid_cents` are maintained by members.services.invoices under a lock
    on this row (recomputed from lines and payments each time); the check constraints keep
    the balance between 0 and the total whatever the concurrency."""

    class Kind(models.TextChoices):
        DUES = "dues", _("Membership dues")
        CONVENING = "convening", _("Convening seats")
        SERVICE = "service", _("Add-on services")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        WAIVED = "waived", _("Waived")
        VOID = "void", _("Void")

    number = models.CharField(max_length=20, unique=True)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DUES)
    membership_year = models.ForeignKey(
        MembershipYear, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    currency = models.CharField(max_length=3, default="USD")
    total_cents = models.IntegerField(default=0)
    paid_cents = models.IntegerField(default=0)
    issued_on = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    grace_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Dues only: last day of good standing while unpaid (due date + grace)."),
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(
        default=False, db_index=True, help_text=_("Needs staff attention (mismatch, dispute).")
    )
    flag_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "membership_year"],
                condition=Q(kind="dues"),
                name="one_dues_invoice_per_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="dues", membership_year__isnull=False) | ~Q(kind="dues"),
                name="dues_invoice_has_year",
            ),
            models.CheckConstraint(condition=Q(total_cents__gte=0), name="invoice_total_gte_0"),
            models.CheckConstraint(condition=Q(paid_cents__gte=0), name="invoice_paid_gte_0"),
            models.CheckConstraint(
                condition=Q(paid_cents__lte=models.F("total_cents")),
                name="invoice_balance_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["ecosystem", "kind", "status"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse(
            "members:invoice_detail",
            kwargs={"ecosystem": self.ecosystem.slug, "number": self.number},
        )

    @property
    def balance_cents(self) -> int:
        return self.total_cents - self.paid_cents

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.PAID, self.Status.WAIVED)

    @cached_property
    def seat_held_until(self):
        """When the extra convening seat this open invoice holds is released, or None.
        Such an invoice is paid online only: a check or wire would arrive after the
        hold (minutes, not weeks) had ended."""
        if self.kind != self.Kind.CONVENING or self.status != self.Status.OPEN:
            return None
        return (
            self.convening_registrations.filter(
                status="pending_payment", hold_expires_at__isnull=False
            )
            .order_by("hold_expires_at")
            .values_list("hold_expires_at", flat=True)
            .first()
        )


class InvoiceLine(models.Model):
    class Kind(models.TextChoices):
        DUES = "dues", _("Membership dues")
        WAIVER = "waiver", _("Scholarship waiver")
        SERVICE = "service", _("Add-on service")
        CONVENING_SEAT = "convening_seat", _("Convening seat")
        ADJUSTMENT = "adjustment", _("Adjustment")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=255)
    amount_cents = models.IntegerField(help_text=_("Negative for waivers and credits."))
    scholarship = models.OneToOneField(
        "ScholarshipApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waiver_line",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="waiver", amount_cents__lt=0)
                | (~Q(kind="waiver") & ~Q(kind="adjustment") & Q(amount_cents__gte=0))
                | Q(kind="adjustment"),
                name="line_sign_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount_cents}"

    @property
    def display_description(self) -> str:
        """The line in the reader's language, written from its kind and what it charges
        (the stored description is English, for the records). A line staff wrote by hand
        (an adjustment, or one whose source is gone) shows its description as entered.
        A service or seat line reads its request or registration (one query, on invoices
        of one line)."""
        from django.utils.translation import gettext

        invoice, kind = self.invoice, self.Kind
        if self.kind == kind.DUES and invoice.membership_year_id:
            return gettext("SLECoP membership dues %(year)s") % {
                "year": invoice.membership_year.year
            }
        if self.kind == kind.WAIVER:
            return gettext("Scholarship waiver")
        if self.kind == kind.SERVICE:
            requests = list(invoice.service_requests.select_related("service")[:2])
            if len(requests) == 1:
                return gettext("%(service)s (request #%(number)s)") % {
                    "service": requests[0].service,
                    "number": requests[0].pk,
                }
        if self.kind == kind.CONVENING_SEAT:
            seats = list(invoice.convening_registrations.select_related("convening")[:2])
            if len(seats) == 1:
                return gettext("Extra seat: %(title)s — %(name)s") % {
                    "title": seats[0].convening.title,
                    "name": seats[0].attendee_name,
                }
        return self.description


class Payment(models.Model):
    """Money received for an invoice. `applied` payments count towards the invoice; a
    payment that does not match what was owed (amount or currency) is kept as `held` and
    flags the invoice for staff — money is never silently dropped or double counted."""

    class Method(models.TextChoices):
        STRIPE = "stripe", _("Card (Stripe)")
        CHECK = "check", _("Check")
        ACH = "ach", _("ACH transfer")
        WIRE = "wire", _("Wire transfer")
        SIMULATOR = "simulator", _("Test payment (simulator, no money moved)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        HELD = "held", _("Held for staff review")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    amount_cents = models.PositiveIntegerField()
    refunded_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="USD")
    external_id = models.CharField(
        max_length=255, help_text=_("Stripe payment intent, check number or bank reference.")
    )
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "external_id"], name="payment_external_unique"
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=models.F("amount_cents")),
                name="refund_not_above_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.external_id}"

    @property
    def net_cents(self) -> int:
        return self.amount_cents - self.refunded_cents


class ScholarshipApplication(models.Model):
    """A request to waive all or part of a year's dues (seed 000: "a scholarship system …
    to support Ecosystems that need financial support for membership")."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="scholarships")
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.PROTECT, related_name="scholarship_applications"
    )
    full_waiver = models.BooleanField(default=False)
    requested_cents = models.PositiveIntegerField()
    narrative = models.TextField(max_length=5000)
    budget_context = models.TextField(max_length=5000, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    approved_cents = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(status="submitted"),
                name="one_pending_scholarship_per_invoice",
            ),
            models.CheckConstraint(
                condition=Q(approved_cents__lte=models.F("requested_cents")),
                name="approved_not_above_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"Scholarship for {self.invoice}"


# --- Online payments: checkout sessions, webhook events, the local simulator -------------


class CheckoutSession(models.Model):
    """A checkout we opened with a payment provider (Stripe, or the local simulator) for
    an invoice's balance at that moment. Fulfilment compares what the provider says was
    paid with what the session was for, and with the invoice's balance then."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the payer")
        PROCESSING = "processing", _("Payment processing")
        PAID = "paid", _("Paid")
        HELD = "held", _("Received, held for staff review")
        FAILED = "failed", _("Payment failed")
        EXPIRED = "expired", _("Expired")

    FINAL = (Status.PAID, Status.HELD)

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="checkouts")
    provider = models.CharField(max_length=20)
    session_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(max_length=100, db_index=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    url = models.CharField(max_length=2000, help_text=_("Where the payer completes payment."))
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    payment_intent = models.CharField(max_length=255, blank=True)
    payment = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkout",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="checkout_positive"),
            models.CheckConstraint(
                condition=Q(payment__isnull=True) | Q(status__in=["paid", "held"]),
                name="checkout_payment_only_when_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.session_id}"


class StripeEvent(models.Model):
    """Every webhook event whose signature verified, stored once by Stripe's event id:
    replays and duplicate deliveries find it and change nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    livemode = models.BooleanField(default=False)
    object_id = models.CharField(
        max_length=255, blank=True, db_index=True, help_text=_("Checkout session, charge…")
    )
    payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_created = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("Stripe event")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class SimulatedCheckout(models.Model):
    """The local checkout simulator's own record of a test session: what Stripe's servers
    would hold. Used only when no Stripe key is configured; no money is involved."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        COMPLETE = "complete", "complete"
        EXPIRED = "expired", "expired"

    session_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(max_length=100, db_index=True)
    amount_total = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    metadata = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    payment_status = models.CharField(max_length=20, default="unpaid")
    payment_intent = models.CharField(max_length=255, blank=True)
    success_url = models.CharField(max_length=2000)
    cancel_url = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.session_id


# --- Add-on services (seed 000 "Add-On Services") ------------------------------------------


class Service(models.Model):
    """An add-on service of the catalog: free, a fixed fee in cents, or priced by quote."""

    class Category(models.TextChoices):
        DATA = "data", _("Data collection and analysis")
        DESIGN = "design", _("Design studios")
        GRANTS = "grants", _("Grant writing support")
        LEADERSHIP = "leadership", _("Targeted leadership support")
        TECHNICAL = "technical", _("Technical assistance")
        FUTURE = "future", _("Potential future initiatives")

    class Pricing(models.TextChoices):
        FIXED = "fixed", _("Fixed fee")
        FREE = "free", _("Free for members")
        QUOTE = "quote", _("Priced by quote")

    class Availability(models.TextChoices):
        ACTIVE = "active", _("Available now")
        FUTURE = "future", _("Planned (not yet available)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=4000)
    pricing = models.CharField(_("pricing"), max_length=10, choices=Pricing.choices)
    fee_cents = models.PositiveIntegerField(
        _("fee (cents)"), null=True, blank=True, help_text=_("Only for a fixed fee.")
    )
    currency = models.CharField(max_length=3, default="USD")
    price_is_example = models.BooleanField(
        _("example price"),
        default=False,
        help_text=_(
            "The fee or “free” is an example from the starting catalog, not set by staff: "
            "the services page labels it as an example. Untick once staff set the price."
        ),
    )
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, db_index=True
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pricing="fixed", fee_cents__gt=0)
                | (~Q(pricing="fixed") & Q(fee_cents__isnull=True)),
                name="service_fee_matches_pricing",
            )
        ]

    def __str__(self) -> str:
        return seed_name(self.name)  # a seeded name in the reader's language

    @property
    def is_requestable(self) -> bool:
        return self.availability == self.Availability.ACTIVE


class ServiceRequest(models.Model):
    """A lead's request for an add-on service, triaged by staff:
    requested → accepted (fee, free or quote) → scheduled → completed, or declined; the
    lead may withdraw before acceptance. Every step is a ServiceRequestEvent."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED)

    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.PROTECT, related_name="service_requests"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    need = models.TextField(_("what you need"), max_length=5000)
    preferred_timing = models.CharField(_("preferred timing"), max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    fee_cents = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Agreed fee, set on acceptance (0 = free).")
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        verbose_name=_("staff member"),
    )
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ecosystem", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "declined", "withdrawn"])
                | Q(fee_cents__isnull=False),
                name="service_request_accepted_has_fee",
            ),
            models.CheckConstraint(
                condition=Q(invoice__isnull=True) | Q(fee_cents__gt=0),
                name="service_request_invoice_only_for_fee",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="service_request_scheduled_has_date",
            ),
            models.UniqueConstraint(
                fields=["ecosystem", "service"],
                condition=Q(status="requested"),
                name="one_pending_request_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.ecosystem}"

    def get_absolute_url(self) -> str:
        return reverse(
            "members:service_request_detail",
            kwargs={"ecosystem": self.ecosystem.slug, "pk": self.pk},
        )


class ServiceRequestEvent(models.Model):
    """One step in a service request's history, as the lead sees it."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        SCHEDULED = "scheduled", _("Scheduled")
        ASSIGNED = "assigned", _("Staff member assigned")
        PAID = "paid", _("Fee paid")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(kind="paid"), name="service_request_paid_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_kind_display()}"


# --- Joining the network and onboarding (seed 000 "Ecosystem On-boarding") ----------------


class JoinApplication(models.Model):
    """A prospective ecosystem's application to join SLECoP, reviewed by staff. Text is
    stored exactly as typed and escaped wherever it is shown."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    LIVE = ("pending", "approved")  # blocks a duplicate application

    ecosystem_name = models.CharField(_("ecosystem name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    city = models.CharField(_("city"), max_length=120, blank=True)
    state_province = models.CharField(_("state or province"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120, default="United States")
    website = models.URLField(_("website"), blank=True)
    lead_first_name = models.CharField(_("first name"), max_length=150)
    lead_last_name = models.CharField(_("last name"), max_length=150)
    lead_email = models.EmailField(_("email"))
    lead_organization = models.CharField(_("organisation"), max_length=200, blank=True)
    partners = models.TextField(
        _("partners"), max_length=4000, help_text=_("One partner organisation per line.")
    )
    why = models.TextField(_("why join SLECoP"), max_length=4000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=4000)
    ecosystem = models.OneToOneField(
        Ecosystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_application",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("ecosystem_name"),
                "region",
                condition=Q(status__in=["pending", "approved"]),
                name="join_application_name_region_unique",
            ),
            models.UniqueConstraint(
                Lower("lead_email"),
                condition=Q(status__in=["pending", "approved"]),
                name="join_application_email_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(ecosystem__isnull=False),
                name="join_application_approved_has_ecosystem",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem_name} ({self.region})"

    @property
    def lead_name(self) -> str:
        return f"{self.lead_first_name} {self.lead_last_name}".strip()

    @property
    def partner_names(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class Onboarding(models.Model):
    """A new ecosystem's onboarding: its cohort year and coach (a stewardship or staff
    person). Completed when every checklist item is done; the ecosystem then turns active."""

    ecosystem = models.OneToOneField(Ecosystem, on_delete=models.CASCADE, related_name="onboarding")
    cohort_year = models.PositiveSmallIntegerField(db_index=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_onboardings",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cohort_year", "ecosystem__name"]
        indexes = [models.Index(fields=["coach", "cohort_year"])]

    def __str__(self) -> str:
        return f"Onboarding of {self.ecosystem} ({self.cohort_year})"


class OnboardingTick(models.Model):
    """A checklist item the coach ticked by hand (items no app can observe)."""

    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.CASCADE, related_name="onboarding_ticks"
    )
    key = models.CharField(max_length=40)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["ecosystem", "key"]
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "key"], name="one_tick_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem}: {self.key}"
