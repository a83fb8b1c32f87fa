"""The models of the `members` app (one app label, `members`, for all of them).

Identity and roles (people, regions, ecosystems, partners, roles, invitations, audit) are
defined here; the sub-domains define theirs in `members/billing/models.py`,
`members/catalogue/models.py` and `members/onboarding/models.py`, re-exported below so that
`members.models.X` keeps working for other apps and migrations. Those modules import
nothing from this one (they name identity models as "members.Ecosystem"), so there is no
import circle."""

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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.billing.models import (
    CheckoutSession,
    Invoice,
    InvoiceLine,
    InvoiceNumberSequence,
    MembershipYear,
    Payment,
    ScholarshipApplication,
    SimulatedCheckout,
    StripeEvent,
)
from members.catalogue.models import (
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)
from members.onboarding.models import (
    JoinApplication,
    Onboarding,
    OnboardingTick,
)
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


# The fields a lead edits on the ecosystem's profile page (form and service alike).
PROFILE_FIELDS = [
    "name",
    "city",
    "state_province",
    "country",
    "founded_year",
    "website",
    "description",
]


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
        return self.expires_at < timezone.now()


class AuditEntry(models.Model):
    """Who changed what and when, with before/after. Written by `members.audit`
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


__all__ = [
    "PROFILE_FIELDS",
    "AuditEntry",
    "CheckoutSession",
    "Ecosystem",
    "EcosystemRole",
    "Invitation",
    "Invoice",
    "InvoiceLine",
    "InvoiceNumberSequence",
    "JoinApplication",
    "MembershipYear",
    "Onboarding",
    "OnboardingTick",
    "PartnerOrganization",
    "Payment",
    "Region",
    "ScholarshipApplication",
    "Service",
    "ServiceRequest",
    "ServiceRequestEvent",
    "SimulatedCheckout",
    "StripeEvent",
    "User",
    "UserManager",
]
