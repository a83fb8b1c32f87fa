"""Models of dues, invoices, payments, scholarships and checkouts (app label `members`).

Imported by `members.models`, which re-exports them; other apps import from there."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

    `total_cents` and `paid_cents` are maintained by members.billing.services.invoices under a lock
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
    ecosystem = models.ForeignKey(
        "members.Ecosystem", on_delete=models.PROTECT, related_name="invoices"
    )
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
        "members.Ecosystem", on_delete=models.PROTECT, related_name="scholarship_applications"
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
