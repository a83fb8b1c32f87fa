"""Practice groups: proposed by a member, invisible until the Stewardship team approves
them in the admin, then joined (twice does nothing) and left."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import PracticeGroup, PracticeGroupMembership
from governance.services import (
    practice_group_approve,
    practice_group_join,
    practice_group_leave,
    practice_group_propose,
)
from members.models import AuditEntry
from slecop.errors import Conflict, NotAllowed
from tests.factories import UserFactory, make_member

from .factories import PracticeGroupFactory

pytestmark = pytest.mark.django_db

PROPOSE = reverse("governance:practice_group_propose")
LIST = reverse("governance:practice_group_list")


def _propose(client, on_behalf_of, **changes):
    data = {
        "name": "Rural Ecosystems",
        "topic": "Partnerships across long distances",
        "description": "We meet monthly online.",
        "ecosystem": on_behalf_of.slug,
        **changes,
    }
    return client.post(PROPOSE, data)


def _admin_action(client, action, group):
    return client.post(
        reverse("admin:governance_practicegroup_changelist"),
        {"action": action, "_selected_action": [group.pk]},
    )


def test_a_proposal_is_invisible_until_the_stewardship_team_approves_it(
    client,
    ecosystem,
    member,
    other_lead,
    steward_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(client, ecosystem)
    group = PracticeGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.status == "pending" and group.ecosystem == ecosystem
    assert PracticeGroupMembership.objects.get(group=group).person == member
    # the stewardship team is asked to review it, with the proposer's ecosystem named
    review = mailoutbox[0]
    assert steward_user.email in review.to
    assert ecosystem.name in review.subject and "Rural Ecosystems" in review.body
    assert reverse("admin:governance_practicegroup_change", args=[group.pk]) in review.body
    # the proposer sees it, marked as awaiting approval
    assert client.get(group.get_absolute_url()).status_code == 200
    assert "Rural Ecosystems" in client.get(LIST).content.decode()

    client.force_login(other_lead)
    assert client.get(group.get_absolute_url()).status_code == 404
    assert "Rural Ecosystems" not in client.get(LIST).content.decode()
    join = reverse("governance:practice_group_join", kwargs={"slug": group.slug})
    assert client.post(join).status_code == 404
    client.logout()
    assert client.get(group.get_absolute_url()).status_code == 404

    client.force_login(steward_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _admin_action(client, "approve", group).status_code == 302
    group.refresh_from_db()
    assert group.status == "approved" and group.reviewed_by == steward_user
    assert mailoutbox[-1].to == [member.email] and "approved" in mailoutbox[-1].subject
    assert AuditEntry.objects.filter(action="governance.practice_group_approved").exists()

    client.logout()
    assert client.get(group.get_absolute_url()).status_code == 200
    assert "Rural Ecosystems" in client.get(LIST).content.decode()


def test_joining_twice_does_nothing_and_leaving_works(client, ecosystem, member):
    group = PracticeGroupFactory()
    client.force_login(member)
    join = reverse("governance:practice_group_join", kwargs={"slug": group.slug})
    leave = reverse("governance:practice_group_leave", kwargs={"slug": group.slug})
    assert client.post(join).status_code == 302
    assert client.post(join).status_code == 302
    assert group.memberships.filter(person=member).count() == 1
    first = group.memberships.get(person=member)
    assert practice_group_join(acting_user=member, group=group) == first
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Leave this group" in page

    assert client.post(leave).status_code == 302
    assert not group.memberships.filter(person=member).exists()
    practice_group_leave(acting_user=member, group=group)  # leaving twice: nothing
    assert group.memberships.count() == 1  # the chair stays


def test_joining_needs_an_ecosystem_and_an_open_group(client, ecosystem, member):
    stranger = UserFactory()
    group = PracticeGroupFactory()
    with pytest.raises(NotAllowed):
        practice_group_join(acting_user=stranger, group=group)
    closed = PracticeGroupFactory(status="closed")
    with pytest.raises(Conflict):
        practice_group_join(acting_user=member, group=closed)
    client.force_login(member)
    response = client.post(
        reverse("governance:practice_group_join", kwargs={"slug": closed.slug}), follow=True
    )
    assert "not open for new members" in response.content.decode()
    assert not closed.memberships.filter(person=member).exists()
    anonymous = client.__class__()
    login = anonymous.post(reverse("governance:practice_group_join", kwargs={"slug": group.slug}))
    assert login.status_code == 302 and login["Location"].startswith(reverse("account_login"))


def test_the_only_chair_names_a_co_chair_before_leaving(client, ecosystem, lead, member):
    group = practice_group_propose(acting_user=lead, name="CS for All", topic="Computer science")
    practice_group_approve(acting_user=None, group=group)
    practice_group_join(acting_user=member, group=group)
    with pytest.raises(Conflict):
        practice_group_leave(acting_user=lead, group=group)
    client.force_login(member)  # a plain member cannot name chairs
    membership = group.memberships.get(person=member)
    co_chair = reverse(
        "governance:practice_group_make_chair", kwargs={"slug": group.slug, "pk": membership.pk}
    )
    client.post(co_chair)
    assert group.memberships.get(person=member).role == "member"
    client.force_login(lead)
    client.post(co_chair)
    assert group.memberships.get(person=member).role == "chair"
    practice_group_leave(acting_user=lead, group=group)
    assert list(group.memberships.values_list("person", flat=True)) == [member.pk]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "!!!"}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"topic": ""}, "topic"),
        ({"topic": "t" * 201}, "topic"),
        ({"description": "d" * 4001}, "description"),
        ({"ecosystem": "someone-elses-ecosystem"}, "ecosystem"),
        ({"name": "computer science FOR all"}, "name"),  # taken
    ],
)
def test_bad_proposals_are_form_errors(client, ecosystem, other_ecosystem, member, changes, field):
    PracticeGroupFactory(name="Computer Science for All")
    if changes.get("ecosystem") == "someone-elses-ecosystem":
        changes["ecosystem"] = other_ecosystem.slug
    client.force_login(member)
    response = _propose(client, ecosystem, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert PracticeGroup.objects.count() == 1


def test_people_outside_any_ecosystem_cannot_propose(client):
    client.force_login(UserFactory())
    assert client.get(PROPOSE).status_code == 403
    assert client.post(PROPOSE, {"name": "X", "topic": "Y"}).status_code == 403
    assert not PracticeGroup.objects.exists()
    client.logout()
    assert client.get(PROPOSE)["Location"].startswith(reverse("account_login"))


def test_a_declined_proposal_tells_the_proposer_and_frees_the_name(
    client, ecosystem, member, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    group = practice_group_propose(acting_user=member, name="Robotics", topic="Robot leagues")
    group.review_note = "Please join the existing CS group instead."
    group.save()
    client.force_login(steward_user)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_action(client, "decline", group)
    group.refresh_from_db()
    assert group.status == "declined"
    assert mailoutbox[-1].to == [member.email]
    assert "join the existing CS group" in mailoutbox[-1].body
    again = practice_group_propose(acting_user=member, name="Robotics", topic="Robot leagues")
    assert again.slug == "robotics-2"


def test_only_reviewers_can_approve(member, ecosystem):
    group = practice_group_propose(acting_user=member, name="Makerspaces", topic="Making")
    with pytest.raises(NotAllowed):
        practice_group_approve(acting_user=member, group=group)
    group.refresh_from_db()
    assert group.status == "pending"


def test_slugs_avoid_the_propose_url(ecosystem):
    person = make_member(ecosystem)
    group = practice_group_propose(acting_user=person, name="Propose", topic="Meta")
    assert group.slug == "propose-2"
    assert not PracticeGroup.objects.filter(slug="propose").exists()
