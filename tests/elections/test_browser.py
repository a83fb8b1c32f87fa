"""The whole election in Chromium: the stewardship user opens voting in the admin, a demo
lead ranks the candidates (keyboard-accessible selects) and casts the ballot, the
stewardship user closes and certifies, the leadership page shows the winner, and the lead
checks the receipt was counted — a code that appears in no URL the browser requested
(issue 23: it would be in access logs, history and Referer headers)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from elections.models import Contest, Election
from members.models import Ecosystem
from tests.browser_helpers import sign_in
from tests.elections.factories import CandidateFactory, ContestFactory, ElectionFactory, office
from tests.factories import UserFactory, make_in_good_standing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slecop-demo-2026"


def _admin_action(page, election, label):
    page.goto("/admin/elections/election/")
    page.locator(f"input[name=_selected_action][value='{election.pk}']").check()
    page.locator("select[name=action]").select_option(label=label)
    page.locator("button[name=index]").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("heading", name="What will happen").wait_for()  # its confirmation page
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("domcontentloaded")


def test_open_vote_close_certify_in_chromium_and_the_receipt_is_in_no_url(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    boston = Ecosystem.objects.get(slug="boston-stem-ecosystem")
    make_in_good_standing(boston)
    election = ElectionFactory(title="Browser election", slug="browser-election")
    chair = ContestFactory(election=election, office=office("chair"), method=Contest.Method.IRV)
    for first, last in (("Ada", "Lovelace"), ("Bo", "Diddley"), ("Cy", "Twombly")):
        person = UserFactory(first_name=first, last_name=last)
        CandidateFactory(contest=chair, person=person, name=f"{first} {last}")
    from elections import services

    services.election_open_nominations(acting_user=None, election=election)

    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "steward@example.org", PASSWORD)
    _admin_action(page, election, "Open voting (snapshots the electorate)…")
    page.get_by_text("Voting opened: the electorate is snapshotted.").wait_for()

    page.context.clear_cookies()
    sign_in(page, "lead@example.org", PASSWORD)
    page.goto(election.get_absolute_url())
    page.get_by_role("link", name="Cast the ballot").first.click()
    page.get_by_label("Bo Diddley").focus()
    page.keyboard.press("ArrowDown")  # keyboard only: "not ranked" → 1
    page.get_by_label("Ada Lovelace").select_option("2")
    page.get_by_role("button", name="Review my ballot").click()
    page.get_by_role("heading", name="Review your ballot").wait_for()
    page.get_by_role("button", name="Cast the ballot").click()
    receipt = page.locator("[data-receipt]").inner_text()
    assert len(receipt) == 14

    page.context.clear_cookies()
    sign_in(page, "steward@example.org", PASSWORD)
    _admin_action(page, election, "Close voting and count…")
    page.get_by_text("Voting closed and counted.").wait_for()
    _admin_action(page, election, "Certify results (seats the winners)…")
    page.get_by_text("Certified: the results are published").wait_for()
    assert Election.objects.get(pk=election.pk).phase == "certified"

    page.goto("/leadership/")
    assert page.get_by_text("Bo Diddley").first.is_visible()
    page.goto(f"/elections/{election.slug}/results/")
    assert page.locator(".winner").inner_text() == "Bo Diddley"
    page.context.clear_cookies()  # anyone can check a receipt
    page.goto(f"/elections/{election.slug}/results/")
    page.get_by_role("link", name="Counted receipt codes").click()
    page.get_by_label("Receipt code").fill(receipt.lower().replace("-", ""))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("This ballot was counted.").wait_for()
    assert page.locator(".receipt-list").inner_text().count(receipt) == 1  # the list
    assert any("/receipts/" in url for url in requested)
    compact = receipt.replace("-", "")
    for url in requested:
        for form in (receipt, compact):
            assert form.lower() not in url.lower(), url
