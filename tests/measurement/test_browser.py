"""A demo lead submits this year's report in Chromium and sees it on their chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from measurement.models import Indicator, IndicatorReport
from tests.browser_helpers import sign_in
from tests.measurement.factories import sample_value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # git-ignored


def test_demo_lead_submits_a_report_and_sees_the_chart(browser_page):
    call_command("seed_demo", "--ecosystems", "8", "--quiet")
    year = timezone.localdate().year
    page = browser_page
    sign_in(page, "lead@example.org", "slecop-demo-2026")
    page.get_by_role("link", name="Start the report").click()
    page.get_by_role("heading", name=f"{year} indicator report").wait_for()

    for indicator in Indicator.objects.filter(active=True):
        name = f"value_{indicator.code}"
        value = sample_value(indicator, level=4)
        if indicator.kind == "count":
            value = "95" if indicator.code == "partner-organizations" else value
        if indicator.kind in ("rubric", "yes_no"):
            page.locator(f'input[name="{name}"][value="{value}"]').check()
        else:
            page.locator(f'[name="{name}"]').fill(value)
    page.locator('input[name="goal_partner-organizations"]').fill("120")
    page.get_by_role("button", name="Submit the report").click()

    page.get_by_text(f"the {year} report is submitted").wait_for()
    chart = page.locator("section", has=page.get_by_role("heading", name="Partner organisations"))
    assert chart.locator("svg[role=img] desc").first.text_content().count(f"{year}: 95") == 1
    chart.get_by_text("Data table").click()
    row = chart.locator("tr", has_text=str(year)).first
    assert "95" in row.text_content()
    assert IndicatorReport.objects.get(
        ecosystem__slug="boston-stem-ecosystem", year=year
    ).status == ("submitted")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "measurement_lead_chart.png"), full_page=True)
