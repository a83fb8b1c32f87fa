"""A staff member's home in Chromium, with one item of each kind waiting (issue 28)."""

from __future__ import annotations

import pytest

from tests.browser_helpers import sign_in
from tests.factories import PASSWORD
from tests.members.staff_home_helpers import one_of_each, staff_and_steward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_signs_in_to_what_waits_for_them(browser_page):
    one_of_each()
    staff_and_steward(email="home.staff@example.org")
    page = browser_page
    sign_in(page, "home.staff@example.org", PASSWORD)

    page.get_by_role("heading", name="What waits for you").wait_for()
    assert page.url.endswith("/staff/")
    waiting = page.locator("#waiting-title + ul li")
    assert waiting.count() == 6
    for text in (
        "1 Scholarship applications to decide",
        "1 Service requests to answer",
        "1 Join applications to review",
        "1 Flagged payments",
        "1 Nominations to review",
        "1 Practice group proposals",
    ):
        assert text in page.locator("#waiting-title + ul").inner_text(), text
    assert "at a glance" in page.content()
    assert page.get_by_role("link", name="Staff home").count() == 1

    page.get_by_role("link", name="1 Join applications to review").click()
    page.get_by_text("1 join application").first.wait_for()
    assert "status__exact=pending" in page.url
    page.go_back()
    page.get_by_role("heading", name="What waits for you").wait_for()
