"""Celery tasks: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="convenings.tasks.release_expired_holds")
def release_expired_holds() -> int:
    """Release paid seats held longer than 30 minutes without payment (beat: every
    5 minutes; a run that was missed is caught up by the next one)."""
    return services.paid_holds_release()
