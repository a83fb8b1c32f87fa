"""The hook other apps use to email leads once per key (convening and election reminders,
announcements), and the leads' notification preferences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction

from members.billing.selectors import good_standing_q
from members.models import Ecosystem, EcosystemRole
from renewals.models import NotificationPreference
from slecop.locking import advisory_lock

from .. import outbox
from ..models import SentNotification, SentReminder

Step = SentReminder.Step


def lead_addresses(ecosystem_ids: Iterable[int], preference: str | None) -> dict[int, list[str]]:
    """Active leads' emails per ecosystem; with `preference`, only those who did not turn
    that kind of email off (no preference row means the defaults: everything on)."""
    rows = EcosystemRole.objects.filter(
        ecosystem_id__in=list(ecosystem_ids), role=EcosystemRole.Role.LEAD, user__is_active=True
    )
    fields = ["ecosystem_id", "user__email"]
    if preference:
        fields.append(f"user__notification_preference__{preference}")
    result: dict[int, list[str]] = defaultdict(list)
    for ecosystem_id, email, *wanted in rows.values_list(*fields):
        if not wanted or wanted[0] is not False:
            result[ecosystem_id].append(email)
    return result


# --- the generic hook other apps use ------------------------------------------------------


@transaction.atomic
def notify_leads(
    *,
    key: str,
    template: str,
    context: dict,
    preference: str | None,
    ecosystem_ids: Iterable[int] | None = None,
    on: date | None = None,
) -> int:
    """Email the leads of ecosystems in good standing (optionally only `ecosystem_ids`),
    at most once per `key` and ecosystem — for convening and election reminders.

    `template` is rendered with `context` (JSON-serialisable: it is stored with the
    notice) plus `ecosystem`; `preference` names the NotificationPreference field that
    lets a lead opt out (None: always sent): required, so every caller says which box
    governs its emails. The emails are delivered by worker tasks
    after commit. Returns the number of ecosystems whose leads are emailed."""
    advisory_lock(f"notify:{key}")
    ecosystems = Ecosystem.objects.filter(good_standing_q(on)).exclude(sent_notifications__key=key)
    if ecosystem_ids is not None:
        ecosystems = ecosystems.filter(pk__in=list(ecosystem_ids))
    ecosystems = list(ecosystems.order_by("pk"))
    leads = lead_addresses([e.pk for e in ecosystems], preference=preference)
    rows = [
        SentNotification(
            key=key,
            ecosystem=ecosystem,
            recipients=leads.get(ecosystem.pk, []),
            template=template,
            context=context,
        )
        for ecosystem in ecosystems
    ]
    created = SentNotification.objects.bulk_create(rows, batch_size=1000)
    outbox.enqueue("notification", [r.pk for r in created if r.recipients])
    return sum(1 for r in created if r.recipients)


def notification_preference_update(*, user, **choices: bool) -> None:
    """Save which emails `user` wants (fields of NotificationPreference)."""

    NotificationPreference.objects.update_or_create(user=user, defaults=choices)
