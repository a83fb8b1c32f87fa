"""Yearly report reminders through the renewals notification machinery (idempotent)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="measurement.tasks.remind_indicator_reports")
def remind_indicator_reports(day: str | None = None) -> int:
    """Beat runs this every morning; it emails only when a reminder step has come due and
    only once per step and ecosystem, so a missed night is caught up the next day."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    return services.indicator_report_remind(on=on)
