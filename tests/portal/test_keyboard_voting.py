"""Issue 11: the voting journey with the keyboard alone — sign in, open the ballot, rank
the candidates with the arrow keys, review and cast — each stop showing its focus."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from elections.models import Contest, VoterRecord
from elections.services import election_open_nominations, election_open_voting
from members.models import Ecosystem
from tests.browser_helpers import sign_in_with_keyboard, tab_to
from tests.elections.factories import (
    CandidateFactory,
    ContestFactory,
    ElectionFactory,
    office,
    sealed_contents,
)
from tests.factories import UserFactory, make_in_good_standing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slecop-demo-2026"


def test_a_lead_votes_with_the_keyboard_alone(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    boston = Ecosystem.objects.get(slug="boston-stem-ecosystem")
    make_in_good_standing(boston)
    election = ElectionFactory(title="Keyboard election", slug="keyboard-election")
    chair = ContestFactory(election=election, office=office("chair"), method=Contest.Method.IRV)
    for first, last in (("Ada", "Lovelace"), ("Bo", "Diddley"), ("Cy", "Twombly")):
        person = UserFactory(first_name=first, last_name=last)
        CandidateFactory(contest=chair, person=person, name=f"{first} {last}")
    election_open_nominations(acting_user=None, election=election)
    election_open_voting(acting_user=None, election=election)

    page = browser_page
    sign_in_with_keyboard(page, "lead@example.org", PASSWORD)
    page.get_by_role("heading", name="Boston STEM Ecosystem").wait_for()
    page.goto(election.get_absolute_url())
    tab_to(page, "Cast the ballot")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review my ballot").wait_for()
    tab_to(page, "Bo Diddley")
    page.keyboard.press("ArrowDown")  # "not ranked" → 1st choice
    tab_to(page, "Ada Lovelace")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # → 2nd choice
    tab_to(page, "Review my ballot")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Review your ballot").wait_for()
    tab_to(page, "Cast the ballot")
    page.keyboard.press("Enter")
    receipt = page.locator("[data-receipt]").inner_text()

    assert len(receipt) == 14
    assert VoterRecord.objects.filter(election=election, ecosystem=boston).count() == 1
    (contents,) = sealed_contents(election)
    names = {c.pk: c.name for c in chair.candidates.all()}
    assert [names[pk] for pk in contents[str(chair.pk)]] == ["Bo Diddley", "Ada Lovelace"]
