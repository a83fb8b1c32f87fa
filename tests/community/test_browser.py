"""The demo lead comments on a section of the draft plan and submits the survey."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from community.models import Comment, Response, SurveyParticipation
from members.management.commands.seed_demo import DEMO_PASSWORD
from members.models import User
from tests.browser_helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_lead_comments_on_a_section_and_submits_a_survey(browser_page):
    call_command("seed_demo", "--ecosystems", "12", "--quiet")
    lead = User.objects.get(email="lead@example.org")
    page = browser_page
    sign_in(page, lead.email, DEMO_PASSWORD)

    # the dashboard panel points to the open consultation; the lead reads a section
    page.goto("/consultations/")
    page.get_by_role("link", name="DRAFT Plan for Sustainability").click()
    page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name="SLECoP Participation and Membership"
    ).click()
    page.get_by_label("Comment on").select_option(label="SLECoP Participation and Membership")
    page.get_by_label("Your comment").fill("Please list the scholarship criteria in the plan.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Thank you, your comment is recorded.").wait_for()
    assert "#slecop-participation-and-membership" in page.url
    page.get_by_text("Please list the scholarship criteria in the plan.").wait_for()
    comment = Comment.objects.get(author=lead)
    assert comment.section.anchor == "slecop-participation-and-membership"

    # then answers the survey waiting for them
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="STEM priorities survey").click()
    page.get_by_label("Museum or science center").check()
    page.get_by_label("Convenings").check()
    page.get_by_label("Resource library").check()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("What should the Stewardship Team do first?").fill("Rural convenings.")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("You have responded to this survey. Thank you.").wait_for()
    assert SurveyParticipation.objects.filter(person=lead).count() == 1
    assert not Response.objects.filter(respondent=lead).exists()  # anonymous
