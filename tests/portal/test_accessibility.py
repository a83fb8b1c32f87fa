"""WCAG 2.2 AA in Debian Chromium, on every page the URL-conf walk reaches as anonymous, a
lead and staff — so pages an app adds later are checked without naming them:

- axe-core (bundled in the PyPI package axe-playwright-python: no npm) at a desktop's
  width and at a phone's 390 CSS px;
- reflow (1.4.10) at 390 and 320 CSS px (tests/portal/reflow.py): nothing to read or use
  past the screen's edge except inside a table's labelled, focusable scroll region, each
  table row's controls in view, no `overflow-x: hidden` on html, body or main;
- the dues payment done with the keyboard alone.

One browser page and one seeded live server serve all of a viewer's pages: each page is
loaded once, checked wide, then narrowed (the layout follows the viewport, no reload)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client

from members.models import Invoice, User
from tests.browser_helpers import sign_in, sign_in_with_keyboard, tab_to
from tests.portal.reflow import reflow_problems
from tests.portal.walk import add_rows_the_demo_leaves_out, demo_people, fill_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "slecop-demo-2026"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}  # a current phone
SMALL_PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS px wide
AXE = Axe()


def _axe(page) -> list[dict]:
    # evaluate() runs through the DevTools protocol, so the page's CSP (no inline scripts)
    # stays on while axe runs.
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "lead@example.org", "staff@example.org"])
def test_every_page_meets_wcag_2_2_aa_and_reflows_on_a_phone(browser_page, viewer):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    lead, ecosystem, other_lead, _other, _staff = demo_people()
    # a service request, a convening seat, an invitation and a nomination: the walk then
    # reaches the pages that show them
    add_rows_the_demo_leaves_out(lead, ecosystem, other_lead, links=True)
    user = None if viewer == "anonymous" else User.objects.get(email=viewer)
    client = Client()
    if user is not None:
        client.force_login(user)
    urls = [p.url for p in fill_routes(client, ecosystem).pages if p.status == 200 and p.is_html]
    assert len(urls) >= 30, urls
    # Reflow: every page the viewer opens (signed in, public pages gain forms and buttons).
    # axe: public pages as anonymous; signed in, the home page (its navigation changes)
    # and the pages anonymous cannot open.
    axe_urls = set(urls)
    if user is not None:
        anonymous = Client()
        axe_urls = {u for u in urls if u == "/" or anonymous.get(u).status_code != 200}
    page = browser_page
    if user is not None:
        sign_in(page, viewer, PASSWORD)
    failures: dict[str, dict] = {}
    for url in urls:
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        found = {}
        if url in axe_urls:
            found["axe at 1280px"] = _axe(page)
        page.set_viewport_size(PHONE)
        found["reflow at 390px"] = reflow_problems(page)
        if url in axe_urls:
            found["axe at 390px"] = _axe(page)
        page.set_viewport_size(SMALL_PHONE)
        found["reflow at 320px"] = reflow_problems(page)
        found = {check: problems for check, problems in found.items() if problems}
        if found:
            failures[url] = found
    assert not failures, failures


@pytest.mark.usefixtures("simulator")
def test_a_lead_pays_dues_with_the_keyboard_alone(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    invoice = Invoice.objects.get(ecosystem__slug="boston-stem-ecosystem", status="open")
    page = browser_page
    sign_in_with_keyboard(page, "lead@example.org", PASSWORD)
    page.get_by_role("heading", name="Boston STEM Ecosystem").wait_for()

    tab_to(page, f"Membership dues {invoice.membership_year.year}")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Invoice {invoice.number}").wait_for()
    tab_to(page, "Pay dues · 3,000.00 USD")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Test payment — no money moves").wait_for()
    tab_to(page, "Pay 3,000.00 USD (test)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Payment received").wait_for()
    tab_to(page, "View receipt")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Receipt").wait_for()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
