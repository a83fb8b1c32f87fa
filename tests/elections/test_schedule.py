"""Phases and the published schedule always agree (issue 27, item 3): a move off schedule
republishes the dates; nominations and voting open at 00:00 and close at 23:59
(America/New_York) on the published dates by themselves, through the same services, with
the system as the actor, announced to the leads; certification stays a steward's."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from elections import services, tasks
from elections.models import Contest, Election
from members.models import AuditEntry
from tests.elections.factories import (
    CandidateFactory,
    ContestFactory,
    ElectionFactory,
    admin_phase,
    candidates,
    contest,
    election_with_contests,
)
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
IRV = Contest.Method.IRV


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _at(day: dt.date, hour: int, minute: int = 0):
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY), tick=False
    )


# --- a steward's move off schedule republishes the dates ------------------------------------


def test_opening_voting_early_republishes_the_dates(client, steward_user):
    start = dt.date(2026, 12, 7)
    with _at(start, 10):
        election = election_with_contests(("chair", IRV, ["Ada"]))
        Election.objects.filter(pk=election.pk).update(
            voting_opens_on=dt.date(2026, 12, 11), voting_closes_on=dt.date(2026, 12, 20)
        )
        client.force_login(steward_user)
        page = client.get(
            reverse("admin:elections_election_phase", args=[election.pk, "open-voting"])
        )
        text = _text(page)
        assert "Off schedule: the published date was Dec. 11, 2026" in text
        assert 'name="voting_closes_on"' in page.content.decode()
        admin_phase(client, election, "election_open_voting", {"voting_closes_on": "2026-12-18"})
        election.refresh_from_db()
        assert election.phase == Election.Phase.VOTING
        assert (election.voting_opens_on, election.voting_closes_on) == (
            start,
            dt.date(2026, 12, 18),
        )
        public = _text(client.get(election.get_absolute_url()))
        assert "from Dec. 7, 2026, 00:00 until Dec. 18, 2026, 23:59" in public
        assert "Dec. 11" not in public
        assert "America/New_York" in public
        entry = AuditEntry.objects.get(action="elections.phase_voting")
        assert entry.before["voting_opens_on"] == "2026-12-11"
        assert entry.after["voting_opens_on"] == "2026-12-07" and entry.after["by"] == "steward"


def test_a_closing_date_before_today_is_refused_on_the_form(client, steward_user):
    with _at(dt.date(2026, 12, 7), 10):
        election = election_with_contests(("chair", IRV, ["Ada"]))
        client.force_login(steward_user)
        response = admin_phase(
            client, election, "election_open_voting", {"voting_closes_on": "2026-12-01"}
        )
        assert response.status_code == 400
        assert "give a new date" in response.content.decode()
        election.refresh_from_db()
        assert election.phase == Election.Phase.NOMINATIONS and election.voting_opens_on is None


def test_closing_early_makes_today_the_closing_date(client, steward_user):
    with _at(dt.date(2026, 12, 7), 10):
        election = election_with_contests(("chair", IRV, ["Ada"]), phase="voting")
        Election.objects.filter(pk=election.pk).update(voting_closes_on=dt.date(2026, 12, 20))
        client.force_login(steward_user)
        page = _text(
            client.get(reverse("admin:elections_election_phase", args=[election.pk, "close"]))
        )
        assert "voting was to close on Dec. 20, 2026" in page
        admin_phase(client, election, "election_close")
        election.refresh_from_db()
        assert election.phase == Election.Phase.CLOSED
        assert election.voting_closes_on == dt.date(2026, 12, 7)


# --- the schedule moves elections by itself --------------------------------------------------

NOMS_OPEN, NOMS_CLOSE = dt.date(2027, 2, 1), dt.date(2027, 2, 10)
VOTE_OPEN, VOTE_CLOSE = dt.date(2027, 2, 15), dt.date(2027, 2, 28)


def _scheduled_election():
    election = ElectionFactory(
        nominations_open_on=NOMS_OPEN,
        nominations_close_on=NOMS_CLOSE,
        voting_opens_on=VOTE_OPEN,
        voting_closes_on=VOTE_CLOSE,
        term_start=dt.date(2027, 6, 1),
    )
    chair = ContestFactory(election=election)
    CandidateFactory(contest=chair, name="Ada")
    CandidateFactory(contest=chair, name="Bo")
    return election


def test_nominations_and_voting_open_and_close_on_the_published_dates(
    django_capture_on_commit_callbacks,
):
    with _at(dt.date(2027, 1, 20), 12) as clock:
        eco = EcosystemFactory()
        make_in_good_standing(eco, 2027)
        lead = make_lead(eco)
        election = _scheduled_election()

        clock.move_to(dt.datetime(2027, 1, 31, 23, 59, tzinfo=NY))
        assert tasks.run_schedule() == {"refused": []}
        clock.move_to(dt.datetime(2027, 2, 1, 0, 0, tzinfo=NY))
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.run_schedule() == {"refused": [], "nominations": [election.pk]}
        election.refresh_from_db()
        assert election.phase == Election.Phase.NOMINATIONS
        assert any("Nominations are open" in m.subject for m in mail.outbox)
        assert tasks.run_schedule() == {"refused": []}  # nothing twice

        clock.move_to(dt.datetime(2027, 2, 14, 23, 59, tzinfo=NY))
        assert tasks.run_schedule() == {"refused": []}
        clock.move_to(dt.datetime(2027, 2, 15, 0, 0, tzinfo=NY))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.run_schedule()
        election.refresh_from_db()
        assert election.phase == Election.Phase.VOTING
        assert election.electors.count() == 1  # the snapshot, as a steward's opening does
        assert [lead.email] in [m.to for m in mail.outbox if "Voting is open" in m.subject]
        entry = AuditEntry.objects.get(action="elections.phase_voting")
        assert entry.actor is None and entry.actor_repr == "system"
        assert entry.after["by"] == "system (the published schedule)"

        services.ballot_cast(
            acting_user=lead,
            election=election,
            ecosystem=eco,
            choices={contest(election).pk: [candidates(election)["Bo"]]},
        )
        clock.move_to(dt.datetime(2027, 2, 28, 23, 58, tzinfo=NY))
        assert tasks.run_schedule() == {"refused": []}
        clock.move_to(dt.datetime(2027, 2, 28, 23, 59, tzinfo=NY))
        tasks.run_schedule()
        election.refresh_from_db()
        assert election.phase == Election.Phase.CLOSED  # sealed ballots opened and counted
        assert contest(election).result["winners"] == [candidates(election)["Bo"]]
        assert election.voting_closes_on == VOTE_CLOSE

        clock.move_to(dt.datetime(2027, 7, 1, 12, tzinfo=NY))
        tasks.run_schedule()
        election.refresh_from_db()
        assert election.phase == Election.Phase.CLOSED  # certification is a steward's


def test_a_refused_move_waits_and_tells_the_stewards_once(
    steward_user, django_capture_on_commit_callbacks
):
    with _at(dt.date(2027, 2, 15), 0, 5):
        election = ElectionFactory(voting_opens_on=VOTE_OPEN, term_start=dt.date(2027, 6, 1))
        ContestFactory(election=election)  # no candidate: opening voting is refused
        services.election_open_nominations(acting_user=None, election=election)
        Election.objects.filter(pk=election.pk).update(voting_opens_on=VOTE_OPEN)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.run_schedule() == {"refused": [election.pk]}
            assert tasks.run_schedule() == {"refused": [election.pk]}
        election.refresh_from_db()
        assert election.phase == Election.Phase.NOMINATIONS
        assert AuditEntry.objects.filter(action="elections.schedule_refused").count() == 1
        assert [m.to for m in mail.outbox] == [[steward_user.email]]


def test_the_schedule_task_is_in_the_beat_schedule(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "elections.tasks.run_schedule" in entries


def test_nominations_close_at_2359_on_their_date(ecosystem, lead):
    from slecop.errors import Conflict

    with _at(NOMS_CLOSE, 23, 58) as clock:
        make_in_good_standing(ecosystem, 2027)
        election = election_with_contests(("chair", IRV, []))
        Election.objects.filter(pk=election.pk).update(nominations_close_on=NOMS_CLOSE)
        election.refresh_from_db()
        chair = contest(election)
        services.nomination_create(
            acting_user=lead, ecosystem=ecosystem, contest=chair, nominee=lead, statement="x"
        )
        clock.move_to(dt.datetime.combine(NOMS_CLOSE, dt.time(23, 59), tzinfo=NY))
        other = make_lead(ecosystem)
        with pytest.raises(Conflict, match="closed on"):
            services.nomination_create(
                acting_user=other, ecosystem=ecosystem, contest=chair, nominee=other, statement="x"
            )


def test_an_open_votes_closing_date_cannot_be_moved_into_the_past(client, steward_user):
    with _at(dt.date(2026, 12, 7), 10):
        election = election_with_contests(("chair", IRV, ["Ada"]), phase="voting")
        client.force_login(steward_user)
        url = reverse("admin:elections_election_change", args=[election.pk])
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
        data.update(
            {
                "title": election.title,
                "description": "",
                "voting_closes_on": "2026-12-06",
                "contests-TOTAL_FORMS": "1",
                "contests-INITIAL_FORMS": "1",
                "contests-MIN_NUM_FORMS": "0",
                "contests-MAX_NUM_FORMS": "1000",
                "contests-0-id": str(contest(election).pk),
                "contests-0-election": str(election.pk),
            }
        )
        response = client.post(url, data)
        assert response.status_code == 200
        assert "its closing date can be today at the earliest" in response.content.decode()
        election.refresh_from_db()
        assert election.voting_closes_on is None
