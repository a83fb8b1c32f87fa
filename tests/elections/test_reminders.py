"""Reminders to the leads of electorate ecosystems that have not voted (renewals'
notify_leads: once per key and ecosystem)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.formats import date_format

from elections import tasks
from elections.models import Contest
from tests.elections.factories import candidates, contest, election_with_contests
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = pytest.mark.django_db


def test_reminders_go_to_non_voters_once(django_capture_on_commit_callbacks, mailoutbox):
    voted, waiting = EcosystemFactory(name="Voted STEM"), EcosystemFactory(name="Waiting STEM")
    outside = EcosystemFactory(name="Outside STEM")  # not in good standing: not an elector
    make_lead(outside)
    leads = {}
    for eco in (voted, waiting):
        make_in_good_standing(eco)
        leads[eco] = make_lead(eco)
    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada"]), phase="voting")
    election.voting_closes_on = dt.date.today() + dt.timedelta(days=9)
    election.save(update_fields=["voting_closes_on"])
    from elections import services

    services.ballot_cast(
        acting_user=leads[voted],
        election=election,
        ecosystem=voted,
        choices={contest(election).pk: [candidates(election)["Ada"]]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_non_voters(election.pk) == 1
        assert tasks.remind_non_voters(election.pk) == 0  # same week: nothing twice
        assert tasks.remind_all_open() == 0
    (mail,) = mailoutbox
    assert mail.to == [leads[waiting].email]
    assert "Waiting STEM" in mail.subject and election.title in mail.subject
    assert f"/elections/{election.slug}/vote/{waiting.slug}/" in mail.body
    # the closing date as the pages write it ("Jan. 6, 2027"), never ISO
    assert f"Voting closes on {date_format(election.voting_closes_on)}." in mail.body
    assert election.voting_closes_on.isoformat() not in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_non_voters(election.pk, key="second-round") == 1


def test_no_reminders_unless_voting():
    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada"]), phase="closed")
    assert tasks.remind_non_voters(election.pk) == 0
