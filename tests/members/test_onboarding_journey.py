"""Issue 10's whole path, through the pages: join → approve → invite → onboard → active."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members.models import AuditEntry, Ecosystem, EcosystemRole, Invoice, JoinApplication
from members.onboarding import checklist_items
from tests.factories import region
from tests.members.dues_helpers import checkout_event, deliver, simulated_session

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("simulator", "members_checks_only"),
]


def invitation_link(mailoutbox) -> str:
    mail = next(m for m in mailoutbox if m.to == ["maya@example.org"] and "/invitations/" in m.body)
    return re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", mail.body).group(1)


def test_join_approve_invite_onboard_active(
    client, staff_user, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    # 1. a prospective ecosystem applies on the public form
    response = client.post(
        "/join/",
        {
            "ecosystem_name": "Gulf Coast STEM Network",
            "region": region("south").pk,
            "city": "Mobile",
            "state_province": "AL",
            "country": "United States",
            "lead_first_name": "Maya",
            "lead_last_name": "Angel",
            "lead_email": "maya@example.org",
            "partners": "Mobile County Schools\nGulf Coast Exploreum",
            "why": "Connect our partners with peers.",
        },
    )
    assert response.status_code == 302
    application = JoinApplication.objects.get()

    # 2. staff approve it in the admin, with a stewardship coach
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:members_joinapplication_approve", args=[application.pk]),
            {"coach": steward_user.pk},
        )
    assert response.status_code == 302
    ecosystem = Ecosystem.objects.get(name="Gulf Coast STEM Network")
    assert ecosystem.status == "onboarding"
    client.logout()

    # 3. the applicant follows the invitation, creates an account and lands on My ecosystem
    response = client.post(
        invitation_link(mailoutbox),
        {
            "first_name": "Maya",
            "last_name": "Angel",
            "password1": "a-long-unique-passphrase-42",
            "password2": "a-long-unique-passphrase-42",
        },
    )
    assert response.status_code == 302 and response.url == ecosystem.get_dashboard_url()
    assert EcosystemRole.objects.get(ecosystem=ecosystem).role == "lead"
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Onboarding checklist" in html and "0 of 6 done" in html

    # 4. the lead completes the profile and lists partners …
    response = client.post(
        reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug}),
        {
            "name": ecosystem.name,
            "city": "Mobile",
            "state_province": "AL",
            "country": "United States",
            "founded_year": "2019",
            "website": "",
            "description": "Schools, museums and employers around Mobile Bay.",
            "partners-TOTAL_FORMS": "2",
            "partners-INITIAL_FORMS": "0",
            "partners-0-name": "Mobile County Schools",
            "partners-0-sector": "schools",
            "partners-1-name": "Gulf Coast Exploreum",
            "partners-1-sector": "museum",
        },
    )
    assert response.status_code == 302
    # … and pays the first-year dues by card (the webhook path)
    invoice = Invoice.objects.get(ecosystem=ecosystem, kind="dues")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, checkout_event(simulated_session(invoice))).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "3 of 6 done" in html  # profile, partners, dues (the rest: other apps or the coach)

    # 5. the coach ticks the items the portal cannot see; the last one activates it
    client.force_login(steward_user)
    tick = reverse("members:onboarding_tick", kwargs={"slug": ecosystem.slug})
    with django_capture_on_commit_callbacks(execute=True):
        for item in checklist_items():
            if not item.automatic:
                assert client.post(tick, {"key": item.key, "done": "on"}).status_code == 302
    ecosystem.refresh_from_db()
    assert ecosystem.status == "active"
    assert AuditEntry.objects.filter(ecosystem=ecosystem, action="ecosystem.activated").exists()
    done_mail = mailoutbox[-1]
    assert done_mail.to == ["maya@example.org"] and "completed onboarding" in done_mail.subject
