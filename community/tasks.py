import datetime as dt

from celery import shared_task

from .services import announcement_digest_send


@shared_task(name="community.tasks.send_announcement_digest")
def send_announcement_digest(on: str | None = None) -> int:
    """Weekly digest of last week's announcements to the leads (idempotent per ISO week:
    renewals' notify machinery records one notice per week key and ecosystem)."""
    return announcement_digest_send(on=dt.date.fromisoformat(on) if on else None)
