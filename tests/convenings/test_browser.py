"""The demo lead's journey in Chromium: register two attendees, try a third (offered a
paid seat, declines), cancel one and see the seat free again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from convenings.models import Convening, Registration
from members.models import Invoice
from tests.browser_helpers import sign_in
from tests.factories import pay_invoice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("simulator"),
]


def _register(page, name: str, email: str) -> None:
    page.get_by_label("Attendee name").fill(name)
    page.get_by_label("Attendee email").fill(email)
    page.get_by_label("Role or title").fill("Program director")
    page.get_by_role("button", name="Register").click()


def test_demo_lead_registers_two_is_offered_a_paid_third_and_cancels_one(browser_page):
    call_command("seed_demo", "--ecosystems", "3", "--quiet")
    pay_invoice(Invoice.objects.get(ecosystem__slug="boston-stem-ecosystem", status="open"))
    convening = Convening.objects.get(slug=f"national-convening-{timezone.localdate().year + 1}")
    page = browser_page
    sign_in(page, "lead@example.org", "slecop-demo-2026")

    page.goto("/my/boston-stem-ecosystem/")
    page.locator("#convenings").get_by_role("link", name="Register and manage attendees").click()
    section = page.locator("section").filter(has_text=convening.title)
    assert "Included seats: 0 of 2 used, 2 left." in section.inner_text()
    section.get_by_role("link", name="Register an attendee").click()

    page.get_by_role("heading", name=f"Register for {convening.title}").wait_for()
    _register(page, "Ana Ruiz", "ana@example.org")
    page.get_by_text("Ana Ruiz is registered").wait_for()
    page.locator("section").filter(has_text=convening.title).get_by_role(
        "link", name="Register an attendee"
    ).click()
    _register(page, "Bo Chen", "bo@example.org")
    page.get_by_text("Bo Chen is registered").wait_for()

    section = page.locator("section").filter(has_text=convening.title)
    assert "Included seats: 2 of 2 used, 0 left." in section.inner_text()
    section.get_by_role("link", name="Register an attendee").click()
    _register(page, "Cy Diaz", "cy@example.org")
    offer = page.get_by_role("alert")
    assert "used its 2 included seats" in offer.inner_text()
    assert "An extra seat costs 450.00 USD" in offer.inner_text()
    offer.get_by_role("link", name="No, thanks").click()

    section = page.locator("section").filter(has_text=convening.title)
    section.get_by_role("button", name="Cancel Bo Chen").click()
    page.get_by_text("The registration of Bo Chen is cancelled").wait_for()
    section = page.locator("section").filter(has_text=convening.title)
    assert "Included seats: 1 of 2 used, 1 left." in section.inner_text()
    assert section.get_by_role("link", name="Register an attendee").is_visible()

    statuses = dict(
        Registration.objects.filter(
            convening=convening, ecosystem__slug="boston-stem-ecosystem"
        ).values_list("attendee_email", "status")
    )
    assert statuses == {"ana@example.org": "confirmed", "bo@example.org": "cancelled"}


def test_door_check_in_on_a_phone(browser_page):
    from django.contrib.auth.models import Group

    from tests.convenings.factories import ConveningFactory, attendee, register
    from tests.factories import PASSWORD, EcosystemFactory, UserFactory, make_in_good_standing

    convening = ConveningFactory()
    ecosystem = EcosystemFactory(name="Tulsa Regional STEM Alliance")
    make_in_good_standing(ecosystem)
    arriving = register(convening, ecosystem, attendee=attendee("Maya Angelou"))
    register(convening, ecosystem, attendee=attendee("Other Person"))
    staff = UserFactory(is_staff=True, email="door@example.org")
    staff.groups.add(Group.objects.get(name="Stewardship team"))

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "door@example.org", PASSWORD)
    page.goto(f"/staff/convenings/{convening.slug}/check-in/")
    page.get_by_label("Name, email or ecosystem").fill("maya")
    page.get_by_role("button", name="Search").click()
    assert "Other Person" not in page.content()
    button = page.get_by_role("button", name="Check in Maya Angelou")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390  # a thumb-sized target
    button.click()
    page.get_by_text("Maya Angelou checked in.").wait_for()
    assert page.get_by_label("Name, email or ecosystem").input_value() == "maya"
    arriving.refresh_from_db()
    assert arriving.checked_in_at is not None
