"""The staff dues table fits its card at 1366 px: no column ("Flagged") is cut (issue 28)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser_helpers import sign_in
from tests.factories import PASSWORD
from tests.members.staff_home_helpers import staff_and_steward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => [...document.querySelectorAll('.table-scroll')].map(
  box => [box.getAttribute('aria-labelledby'), box.scrollWidth, box.clientWidth])"""


def test_dues_tables_fit_their_cards_at_1366_px(open_page):
    call_command("seed_demo", "--quiet")
    staff_and_steward(email="dues.fit@example.org")
    page = open_page(viewport={"width": 1366, "height": 768})
    sign_in(page, "dues.fit@example.org", PASSWORD)
    page.goto("/staff/dues/")
    page.get_by_role("heading", name="By region").wait_for()
    boxes = page.evaluate(OVERFLOW)
    assert len(boxes) == 2
    for name, scroll, client in boxes:
        assert scroll <= client, f"{name}: {scroll} px of table in {client} px"
    flagged = page.get_by_role("columnheader", name="Flagged").first
    assert flagged.evaluate("th => th.scrollWidth <= th.clientWidth")
