"""A demo lead signs in, opens My ecosystem, edits the profile and sees the change."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_edits_the_profile_in_chromium(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("lead@example.org")
    page.get_by_label("Password").fill("slecop-demo-2026")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Boston STEM Ecosystem").wait_for()
    assert "/my/boston-stem-ecosystem/" in page.url
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("About").fill("Boston's schools, museums and employers, together.")
    page.get_by_label("Founded (year)").fill("2016")
    page.get_by_role("button", name="Save profile").click()

    page.get_by_text("was saved").wait_for()
    assert "Boston's schools, museums and employers, together." in page.content()
    assert page.get_by_text("2016").first.is_visible()
