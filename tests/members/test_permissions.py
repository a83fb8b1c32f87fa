"""Leads see and act only for their own ecosystem; roles drive guardian permissions."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from members.models import AuditEntry, EcosystemRole, Invitation
from members.services import ecosystem_role_remove, ecosystem_role_set, invitation_create
from slecop.errors import Conflict
from tests.factories import UserFactory, make_lead, make_member
from tests.urlwalk import ecosystem_routes, fill

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        AuditEntry.objects.count(),
        EcosystemRole.objects.count(),
        Invitation.objects.count(),
        list(EcosystemRole.objects.values_list("pk", "role").order_by("pk")),
    )


def test_every_ecosystem_scoped_url_refuses_another_ecosystems_lead(
    client, lead, other_ecosystem, other_lead
):
    invitation = invitation_create(
        acting_user=other_lead, ecosystem=other_ecosystem, email="x@example.org", role="member"
    )
    other_role = EcosystemRole.objects.get(user=other_lead)
    values = {"ecosystem": other_ecosystem.slug}
    per_route = {
        "members:role_change": {"pk": other_role.pk},
        "members:role_remove": {"pk": other_role.pk},
        "members:invitation_revoke": {"pk": invitation.pk},
    }
    routes = ecosystem_routes()
    assert {"members:dashboard", "members:profile_edit", "members:invite"} <= {
        r.name for r in routes
    }
    client.force_login(lead)
    before = _snapshot()
    for route in routes:
        url = fill(route, {**values, **per_route.get(route.name, {})})
        for method in (client.get, client.post):
            response = method(url, {"role": "lead", "name": "Hijacked", "email": "a@b.org"})
            assert response.status_code in (403, 404, 405), (route.name, method, response)
    assert _snapshot() == before
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_anonymous_is_sent_to_sign_in_for_ecosystem_pages(client, ecosystem):
    for route in ecosystem_routes():
        response = client.get(fill(route, {"ecosystem": ecosystem.slug}))
        assert response.status_code in (302, 404, 405), route.name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))


def test_member_can_view_but_not_edit(client, ecosystem, member):
    client.force_login(member)
    assert client.get(ecosystem.get_dashboard_url()).status_code == 200
    edit = reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug})
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"name": "Changed by member"})
    assert response.status_code == 403
    ecosystem.refresh_from_db()
    assert ecosystem.name != "Changed by member"
    invite = reverse("members:invite", kwargs={"ecosystem": ecosystem.slug})
    assert client.post(invite, {"email": "z@example.org", "role": "lead"}).status_code == 403
    assert not Invitation.objects.exists()


def test_role_changes_grant_and_revoke_object_permissions_with_audit(ecosystem, lead):
    person = UserFactory()
    assert not person.has_perm("members.view_ecosystem", ecosystem)

    ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=person, role="member")
    person = type(person).objects.get(pk=person.pk)  # fresh permission cache
    assert person.has_perm("members.view_ecosystem", ecosystem)
    assert not person.has_perm("members.act_for_ecosystem", ecosystem)

    ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=person, role="lead")
    person = type(person).objects.get(pk=person.pk)
    assert person.has_perm("members.act_for_ecosystem", ecosystem)

    membership = EcosystemRole.objects.get(user=person, ecosystem=ecosystem)
    ecosystem_role_remove(acting_user=lead, membership=membership)
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("members.view_ecosystem", ecosystem)
    assert not person.has_perm("members.act_for_ecosystem", ecosystem)

    entries = AuditEntry.objects.filter(object_repr__contains=str(person)).order_by("id")
    assert [e.action for e in entries] == ["role.granted", "role.changed", "role.revoked"]
    assert entries[1].before == {"user": person.email, "role": "member"}
    assert entries[1].after == {"user": person.email, "role": "lead"}
    assert all(e.actor == lead and e.ecosystem == ecosystem for e in entries)


def test_permissions_do_not_leak_to_other_ecosystems(ecosystem, lead, other_ecosystem):
    assert lead.has_perm("members.act_for_ecosystem", ecosystem)
    assert not lead.has_perm("members.act_for_ecosystem", other_ecosystem)
    assert not lead.has_perm("members.view_ecosystem", other_ecosystem)


def test_last_lead_cannot_be_removed_or_demoted(ecosystem, lead):
    membership = EcosystemRole.objects.get(user=lead)
    with pytest.raises(Conflict):
        ecosystem_role_remove(acting_user=lead, membership=membership)
    with pytest.raises(Conflict):
        ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=lead, role="member")
    assert lead.has_perm("members.act_for_ecosystem", ecosystem)


def test_lead_changes_roles_from_the_dashboard(client, ecosystem, lead, member):
    client.force_login(lead)
    membership = EcosystemRole.objects.get(user=member)
    url = reverse("members:role_change", kwargs={"ecosystem": ecosystem.slug, "pk": membership.pk})
    assert client.post(url, {"role": "lead"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "lead"
    # bad input: a form error message, no change, no 500
    response = client.post(url, {"role": "owner"}, follow=True)
    assert response.status_code == 200
    assert "Choose lead or member" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_removing_the_last_lead_from_the_dashboard_explains_why(client, ecosystem, lead):
    client.force_login(lead)
    membership = EcosystemRole.objects.get(user=lead)
    url = reverse("members:role_remove", kwargs={"ecosystem": ecosystem.slug, "pk": membership.pk})
    response = client.post(url, follow=True)
    assert "only lead" in response.content.decode()
    assert EcosystemRole.objects.filter(pk=membership.pk).exists()


def test_staff_group_can_view_any_ecosystem_but_not_act(client, staff_user, ecosystem):
    client.force_login(staff_user)
    assert client.get(ecosystem.get_dashboard_url()).status_code == 200
    edit = reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug})
    assert client.get(edit).status_code == 403


def test_my_ecosystem_lists_only_own_ecosystems(client, ecosystem, other_ecosystem):
    person = make_lead(ecosystem)
    second = type(other_ecosystem).objects.create(
        name="Second", slug="second", region=ecosystem.region, status="active"
    )
    ecosystem_role_set(acting_user=None, ecosystem=second, user=person, role="member")
    client.force_login(person)
    response = client.get(reverse("members:my_ecosystem"))
    assert response.status_code == 200
    assert list(response.context["ecosystems"]) == [second, ecosystem]
    assert other_ecosystem.name not in response.content.decode()


def _agree(people, ecosystems):
    """For each person and ecosystem, the role-table answer (what every ecosystem page
    uses) and guardian's object permissions say the same: who may act, who may view."""
    from guardian.core import ObjectPermissionChecker

    from members.permissions import ecosystem_access, ecosystem_and_access

    answers = set()
    for person in people:
        person = type(person).objects.get(pk=person.pk)  # a fresh request's user
        for eco in ecosystems:
            guardian = ObjectPermissionChecker(person)
            access = ecosystem_access(person, eco)
            assert access == ecosystem_and_access(person, eco.slug)[1], (person, eco)
            assert access.can_act == guardian.has_perm("act_for_ecosystem", eco), (person, eco)
            assert access.can_view == (
                guardian.has_perm("view_ecosystem", eco)
                or person.has_perm("members.view_ecosystem")
            ), (person, eco)
            answers.add(access)
    return answers


def test_the_role_table_and_guardian_agree_for_every_role_and_role_service(
    ecosystem, other_ecosystem, lead, staff_user
):
    """Leads act and view, members view, staff view, others nothing; after every role
    service (invite and accept, grant, promote, demote, remove) both answers still agree,
    and a revoked lead loses access on the next request."""
    from members.permissions import NO_ACCESS
    from members.services import invitation_accept

    newcomer, superuser = UserFactory(), UserFactory(is_superuser=True)
    people = [lead, newcomer, staff_user, superuser, UserFactory(is_active=False)]
    ecosystems = (ecosystem, other_ecosystem)
    assert len(_agree(people, ecosystems)) >= 3  # nothing, view only, view and act
    invitation = invitation_create(
        acting_user=lead, ecosystem=ecosystem, email=newcomer.email, role="member"
    )
    invitation_accept(invitation=invitation, user=newcomer)
    _agree(people, ecosystems)
    for role in ("lead", "member"):
        ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=newcomer, role=role)
        _agree(people, ecosystems)
    ecosystem_role_set(acting_user=None, ecosystem=other_ecosystem, user=newcomer, role="lead")
    _agree(people, ecosystems)
    ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=newcomer, role="lead")
    membership = EcosystemRole.objects.get(ecosystem=ecosystem, user=newcomer)
    ecosystem_role_remove(acting_user=lead, membership=membership)
    assert _agree([newcomer], (ecosystem,)) == {NO_ACCESS}


def test_a_revoked_lead_loses_access_on_the_next_request(client, ecosystem, lead):
    second = make_lead(ecosystem)
    client.force_login(second)
    page = ecosystem.get_dashboard_url()
    assert client.get(page).status_code == 200
    membership = EcosystemRole.objects.get(ecosystem=ecosystem, user=second)
    ecosystem_role_remove(acting_user=lead, membership=membership)
    assert client.get(page).status_code == 403


def test_an_ecosystem_page_checks_access_in_one_query(
    ecosystem, lead, rf, django_assert_num_queries
):
    """Resolving the ecosystem (with its region) and the lead's access costs one query
    (the ecosystem with the user's role from the role table)."""
    from django.http import HttpResponse

    from members.permissions import ecosystem_view

    @ecosystem_view("act")
    def view(request, ecosystem):
        return HttpResponse(f"{request.ecosystem_access.can_act} {ecosystem.region.name}")

    request = rf.get("/")
    request.user = type(lead).objects.get(pk=lead.pk)
    with django_assert_num_queries(1):
        response = view(request, ecosystem=ecosystem.slug)
    assert response.content.decode() == f"True {ecosystem.region.name}"
    with django_assert_num_queries(1), pytest.raises(Http404):
        view(request, ecosystem="no-such-ecosystem")


def test_ecosystem_and_access_answers_as_the_two_lookups(ecosystem, other_ecosystem, lead):
    """The slug lookup with the user's role gives the same ecosystem, region and access as
    the ORM lookup and ecosystem_access, for grants to the user, to a group, both, none,
    superusers."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from members.models import Ecosystem
    from members.permissions import ecosystem_access, ecosystem_and_access

    grouped = UserFactory()
    group = Group.objects.create(name="Viewers")
    grouped.groups.add(group)
    assign_perm("members.view_ecosystem", group, other_ecosystem)
    both = make_lead(other_ecosystem)
    both.groups.add(group)
    assign_perm("members.view_ecosystem", group, ecosystem)
    for person in (lead, make_member(ecosystem), grouped, both, UserFactory(is_superuser=True)):
        person = type(person).objects.get(pk=person.pk)
        for eco in (ecosystem, other_ecosystem):
            found, access = ecosystem_and_access(person, eco.slug)
            expected = Ecosystem.objects.select_related("region").get(pk=eco.pk)
            assert access == ecosystem_access(person, expected), (person, eco)
            assert {f.attname: getattr(found, f.attname) for f in Ecosystem._meta.fields} == {
                f.attname: getattr(expected, f.attname) for f in Ecosystem._meta.fields
            }
            assert found.region == expected.region and found.region.name == expected.region.name
            assert not found._state.adding and not found.region._state.adding


def test_holds_a_role_answers_as_the_roles_do(ecosystem, lead, member, staff_user):
    """Leads and members hold a role; staff, a removed member, an inactive lead and the
    anonymous visitor do not (the network dashboard and the library ask it)."""
    from django.contrib.auth.models import AnonymousUser

    from members.permissions import holds_a_role

    assert holds_a_role(lead) and holds_a_role(member)
    assert not holds_a_role(staff_user) and not holds_a_role(AnonymousUser())
    ecosystem_role_remove(
        acting_user=lead, membership=EcosystemRole.objects.get(ecosystem=ecosystem, user=member)
    )
    assert not holds_a_role(member)
    lead.is_active = False
    assert not holds_a_role(lead)
