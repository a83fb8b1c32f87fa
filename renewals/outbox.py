"""Delivery of recorded notices (an outbox).

The daily run *decides* — one SentReminder / SentNotification row per notice, unique, in
the run's transaction — and after commit hands the rows to worker tasks in batches. A
delivery task locks its rows (skipping rows another worker holds), sends each email over
one connection, and stamps `emailed_at` on the ones that left. A row is therefore emailed
at most once; a batch interrupted by a mail-server error keeps its unsent rows for the
retry, and the next daily run re-queues anything still waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from slecop.mail import absolute_url, build_email

from .models import SentNotification, SentReminder

BATCH = 200


def _reminder_email(row: SentReminder):
    invoice = row.invoice
    context = {
        "ecosystem": invoice.ecosystem,
        "invoice": invoice,
        "invoice_url": absolute_url(invoice.get_absolute_url()),
    }
    if row.step == SentReminder.Step.LAPSED:
        return build_email(to=row.recipients, template="renewals/email/lapsed", context=context)
    context.update(
        step=row.step,
        overdue=row.step.startswith("overdue"),
        days_left=(invoice.due_date - row.step_date).days,
    )
    return build_email(to=row.recipients, template="renewals/email/dues_reminder", context=context)


def _notification_email(row: SentNotification):
    return build_email(
        to=row.recipients,
        template=row.template,
        context={**row.context, "ecosystem": row.ecosystem},
    )


@dataclass(frozen=True)
class Outbox:
    model: type[Model]
    related: tuple[str, ...]
    build: Callable


OUTBOXES = {
    "reminder": Outbox(
        SentReminder, ("invoice__ecosystem", "invoice__membership_year"), _reminder_email
    ),
    "notification": Outbox(SentNotification, ("ecosystem",), _notification_email),
}


def enqueue(kind: str, ids: Iterable[int]) -> None:
    """After the surrounding transaction commits, queue delivery of rows `ids`."""
    ids = sorted(ids)
    if not ids:
        return

    def queue() -> None:
        for start in range(0, len(ids), BATCH):
            deliver_notices.delay(kind, ids[start : start + BATCH])

    transaction.on_commit(queue)


def deliver(*, kind: str, ids: list[int]) -> tuple[int, Exception | None]:
    """Send the not-yet-emailed rows among `ids`. Returns how many left and the error
    that stopped the batch, if any (the caller retries)."""
    outbox = OUTBOXES[kind]
    sent: list[int] = []
    error: Exception | None = None
    with transaction.atomic():
        rows = (
            outbox.model.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, emailed_at__isnull=True)
            .exclude(recipients=[])
            .select_related(*outbox.related)
            .order_by("pk")
        )
        with get_connection() as connection:
            for row in rows:
                message = outbox.build(row)
                message.connection = connection
                try:
                    message.send()
                except Exception as exc:
                    error = exc
                    break
                sent.append(row.pk)
        outbox.model.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent), error


def requeue_waiting(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again what is recorded but not emailed (a lost task, a mail outage)."""
    cutoff = timezone.now() - older_than
    since = timezone.now() - timedelta(days=7)
    count = 0
    for kind, outbox in OUTBOXES.items():
        ids = list(
            outbox.model.objects.filter(
                emailed_at__isnull=True, created_at__lt=cutoff, created_at__gte=since
            )
            .exclude(recipients=[])
            .values_list("pk", flat=True)
        )
        enqueue(kind, ids)
        count += len(ids)
    return count


@shared_task(
    name="renewals.tasks.deliver_notices",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=8,
)
def deliver_notices(kind: str, ids: list[int]) -> int:
    """Email recorded reminders/notifications (ids of one outbox). Rows already emailed
    are skipped, so a retry or a duplicate task sends nothing twice. Registered under
    its name in renewals.tasks (which imports it), defined here so that queueing it needs
    no import of the tasks module."""

    sent, error = deliver(kind=kind, ids=ids)
    if error is not None:
        raise error
    return sent
