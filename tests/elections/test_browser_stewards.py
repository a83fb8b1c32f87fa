"""Issue 27 in Chromium: the steward closes voting, reviews the count (every instant-runoff
round), confirms and certifies; and an election that opens and closes by itself on its
published dates (a frozen clock drives the beat task; the browser reads the public page)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from elections import tasks
from elections.models import Election
from tests.browser_helpers import sign_in
from tests.elections.factories import CandidateFactory, ContestFactory, ElectionFactory
from tests.elections.test_stewards_count import voting_with_ballots
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slecop-demo-2026"
NY = ZoneInfo("America/New_York")


def test_the_steward_closes_reviews_the_count_confirms_and_certifies(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    election = voting_with_ballots()
    page = browser_page
    sign_in(page, "steward@example.org", PASSWORD)
    page.goto(f"/admin/elections/election/{election.pk}/change/")
    page.get_by_role("link", name="Close voting and count…").click()
    page.get_by_role("heading", name="What will happen").wait_for()
    assert "8 of" in page.locator("#content-main").inner_text()  # how many voted
    page.get_by_role("button", name="Confirm").click()
    # the stewards' count: every round of the chair, with transfers and tie-breaks
    page.get_by_text("Voting closed and counted.").wait_for()
    chair = page.locator("section", has=page.get_by_role("heading", name="Chair", exact=True))
    for n in (1, 2, 3, 4):
        assert chair.get_by_role("columnheader", name=f"Round {n}").is_visible()
    text = chair.inner_text()
    assert "Ada elected" in text and "backwards tie-break" in text and "lot drawn" in text
    assert "(+2)" in text  # Bo's ballots transferred to Ada in the last round
    assert Election.objects.get(pk=election.pk).phase == Election.Phase.CLOSED
    page.get_by_role("link", name="Certify these results…").click()
    page.get_by_role("heading", name="Winners to be seated and their terms").wait_for()
    assert "Chair: Ada, from" in page.locator("#content-main").inner_text()
    assert Election.objects.get(pk=election.pk).phase == Election.Phase.CLOSED  # not yet
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Certified: the results are published").wait_for()
    assert Election.objects.get(pk=election.pk).phase == Election.Phase.CERTIFIED
    page.goto(f"/elections/{election.slug}/results/")
    assert page.locator(".winner").first.inner_text() == "Ada"


def _at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def test_an_election_opens_and_closes_by_itself_on_its_published_dates(browser_page):
    with _at(dt.datetime(2027, 2, 1, 12, tzinfo=NY)):
        eco = EcosystemFactory(name="Harbor STEM")
        make_in_good_standing(eco, 2027)
        make_lead(eco)
        election = ElectionFactory(
            title="Scheduled election",
            slug="scheduled-election",
            nominations_open_on=dt.date(2027, 1, 20),
            nominations_close_on=dt.date(2027, 2, 10),
            voting_opens_on=dt.date(2027, 2, 15),
            voting_closes_on=dt.date(2027, 2, 28),
            term_start=dt.date(2027, 6, 1),
        )
        chair = ContestFactory(election=election)
        CandidateFactory(contest=chair, name="Ada Lovelace")
        tasks.run_schedule()  # due on Jan 20: caught up now, and Feb 1 is published
    page = browser_page
    page.goto("/elections/scheduled-election/")
    assert page.locator(".badge").inner_text() == "Nominations open"
    assert "Feb. 1, 2027, 00:00" in page.locator(".election-schedule").inner_text()
    with _at(dt.datetime(2027, 2, 14, 23, 59, tzinfo=NY)):
        tasks.run_schedule()
    page.reload()
    assert page.locator(".badge").inner_text() == "Nominations open"  # a minute early
    with _at(dt.datetime(2027, 2, 15, 0, 0, tzinfo=NY)):
        tasks.run_schedule()
    page.reload()
    assert page.locator(".badge").inner_text() == "Voting open"
    schedule = page.locator(".election-schedule").inner_text()
    assert "Feb. 15, 2027, 00:00" in schedule and "Feb. 28, 2027, 23:59" in schedule
    assert "America/New_York" in page.locator("main").inner_text()
    with _at(dt.datetime(2027, 2, 28, 23, 59, tzinfo=NY)):
        tasks.run_schedule()
    page.reload()
    assert page.locator(".badge").inner_text() == "Closed (counting)"
    assert page.get_by_role("link", name="Check that your ballot was counted").is_visible()
    with _at(dt.datetime(2027, 3, 15, 12, tzinfo=NY)):
        tasks.run_schedule()
    page.reload()
    assert page.locator(".badge").inner_text() == "Closed (counting)"  # certifying is a steward's
