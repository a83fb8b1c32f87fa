"""Issue 22, item 2 (roles): staff made themselves a lead of any ecosystem and cast its
ballot. Staff cannot grant a role to their own account, and every role change made by
someone else emails the person and the ecosystem's leads — through the role services,
so the admin and every other path obey it (audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import AuditEntry, EcosystemRole
from members.services import (
    ecosystem_role_remove,
    ecosystem_role_set,
    invitation_accept,
    invitation_create,
)
from slecop.errors import NotAllowed
from tests.factories import UserFactory, make_lead

pytestmark = pytest.mark.django_db


def _add_role(client, user, ecosystem, role="lead"):
    return client.post(
        reverse("admin:members_ecosystemrole_add"),
        {"user": user.pk, "ecosystem": ecosystem.pk, "role": role},
    )


def test_staff_cannot_make_themselves_a_lead_in_the_admin(client, staff_user, ecosystem, lead):
    client.force_login(staff_user)
    response = _add_role(client, staff_user, ecosystem)
    assert response.status_code == 200  # the form again, with the reason
    assert "cannot grant a role to your own account" in response.content.decode()
    assert not EcosystemRole.objects.filter(user=staff_user).exists()
    assert not staff_user.has_perm("members.act_for_ecosystem", ecosystem)


def test_no_path_lets_staff_grant_themselves_a_role(staff_user, superuser, ecosystem, lead):
    for actor in (staff_user, superuser):
        for role in ("lead", "member"):
            with pytest.raises(NotAllowed):
                ecosystem_role_set(acting_user=actor, ecosystem=ecosystem, user=actor, role=role)
    assert not EcosystemRole.objects.filter(user__in=[staff_user, superuser]).exists()
    # nor through an invitation they sent themselves
    invitation = invitation_create(
        acting_user=superuser, ecosystem=ecosystem, email=superuser.email, role="lead"
    )
    with pytest.raises(NotAllowed):
        invitation_accept(invitation=invitation, user=superuser)
    assert not EcosystemRole.objects.filter(user=superuser).exists()


def test_only_a_superuser_changes_the_roles_of_a_staff_account(
    client, staff_user, steward_user, superuser, ecosystem, lead
):
    client.force_login(staff_user)
    response = _add_role(client, steward_user, ecosystem)
    assert "Only a superuser" in response.content.decode()
    assert not EcosystemRole.objects.filter(user=steward_user).exists()
    ecosystem_role_set(acting_user=superuser, ecosystem=ecosystem, user=steward_user, role="member")
    membership = EcosystemRole.objects.get(user=steward_user)
    with pytest.raises(NotAllowed):
        ecosystem_role_remove(acting_user=staff_user, membership=membership)
    # a lead of the ecosystem manages its people, whoever they are
    ecosystem_role_remove(acting_user=lead, membership=membership)
    assert not EcosystemRole.objects.filter(user=steward_user).exists()


def test_a_role_granted_by_staff_emails_the_person_and_the_leads(
    client, staff_user, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    other_lead = make_lead(ecosystem)
    person = UserFactory(email="new.person@example.org")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _add_role(client, person, ecosystem).status_code == 302
    (mail,) = mailoutbox
    assert set(mail.to) == {person.email, lead.email, other_lead.email}
    assert ecosystem.name in mail.subject and "Lead" in mail.subject
    assert staff_user.display_name in mail.body and "#people" in mail.body
    entry = AuditEntry.objects.get(action="role.granted", actor=staff_user)
    assert entry.after == {"user": person.email, "role": "lead"}


def test_every_path_emails_a_change_made_by_someone_else_and_only_that(
    ecosystem, lead, member, mailoutbox, django_capture_on_commit_callbacks
):
    second = make_lead(ecosystem)
    with django_capture_on_commit_callbacks(execute=True):
        # a lead promotes a member from the people page's service
        ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=member, role="lead")
    (promoted,) = mailoutbox
    assert member.email in promoted.to and second.email in promoted.to
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # a lead who steps down themselves: their own doing, no email
        ecosystem_role_set(acting_user=second, ecosystem=ecosystem, user=second, role="member")
        # the system (a data migration, the demo): no person acted
        ecosystem_role_set(acting_user=None, ecosystem=ecosystem, user=UserFactory(), role="member")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        membership = EcosystemRole.objects.get(user=second)
        ecosystem_role_remove(acting_user=lead, membership=membership)
    (removed,) = mailoutbox
    assert second.email in removed.to and "removed" in removed.subject


def test_the_people_page_obeys_the_same_rules(
    client, ecosystem, lead, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    url = reverse(
        "members:role_change",
        kwargs={"ecosystem": ecosystem.slug, "pk": member.ecosystem_roles.get().pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"role": "lead"})
    assert EcosystemRole.objects.get(user=member).role == "lead"
    assert [set(m.to) for m in mailoutbox] == [{member.email, lead.email}]


def test_a_staff_member_invited_by_a_lead_can_accept(staff_user, ecosystem, lead):
    invitation = invitation_create(
        acting_user=lead, ecosystem=ecosystem, email=staff_user.email, role="member"
    )
    membership = invitation_accept(invitation=invitation, user=staff_user)
    assert membership.role == "member"
