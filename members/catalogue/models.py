"""Models of the add-on catalogue (seed 000 "Add-On Services"; app label `members`).

Imported by `members.models`, which re-exports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.billing.models import Invoice
from slecop.seed_names import seed_name

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
        "members.Ecosystem", on_delete=models.PROTECT, related_name="service_requests"
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
            "members:catalogue_request_detail",
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
