"""Layout polish read in Chromium: list cards keep the card's side padding."""

from __future__ import annotations

import pytest

from tests.community.factories import AnnouncementFactory, ConsultationFactory, TownHallFactory
from tests.convenings.factories import ConveningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD_PADDING = """() => {
  const card = document.querySelector('main li.card');
  const style = getComputedStyle(card);
  return [parseFloat(style.paddingLeft), parseFloat(style.paddingRight)];
}"""


def test_list_cards_have_side_padding(browser_page):
    ConveningFactory()
    AnnouncementFactory()
    ConsultationFactory()
    TownHallFactory()
    padding = {}
    for path in ["/convenings/", "/announcements/", "/consultations/", "/town-halls/"]:
        browser_page.goto(path)
        padding[path] = browser_page.evaluate(CARD_PADDING)
    assert all(left >= 16 and right >= 16 for left, right in padding.values()), padding
