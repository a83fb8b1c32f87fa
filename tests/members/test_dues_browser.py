"""The lead's journey in Chromium: open invoice → pay through the simulator → invoice
paid, standing good, receipt shown."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from members.models import Invoice, StripeEvent
from tests.browser_helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("simulator"),
]


def test_lead_pays_dues_through_the_simulator_in_chromium(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    invoice = Invoice.objects.get(ecosystem__slug="boston-stem-ecosystem", status="open")
    page = browser_page
    sign_in(page, "lead@example.org", "slecop-demo-2026")

    page.get_by_role("heading", name="Boston STEM Ecosystem").wait_for()
    panel = page.locator("#dues")
    assert "3,000.00 USD" in panel.inner_text()
    panel.get_by_role("link", name=f"Membership dues {invoice.membership_year.year}").click()

    page.get_by_role("heading", name=f"Invoice {invoice.number}").wait_for()
    page.get_by_role("button", name="Pay dues · 3,000.00 USD").click()

    page.get_by_role("heading", name="Test payment — no money moves").wait_for()
    assert "Nothing is charged to anyone" in page.content()
    page.get_by_role("button", name="Pay 3,000.00 USD (test)").click()

    page.get_by_role("heading", name="Payment received").wait_for()
    status = page.get_by_role("status").inner_text()
    assert "Good standing" in status and "0.00 USD" in status
    page.get_by_role("link", name="View receipt").click()

    page.get_by_role("heading", name="Receipt").wait_for()
    assert "3,000.00 USD" in page.content() and invoice.number in page.content()
    page.goto("/my/boston-stem-ecosystem/")
    page.get_by_text("Good standing").first.wait_for()
    assert "Nothing to pay right now" in page.locator("#dues").inner_text()

    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert StripeEvent.objects.get().type == "checkout.session.completed"  # the webhook path
