from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """Which emails a person wants. Dues reminders cannot be turned off while an invoice
    is overdue: overdue notices ignore `dues_reminders`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    dues_reminders = models.BooleanField(_("dues reminders before the due date"), default=True)
    event_reminders = models.BooleanField(_("convening reminders"), default=True)
    election_reminders = models.BooleanField(_("election reminders"), default=True)
    news = models.BooleanField(_("news and announcements"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class SentReminder(models.Model):
    """One dues-reminder step of one invoice, done at most once (the unique constraint is
    the proof). `sent=False` records a step that was superseded by a later one while the
    scheduler was down, so it is never sent late. The email itself is delivered by a
    worker task (an outbox): `emailed_at` is set once it has left."""

    class Step(models.TextChoices):
        OPENING = "opening", _("Invoice issued")
        DUE_30 = "due_30", _("30 days before the due date")
        DUE_7 = "due_7", _("7 days before the due date")
        DUE_0 = "due_0", _("On the due date")
        OVERDUE_1 = "overdue_1", _("1 week overdue")
        OVERDUE_2 = "overdue_2", _("2 weeks overdue")
        OVERDUE_3 = "overdue_3", _("3 weeks overdue")
        OVERDUE_4 = "overdue_4", _("4 weeks overdue")
        OVERDUE_5 = "overdue_5", _("5 weeks overdue")
        OVERDUE_6 = "overdue_6", _("6 weeks overdue")
        OVERDUE_7 = "overdue_7", _("7 weeks overdue")
        OVERDUE_8 = "overdue_8", _("8 weeks overdue")
        OVERDUE_9 = "overdue_9", _("9 weeks overdue")
        OVERDUE_10 = "overdue_10", _("10 weeks overdue")
        OVERDUE_11 = "overdue_11", _("11 weeks overdue")
        OVERDUE_12 = "overdue_12", _("12 weeks overdue")
        LAPSED = "lapsed", _("Membership lapsed")

    invoice = models.ForeignKey(
        "members.Invoice", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    step = models.CharField(max_length=20, choices=Step.choices)
    step_date = models.DateField()
    sent = models.BooleanField(default=True)
    recipients = models.JSONField(default=list, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "step_date"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="one_reminder_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.step}"


class SentNotification(models.Model):
    """A generic notice (convening or election reminder…) sent to an ecosystem's leads,
    at most once per key and ecosystem; delivered by a worker task like SentReminder."""

    key = models.CharField(max_length=120)
    ecosystem = models.ForeignKey(
        "members.Ecosystem", on_delete=models.CASCADE, related_name="sent_notifications"
    )
    recipients = models.JSONField(default=list, blank=True)
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "ecosystem"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.ecosystem_id}"


class StaffDigest(models.Model):
    """The weekly staff digest, one per week (keyed by the Monday)."""

    week_start = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Digest of the week of {self.week_start}"
