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


TEXT_OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) out.push(text.textContent);
    }
  }
  return out;
}"""


def test_chart_labels_fit_inside_their_charts(browser_page):
    from django.contrib.staticfiles import finders

    from measurement import charts

    line = charts.line_chart(
        title="Trend",
        years=[2022, 2023, 2024, 2025, 2026],
        series=[charts.Series("Network", {2022: 80.0, 2026: 95.2}, "#0b5c7a")],
        unit="%",
    )
    bars = charts.bar_chart(
        title="Rates",
        bars=[
            ("Ecosystems with a backbone organization", 95.2, "95.2% (20 of 21)"),
            ("Northeast", 100.0, "100.0% (21 of 21)"),
        ],
    )
    with open(finders.find("measurement/measurement.css")) as css:
        style = css.read()
    browser_page.set_content(f"<style>{style}</style><main style='width:420px'>{line}{bars}</main>")
    assert browser_page.evaluate(TEXT_OUTSIDE) == []
