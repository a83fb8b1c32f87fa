"""Models of joining the network and onboarding (app label `members`).

Imported by `members.models`, which re-exports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

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
    region = models.ForeignKey("members.Region", on_delete=models.PROTECT, related_name="+")
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
        "members.Ecosystem",
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

    ecosystem = models.OneToOneField(
        "members.Ecosystem", on_delete=models.CASCADE, related_name="onboarding"
    )
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
        "members.Ecosystem", on_delete=models.CASCADE, related_name="onboarding_ticks"
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
