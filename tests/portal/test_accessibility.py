"""WCAG 2.2 AA in Debian Chromium: axe-core (npm, tests/portal/axe/, installed by .ci/run)
runs on every page the URL-conf walk reaches as anonymous, a lead and staff — so pages an
app adds later are checked without naming them — and the dues payment is done with the
keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from members.models import Ecosystem, Invoice, User
from tests.browser_helpers import sign_in, sign_in_with_keyboard, tab_to
from tests.portal.walk import fill_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "slecop-demo-2026"
# pages that are not pages: downloads, redirects to elsewhere, JSON
SKIP_CONTENT = ("text/csv", "application/", "image/")


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: cd {AXE.parents[2]} && npm ci", pytrace=False)
    return AXE.read_text()


def _axe(page, source: str) -> list[dict]:
    # evaluate() runs through the DevTools protocol, so the page's CSP (no inline scripts)
    # stays on while axe runs.
    page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def _html_pages(user: User | None, ecosystem: Ecosystem) -> list[str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    urls = []
    for page in fill_routes(client, ecosystem).pages:
        if page.status != 200:
            continue
        response = client.get(page.url)
        if response.get("Content-Type", "").startswith(SKIP_CONTENT):
            continue
        if response.has_header("Content-Disposition"):
            continue
        urls.append(page.url)
    return urls


@pytest.mark.parametrize("viewer", ["anonymous", "lead@example.org", "staff@example.org"])
def test_every_page_meets_wcag_2_2_aa(browser_page, axe_source, viewer):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    user = None if viewer == "anonymous" else User.objects.get(email=viewer)
    lead = User.objects.get(email="lead@example.org")
    ecosystem = Ecosystem.objects.get(roles__user=lead, roles__role="lead")
    urls = _html_pages(user, ecosystem)
    assert len(urls) >= 10, urls
    if user is not None:
        # public pages are checked as anonymous; signed in, the home page (its navigation
        # changes) and every page anonymous cannot open
        public = set(_html_pages(None, ecosystem))
        urls = [u for u in urls if u not in public or u == "/"]
    page = browser_page
    if user is not None:
        sign_in(page, viewer, PASSWORD)
    failures = {}
    for url in urls:
        page.goto(url)
        violations = _axe(page, axe_source)
        if violations:
            failures[url] = violations
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
