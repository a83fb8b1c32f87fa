"""Joining SLECoP (issue 10): the public application, duplicates, spam-like input, and
staff approval (ecosystem, coach, lead invitation, first-year dues invoice) or decline."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import (
    AuditEntry,
    Ecosystem,
    Invitation,
    Invoice,
    JoinApplication,
    Onboarding,
)
from members.onboarding.services import joining
from slecop.errors import Conflict, DomainError
from tests.factories import EcosystemFactory, UserFactory, region
from tests.members.factories_services import JoinApplicationFactory

pytestmark = pytest.mark.django_db

JOIN = "/join/"


def form_data(**overrides):
    data = {
        "ecosystem_name": "Tri-County STEM Ecosystem",
        "region": region("south").pk,
        "city": "Chattanooga",
        "state_province": "TN",
        "country": "United States",
        "website": "tristem.example.org",
        "lead_first_name": "Grace",
        "lead_last_name": "Hopper",
        "lead_email": "Grace@Example.org",
        "lead_organization": "Tri-County Museum",
        "partners": "Hamilton County Schools\nTri-County Museum",
        "why": "We want to learn from peers.",
    }
    return {**data, **overrides}


def test_public_application_is_stored_and_acknowledged(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    assert client.get(JOIN).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, form_data())
    assert response.status_code == 302 and response.url == reverse("members:join_thanks")
    application = JoinApplication.objects.get()
    assert (application.status, application.lead_email) == ("pending", "grace@example.org")
    assert application.website == "https://tristem.example.org"
    assert application.partner_names == ["Hamilton County Schools", "Tri-County Museum"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["grace@example.org", settings.STAFF_NOTIFICATION_EMAIL]
    )
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"ecosystem_name": "  tri-county   stem ECOSYSTEM "},
            "ecosystem_name",
            "already been received",
        ),
        (
            {"ecosystem_name": "Other", "lead_email": "GRACE@example.ORG"},
            "lead_email",
            "already been received",
        ),
    ],
)
def test_duplicate_applications_are_caught_with_a_clear_message(client, overrides, field, message):
    client.post(JOIN, form_data())
    response = client.post(JOIN, form_data(**{"lead_email": "someone@example.org", **overrides}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in str(errors[field])
    assert JoinApplication.objects.count() == 1


def test_an_existing_ecosystem_is_a_duplicate_but_another_region_is_not(client):
    EcosystemFactory(name="Tri-County STEM Ecosystem", region=region("south"))
    response = client.post(JOIN, form_data())
    assert response.status_code == 400
    assert "already a SLECoP ecosystem" in str(response.context["form"].errors["ecosystem_name"])
    response = client.post(JOIN, form_data(region=region("west").pk))
    assert response.status_code == 302


def test_a_declined_application_does_not_block_a_new_one(staff_user):
    application = JoinApplicationFactory(lead_email="x@example.org", ecosystem_name="Again")
    joining.join_application_decline(
        acting_user=staff_user, application=application, reason="Not yet an ecosystem"
    )
    again = joining.join_application_submit(
        region=application.region,
        ecosystem_name="again",
        lead_email="X@example.org",
        lead_first_name="A",
        lead_last_name="B",
        partners="P",
        why="We grew.",
    )
    assert again.status == "pending"


def test_the_database_backs_duplicate_detection():
    from django.db import IntegrityError, transaction

    JoinApplicationFactory(ecosystem_name="Same", lead_email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinApplicationFactory(ecosystem_name="SAME", lead_email="b@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinApplicationFactory(ecosystem_name="Different", lead_email="A@example.org")


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_spam_like_input_is_refused_when_too_long_and_otherwise_stored_and_shown_escaped(
    client, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    response = client.post(JOIN, form_data(why="buy now " * 1000, partners="x" * 5000))
    assert response.status_code == 400
    assert {"why", "partners"} <= set(response.context["form"].errors)
    response = client.post(JOIN, form_data(ecosystem_name="A" * 201))
    assert response.status_code == 400 and not JoinApplication.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(JOIN, form_data(ecosystem_name=f"Spam {SCRIPT}", why=SCRIPT, partners=SCRIPT))
    application = JoinApplication.objects.get()
    assert application.why == SCRIPT  # stored as typed, never "cleaned" into something else
    client.force_login(staff_user)
    for url in (
        reverse("admin:members_joinapplication_change", args=[application.pk]),
        reverse("admin:members_joinapplication_changelist"),
        reverse("admin:members_joinapplication_approve", args=[application.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
    staff_mail = next(m for m in mailoutbox if "review" in m.subject)
    assert "<script>" not in staff_mail.alternatives[0][0]


# --- review ---------------------------------------------------------------------------------


def test_approval_creates_the_ecosystem_invites_the_lead_and_opens_dues(
    staff_user, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    application = JoinApplicationFactory(
        ecosystem_name="Prairie STEM", lead_email="ada@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ecosystem = joining.join_application_approve(
            acting_user=staff_user, application=application, coach=steward_user
        )
    year = timezone.localdate().year
    assert (ecosystem.status, ecosystem.cohort_year, ecosystem.region) == (
        "onboarding",
        year,
        application.region,
    )
    assert ecosystem.slug == "prairie-stem" and ecosystem.city == "Omaha"
    onboarding = Onboarding.objects.get(ecosystem=ecosystem)
    assert (onboarding.coach, onboarding.cohort_year) == (steward_user, year)
    invitation = Invitation.objects.get(ecosystem=ecosystem)
    assert (invitation.email, invitation.role, invitation.is_pending) == (
        "ada@example.org",
        "lead",
        True,
    )
    invoice = Invoice.objects.get(ecosystem=ecosystem)
    assert (invoice.kind, invoice.status, invoice.membership_year.year) == ("dues", "open", year)
    application.refresh_from_db()
    assert (application.status, application.ecosystem, application.reviewed_by) == (
        "approved",
        ecosystem,
        staff_user,
    )
    actions = set(AuditEntry.objects.filter(ecosystem=ecosystem).values_list("action", flat=True))
    assert {
        "ecosystem.created",
        "join_application.approved",
        "invitation.created",
        "invoice.opened",
    } <= actions
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]  # the invitation
    assert invitation.get_absolute_url() in mailoutbox[0].body


def test_approval_rules(staff_user, steward_user):
    application = JoinApplicationFactory()
    with pytest.raises(DomainError):  # a coach is stewardship team or staff
        joining.join_application_approve(
            acting_user=staff_user, application=application, coach=UserFactory()
        )
    assert not Ecosystem.objects.exists()
    joining.join_application_approve(
        acting_user=staff_user, application=application, coach=steward_user
    )
    with pytest.raises(Conflict):
        joining.join_application_approve(
            acting_user=staff_user, application=application, coach=steward_user
        )
    with pytest.raises(Conflict):
        joining.join_application_decline(
            acting_user=staff_user, application=application, reason="x"
        )


def test_approval_refused_when_the_ecosystem_appeared_meanwhile(staff_user, steward_user):
    application = JoinApplicationFactory(ecosystem_name="Late")
    EcosystemFactory(name="LATE", region=application.region)
    with pytest.raises(Conflict):
        joining.join_application_approve(
            acting_user=staff_user, application=application, coach=steward_user
        )
    application.refresh_from_db()
    assert application.status == "pending" and not Invitation.objects.exists()


def test_a_taken_slug_gets_a_suffix(staff_user, steward_user):
    EcosystemFactory(name="Prairie STEM", slug="prairie-stem", region=region("west"))
    application = JoinApplicationFactory(ecosystem_name="Prairie STEM")
    ecosystem = joining.join_application_approve(
        acting_user=staff_user, application=application, coach=steward_user
    )
    assert ecosystem.slug == "prairie-stem-2"


def test_staff_approve_and_decline_in_the_admin(
    client, staff_user, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    first, second = JoinApplicationFactory(), JoinApplicationFactory()
    change = reverse("admin:members_joinapplication_change", args=[first.pk])
    approve = reverse("admin:members_joinapplication_approve", args=[first.pk])
    assert approve in client.get(change).content.decode()
    assert client.post(approve, {"coach": UserFactory().pk}).status_code == 400
    response = client.post(approve, {"coach": steward_user.pk, "cohort_year": 2027})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "approved" and first.ecosystem.cohort_year == 2027
    decline = reverse("admin:members_joinapplication_decline", args=[second.pk])
    assert client.post(decline, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decline, {"reason": "Please apply with partners"}).status_code == 302
    second.refresh_from_db()
    assert second.status == "declined"
    assert mailoutbox[-1].to == [second.lead_email] and "Please apply" in mailoutbox[-1].body
