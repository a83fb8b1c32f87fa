"""Celery tasks: thin, idempotent, taking ids and ISO dates (never model instances)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from renewals.outbox import deliver_notices

from . import services


@shared_task(name="renewals.tasks.run_renewals")
def run_renewals(day: str | None = None) -> list[str]:
    """The daily cycle (beat: every morning). Safe to run twice or on two workers."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    return services.renewal_run_day(on=on).lines()


@shared_task(name="renewals.tasks.notify_leads")
def notify_leads(
    key: str,
    template: str,
    context: dict,
    preference: str | None,
    ecosystem_ids: list[int] | None = None,
) -> int:
    """Email the leads of ecosystems in good standing once per key (convening and
    election reminders call this). `context` must be JSON-serialisable."""
    return services.notify_leads(
        key=key,
        template=template,
        context=context,
        ecosystem_ids=ecosystem_ids,
        preference=preference,
    )


__all__ = ["deliver_notices", "notify_leads", "run_renewals"]
