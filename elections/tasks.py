"""Celery tasks: thin, idempotent, taking ids (never model instances)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="elections.tasks.remind_non_voters")
def remind_non_voters(election_id: int, key: str | None = None) -> int:
    """Email the leads of electorate ecosystems that have not voted yet (through the
    renewals notify machinery: once per key and ecosystem, so a rerun sends nothing
    twice). Returns the number of ecosystems emailed."""
    return services.reminders_send(election_id=election_id, key=key)


@shared_task(name="elections.tasks.remind_all_open")
def remind_all_open() -> int:
    """Beat entry point: a reminder for every election in voting, once per election and
    ISO week (so a missed run is caught up by the next one, and never repeated)."""
    return services.reminders_send_all_open()


@shared_task(name="elections.tasks.run_schedule")
def run_schedule() -> dict[str, list[int]]:
    """Beat entry point, every minute: nominations and voting open at 00:00 and close at
    23:59 (America/New_York) on their published dates, through the same services as a
    steward's confirmation, with the system as the actor (elections.services.schedule).
    Never certifies."""
    return services.run_schedule()
