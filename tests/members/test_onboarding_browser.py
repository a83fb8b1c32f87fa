"""In Chromium: the approved applicant accepts the invitation and sees the checklist."""

from __future__ import annotations

import pytest

from members.models import Invitation
from members.onboarding.services import joining
from tests.factories import UserFactory
from tests.members.factories_services import JoinApplicationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("members_checks_only"),
]


def test_applicant_accepts_the_invitation_and_sees_the_checklist(browser_page):
    coach = UserFactory(is_staff=True, first_name="Carla", last_name="Coach")
    application = JoinApplicationFactory(
        ecosystem_name="Desert Bloom STEM", lead_email="rosa@example.org"
    )
    ecosystem = joining.join_application_approve(
        acting_user=coach, application=application, coach=coach
    )
    invitation = Invitation.objects.get(ecosystem=ecosystem)

    page = browser_page
    page.goto(invitation.get_absolute_url())
    page.get_by_role("heading", name="Join Desert Bloom STEM").wait_for()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Parks")
    page.locator("#id_password1").fill("a-long-unique-passphrase-42")
    page.locator("#id_password2").fill("a-long-unique-passphrase-42")
    page.get_by_role("button", name="Create account and join").click()

    page.get_by_role("heading", name="Desert Bloom STEM").wait_for()
    panel = page.locator("#onboarding")
    text = panel.inner_text()
    assert "Onboarding checklist" in text and "Carla Coach" in text
    for label in ("Orientation attended", "Profile complete", "Partners listed"):
        assert label in text
    assert "0 of 6 done" in text
    assert "Onboarding" in page.locator("main").inner_text()
