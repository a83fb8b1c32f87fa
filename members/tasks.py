"""Celery tasks of the members app: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from .onboarding.services.checklist import onboardings_activate_completed


@shared_task(name="members.tasks.activate_completed_onboardings")
def activate_completed_onboardings() -> int:
    """Turn active every onboarding ecosystem whose checklist is now complete (items
    ticked by other apps, e.g. a convening registration). Safe to run any time, twice."""
    return onboardings_activate_completed(acting_user=None)
