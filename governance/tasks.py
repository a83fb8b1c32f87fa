"""Scheduled work of the governance app (beat schedule in slecop/settings/base.py)."""

from __future__ import annotations

from celery import shared_task

from .services import stewardship_team_sync


@shared_task(name="governance.sync_stewardship_team")
def sync_stewardship_team() -> dict[str, list[int]]:
    """Daily: the Stewardship team group follows the terms current today. Idempotent and
    self-catching-up: it compares today's terms with today's access, so a missed night is
    made good by the next run and a second run in one day changes nothing."""
    result = stewardship_team_sync(acting_user=None)
    return {"granted": result.granted, "revoked": result.revoked}
