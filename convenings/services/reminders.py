"""Convening reminders: once a convening's registration is open and it starts within
REMINDER_DAYS, the leads of the ecosystems that may attend are told once (renewals'
notify_leads: once per convening and ecosystem, good standing only, and only leads who
kept the "convening reminders" box ticked). A day the scheduler missed is caught up by
the next run, which still finds the convening inside the window."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format

from members.models import Ecosystem
from renewals.services import notify_leads

from ..models import Convening

REMINDER_DAYS = 14
TEMPLATE = "convenings/email/reminder"


def convening_reminders_send(*, now=None) -> int:
    """Queue the reminders that are due; returns the number of ecosystems emailed."""

    now = now or timezone.now()
    convenings = Convening.objects.filter(
        published=True,
        registration_opens_at__lte=now,
        registration_closes_at__gt=now,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=REMINDER_DAYS),
    ).order_by("starts_at", "pk")
    sent = 0
    for convening in convenings:
        ecosystem_ids = None
        if convening.region_id is not None:
            ecosystem_ids = list(
                Ecosystem.objects.filter(region_id=convening.region_id).values_list("pk", flat=True)
            )
        sent += notify_leads(
            key=f"convenings:{convening.pk}:reminder",
            template=TEMPLATE,
            context={
                "convening_title": convening.title,
                "convening_slug": convening.slug,
                "starts_on": date_format(timezone.localdate(convening.starts_at)),
                "registration_closes_on": date_format(
                    timezone.localdate(convening.registration_closes_at)
                ),
            },
            ecosystem_ids=ecosystem_ids,
            preference="event_reminders",
        )
    return sent
