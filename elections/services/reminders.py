"""Reminders to the leads of ecosystems in the electorate that have not voted yet."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from renewals.services import notify_leads

from ..models import Election, Elector, VoterRecord


def reminders_send(*, election_id: int, key: str | None = None) -> int:
    """Send one reminder round for `election_id` (idempotent per `key`; by default one
    round per ISO week). Ecosystems already voted are left out, and notify_leads only
    emails ecosystems still in good standing. Nothing happens unless voting is open."""
    election = Election.objects.filter(pk=election_id, phase=Election.Phase.VOTING).first()
    if election is None:
        return 0
    if key is None:
        year, week, _day = timezone.localdate().isocalendar()
        key = f"elections:{election.pk}:reminder:{year}-W{week:02d}"
    not_voted = Elector.objects.filter(election=election).exclude(
        ecosystem_id__in=VoterRecord.objects.filter(election=election).values("ecosystem_id")
    )
    return notify_leads(
        key=key,
        template="elections/email/reminder",
        context={
            "election_title": election.title,
            "election_slug": election.slug,
            "closes_on": date_format(election.voting_closes_on)
            if election.voting_closes_on
            else "",
        },
        ecosystem_ids=list(not_voted.values_list("ecosystem_id", flat=True)),
        preference="election_reminders",
    )


def reminders_send_all_open() -> int:
    return sum(
        reminders_send(election_id=pk)
        for pk in Election.objects.filter(phase=Election.Phase.VOTING).values_list("pk", flat=True)
    )
