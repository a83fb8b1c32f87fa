"""Celery tasks: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="convenings.tasks.release_expired_holds")
def release_expired_holds() -> int:
    """Release paid seats held longer than 30 minutes without payment (beat: every
    5 minutes; a run that was missed is caught up by the next one)."""
    return services.paid_holds_release()


@shared_task(name="convenings.tasks.remind_upcoming")
def remind_upcoming() -> int:
    """Remind the leads of ecosystems that may attend a convening starting within two
    weeks whose registration is open (beat: daily; once per convening and ecosystem)."""
    return services.convening_reminders_send()
