"""The reflow check of tests/portal/reflow.py finds what it is there to find: each rule,
broken on a small page of its own at 320 px, is reported; the patterns the site uses
(a stacked list table, a labelled scroll region) pass."""

from __future__ import annotations

import pytest

from tests.portal.reflow import reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = (
    '<!DOCTYPE html><html lang="en"><head><meta name="viewport" '
    'content="width=device-width, initial-scale=1"><style>body{margin:0;font-size:16px}'
    "</style></head><body><main>"
)
WIDE_TABLE = (
    "<table><tr><th>Region</th>"
    + "".join(f"<td>Column {i} with a long heading</td>" for i in range(8))
    + "<td><button>Cancel</button></td></tr></table>"
)


def scroll(attrs: str, inner: str = WIDE_TABLE) -> str:
    return f'<div style="overflow-x:auto" {attrs}>{inner}</div>'


BROKEN = {
    "overflow-x: hidden on body": '<p style="width:600px">wide</p>'
    "<style>body{overflow-x:hidden}</style>",
    "page is": '<p style="width:600px">A paragraph wider than the screen.</p>',
    "spans": '<a href="/x" style="margin-left:400px">A link off screen</a>',
    'no role="region"': scroll('tabindex="0" aria-label="T"'),
    "not focusable": scroll('role="region" aria-label="T"'),
    "no label": scroll('role="region" tabindex="0"'),
    "2 tables": scroll('role="region" tabindex="0" aria-label="T"', WIDE_TABLE * 2),
    "off screen until the table scrolls": scroll('role="region" tabindex="0" aria-label="T"'),
    "px text": '<p style="font-size:12px">Running text that is set far too small to read'
    " on a phone.</p>",
}
GOOD = (
    scroll(
        'role="region" tabindex="0" aria-label="Rounds"',
        "<table><tr><th><a href='/c'>Candidate</a></th>"
        + "".join(f"<td>Round {i} with a long heading</td>" for i in range(8))
        + "</tr></table>",
    )
    + "<p>A paragraph of running text at the size of the body, which wraps as it should.</p>"
)


def test_each_reflow_rule_reports_a_page_that_breaks_it(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    for expected, body in BROKEN.items():
        page.set_content(HEAD + body + "</main></body></html>")
        problems = reflow_problems(page)
        assert any(expected in p for p in problems), (expected, problems)
    page.set_content(HEAD + GOOD + "</main></body></html>")
    assert reflow_problems(page) == []
