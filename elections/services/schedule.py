"""The published schedule moves elections by itself (issue 27): nominations and voting
open at 00:00 and close at 23:59, America/New_York, on the published dates. A beat task
(elections.tasks.run_schedule, every minute) calls the same services a steward's
confirmation calls — opening voting snapshots the electorate and draws the lots, closing
opens the sealed ballots and counts — with the system as the actor (the audit entries
say "system (the published schedule)"), and announces the change to the leads by email.
Nominations close by date alone (nomination_create refuses after the closing day), so
there is no phase to move for that. Certification is never automatic: it is always a
steward's action.

Idempotent and self-catching-up: it compares the phase with the clock, so a minute the
scheduler missed is made good by the next run, and a second run changes nothing. A move
the service refuses (no candidate in a contest, no sealing key) is logged, audited and
emailed to the Stewardship team once a day, and tried again each minute."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from members.audit import audit_log
from members.migration_utils import STEWARDSHIP_TEAM
from renewals.services import notify_leads
from slecop.errors import DomainError
from slecop.mail import send_templated_email

from ..models import Election, Elector
from .phases import election_open_nominations, election_open_voting
from .results import election_close

logger = logging.getLogger(__name__)

SCHEDULE_ZONE = ZoneInfo("America/New_York")
OPENS_AT = dt.time(0, 0)
CLOSES_AT = dt.time(23, 59)
Phase = Election.Phase


def opens_at(day: dt.date) -> dt.datetime:
    """The moment a phase published to open on `day` opens."""
    return dt.datetime.combine(day, OPENS_AT, tzinfo=SCHEDULE_ZONE)


def closes_at(day: dt.date) -> dt.datetime:
    """The moment a phase published to close on `day` closes."""
    return dt.datetime.combine(day, CLOSES_AT, tzinfo=SCHEDULE_ZONE)


def due_moves(now: dt.datetime) -> list[tuple[Election, str]]:
    """(election, phase it is due to move to) for every election the clock has passed."""
    due = []
    for election in Election.objects.filter(
        phase__in=(Phase.DRAFT, Phase.NOMINATIONS, Phase.VOTING)
    ).order_by("pk"):
        if election.phase == Phase.DRAFT:
            day, at, to = election.nominations_open_on, opens_at, Phase.NOMINATIONS
        elif election.phase == Phase.NOMINATIONS:
            day, at, to = election.voting_opens_on, opens_at, Phase.VOTING
        else:
            day, at, to = election.voting_closes_on, closes_at, Phase.CLOSED
        if day is not None and now >= at(day):
            due.append((election, to))
    return due


SERVICES = {
    Phase.NOMINATIONS: election_open_nominations,
    Phase.VOTING: election_open_voting,
    Phase.CLOSED: election_close,
}


def run_schedule(now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Move every election whose published date has come. Returns {phase: [ids]} of the
    moves made and {"refused": [ids]}."""
    now = now or timezone.now()
    done: dict[str, list[int]] = {"refused": []}
    for election, to in due_moves(now):
        try:
            moved = SERVICES[to](acting_user=None, election=election)
        except DomainError as exc:
            done["refused"].append(election.pk)
            _report_refusal(election, to, exc.message)
            continue
        done.setdefault(to, []).append(election.pk)
        announce(moved, to)
    return done


def announce(election: Election, to: str) -> int:
    """Email the leads that the schedule moved the election (once per election and
    phase): on opening nominations or voting the leads of ecosystems in good standing,
    on closing those of the electorate."""
    ecosystem_ids = None
    closes_on = election.voting_closes_on if to == Phase.VOTING else election.nominations_close_on
    if to == Phase.CLOSED:
        ecosystem_ids = list(
            Elector.objects.filter(election=election).values_list("ecosystem_id", flat=True)
        )
    return notify_leads(
        key=f"elections:{election.pk}:phase:{to}",
        template="elections/email/phase",
        context={
            "election_title": election.title,
            "election_slug": election.slug,
            "phase": str(to),
            "closes_on": date_format(closes_on) if closes_on and to != Phase.CLOSED else "",
        },
        ecosystem_ids=ecosystem_ids,
        preference=None,
    )


def _report_refusal(election: Election, to: str, reason: str) -> None:
    logger.warning("The schedule could not move %s to %s: %s", election, to, reason)
    if not cache.add(f"elections:schedule-refused:{election.pk}:{to}", 1, 60 * 60 * 24):
        return  # told already today
    audit_log(
        actor=None,
        action="elections.schedule_refused",
        obj=election,
        after={"to": str(to), "reason": reason},
    )
    group = Group.objects.filter(name=STEWARDSHIP_TEAM).first()
    stewards = (
        list(group.user_set.filter(is_active=True).values_list("email", flat=True)) if group else []
    )
    send_templated_email(
        to=stewards,
        template="elections/email/schedule_refused",
        context={"election": election, "phase": Election.Phase(to).label, "reason": reason},
    )
