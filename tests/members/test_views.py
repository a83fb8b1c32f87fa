"""Pages of the members app: directory, dashboard, profile edit, invitations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import AuditEntry, Ecosystem, EcosystemRole, Invitation, PartnerOrganization
from tests.factories import (
    PASSWORD,
    EcosystemFactory,
    PartnerFactory,
    UserFactory,
    make_lead,
    region,
)
from tests.members.dashboard_helpers import assert_within_dashboard_budget, dashboard_queries

pytestmark = pytest.mark.django_db


def _directory(client, params=""):
    return client.get(reverse("members:directory") + params)


@pytest.mark.parametrize("count", [10, 200])
def test_directory_runs_a_constant_number_of_queries(client, count, django_assert_max_num_queries):
    EcosystemFactory.create_batch(count)
    with django_assert_max_num_queries(4):  # regions for the form, count, page, session-free
        response = _directory(client)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 24)


def test_directory_searches_by_name_and_place_and_filters_by_region(client):
    EcosystemFactory(name="Tulsa Regional STEM Alliance", city="Tulsa")
    EcosystemFactory(name="Chicago STEM Pathways", city="Chicago")
    EcosystemFactory(name="Kenya STEM Hub", city="Nairobi", region=region("international-global"))
    names = lambda r: [e.name for e in r.context["page_obj"]]  # noqa: E731
    assert names(_directory(client, "?q=tulsa")) == ["Tulsa Regional STEM Alliance"]
    assert names(_directory(client, "?q=nairobi")) == ["Kenya STEM Hub"]
    only_global = _directory(client, "?region=international-global")
    assert names(only_global) == ["Kenya STEM Hub"]


def test_directory_paginates_and_survives_bad_parameters(client):
    EcosystemFactory.create_batch(30)
    page2 = _directory(client, "?page=2")
    assert page2.context["page_obj"].number == 2
    assert len(page2.context["page_obj"].object_list) == 6
    for params in ("?page=abc", "?page=-4", "?page=99999", "?region=atlantis", "?q=" + "x" * 500):
        response = _directory(client, params)
        assert response.status_code == 200, params
    assert _directory(client, "?region=atlantis").context["form"].errors["region"]


def test_directory_hides_prospective_and_withdrawn(client):
    EcosystemFactory(name="Visible", status=Ecosystem.Status.ACTIVE)
    EcosystemFactory(name="Applicant", status=Ecosystem.Status.PROSPECTIVE)
    EcosystemFactory(name="Gone", status=Ecosystem.Status.WITHDRAWN)
    assert [e.name for e in _directory(client).context["page_obj"]] == ["Visible"]


def test_home_page_shows_the_five_regions(client):
    EcosystemFactory()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Northeast", "South", "Midwest", "West", "International/Global"):
        assert name in body
    assert 'href="#main"' in body and '<main id="main"' in body


def _people_dashboard_queries(client, count: int) -> int:
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    PartnerFactory.create_batch(count, ecosystem=ecosystem)
    for _ in range(count):
        make_lead(ecosystem)
    client.force_login(lead)
    return dashboard_queries(client, ecosystem)


def test_dashboard_query_count_is_constant(client):
    """Constant in the number of partners and people."""
    few, many = _people_dashboard_queries(client, 2), _people_dashboard_queries(client, 40)
    assert few == many
    assert_within_dashboard_budget(many)


def test_lead_edits_profile_and_partners(client, ecosystem, lead):
    keep = PartnerFactory(ecosystem=ecosystem, name="Springfield Public Library", sector="library")
    drop = PartnerFactory(ecosystem=ecosystem, name="Old Partner")
    client.force_login(lead)
    url = reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug})
    assert client.get(url).status_code == 200
    data = {
        "name": "Springfield STEM Learning Network",
        "city": "Springfield",
        "state_province": "MA",
        "country": "United States",
        "founded_year": "2017",
        "website": "https://springfield.example.org",
        "description": "Schools, museums and employers together.",
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "2",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "200",
        "partners-0-id": str(keep.pk),
        "partners-0-name": keep.name,
        "partners-0-sector": "library",
        "partners-1-id": str(drop.pk),
        "partners-1-name": drop.name,
        "partners-1-sector": "schools",
        "partners-1-DELETE": "on",
        "partners-2-name": "Springfield Science Museum",
        "partners-2-sector": "museum",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    ecosystem.refresh_from_db()
    assert ecosystem.name == "Springfield STEM Learning Network"
    assert ecosystem.founded_year == 2017
    assert sorted(ecosystem.partners.values_list("name", flat=True)) == [
        "Springfield Public Library",
        "Springfield Science Museum",
    ]
    entry = AuditEntry.objects.get(action="ecosystem.profile_updated")
    assert entry.after["name"] == "Springfield STEM Learning Network"
    assert "added Springfield Science Museum" in entry.after["partners"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"founded_year": "1492"}, "founded_year"),
        ({"founded_year": "next year"}, "founded_year"),
        ({"website": "not a url with spaces"}, "website"),
        ({"name": "x" * 500}, "name"),
        ({"partners-0-name": "Acme", "partners-0-sector": ""}, None),
        ({"partners-0-sector": "pirates", "partners-0-name": "Acme"}, None),
        ({"partners-TOTAL_FORMS": "banana"}, None),
    ],
)
def test_profile_edit_bad_input_is_a_form_error(client, ecosystem, lead, changes, field):
    client.force_login(lead)
    url = reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug})
    data = {
        "name": ecosystem.name,
        "country": "United States",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        **changes,
    }
    before = Ecosystem.objects.filter(pk=ecosystem.pk).values().get()
    response = client.post(url, data)
    assert response.status_code == 400
    if field:
        assert field in response.context["form"].errors
    assert Ecosystem.objects.filter(pk=ecosystem.pk).values().get() == before
    assert not PartnerOrganization.objects.exists()


def test_duplicate_partner_names_are_refused(client, ecosystem, lead):
    client.force_login(lead)
    url = reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug})
    data = {
        "name": ecosystem.name,
        "country": "United States",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Acme",
        "partners-0-sector": "business",
        "partners-1-name": "ACME",
        "partners-1-sector": "business",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "only once" in response.content.decode()


def test_invite_a_new_colleague_who_creates_an_account(
    client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    url = reverse("members:invite", kwargs={"ecosystem": ecosystem.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "New.Colleague@Example.org", "role": "member"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.colleague@example.org"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.colleague@example.org"]
    assert ecosystem.name in message.subject
    assert invitation.get_absolute_url() in message.body

    client.logout()
    accept = invitation.get_absolute_url()
    page = client.get(accept)
    assert page.status_code == 200 and "Create your account" in page.content.decode()
    bad = client.post(
        accept, {"first_name": "Nia", "last_name": "Okafor", "password1": "1", "password2": "1"}
    )
    assert bad.status_code == 400 and bad.context["signup_form"].errors
    response = client.post(
        accept,
        {"first_name": "Nia", "last_name": "Okafor", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == ecosystem.get_dashboard_url()
    role = EcosystemRole.objects.get(user__email="new.colleague@example.org")
    assert role.role == "member"
    assert role.user.has_perm("members.view_ecosystem", ecosystem)
    assert client.get(ecosystem.get_dashboard_url()).status_code == 200
    # the link is single use
    client.logout()
    assert client.get(accept).status_code == 410


def test_invitation_attaches_an_existing_account_after_sign_in(client, ecosystem, lead):
    existing = UserFactory(email="already@example.org")
    invitation_url = _invite(client, lead, ecosystem, "already@example.org", "lead")
    client.logout()
    page = client.get(invitation_url)
    assert "Sign in to accept" in page.content.decode()
    client.force_login(existing)
    assert client.post(invitation_url).status_code == 302
    assert existing.has_perm("members.act_for_ecosystem", ecosystem)


def test_invitation_cannot_be_taken_by_another_account(client, ecosystem, lead, other_lead):
    invitation_url = _invite(client, lead, ecosystem, "intended@example.org", "lead")
    client.force_login(other_lead)
    response = client.post(invitation_url)
    assert response.status_code == 403
    assert "intended@example.org" in response.content.decode()
    assert not other_lead.has_perm("members.act_for_ecosystem", ecosystem)
    assert Invitation.objects.get().is_pending


def test_expired_and_unknown_invitations(client, ecosystem, lead):
    invitation_url = _invite(client, lead, ecosystem, "late@example.org", "member")
    Invitation.objects.update(expires_at="2000-01-01T00:00:00Z")
    client.logout()
    response = client.get(invitation_url)
    assert response.status_code == 200
    assert "expired" in response.content.decode()
    response = client.post(
        invitation_url,
        {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert not EcosystemRole.objects.filter(user__email="late@example.org").exists()
    assert client.get("/invitations/not-a-token/").status_code == 404


@pytest.mark.parametrize(
    "data", [{"email": "not-an-email", "role": "lead"}, {"email": "a@b.org", "role": "owner"}, {}]
)
def test_invite_bad_input_is_a_form_error(client, ecosystem, lead, data):
    client.force_login(lead)
    response = client.post(reverse("members:invite", kwargs={"ecosystem": ecosystem.slug}), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_a_form_error(client, ecosystem, lead, member):
    client.force_login(lead)
    response = client.post(
        reverse("members:invite", kwargs={"ecosystem": ecosystem.slug}),
        {"email": member.email.upper(), "role": "lead"},
    )
    assert response.status_code == 400
    assert "already part of" in response.content.decode()


def test_inviting_twice_resends_one_invitation(client, ecosystem, lead):
    _invite(client, lead, ecosystem, "twice@example.org", "member")
    _invite(client, lead, ecosystem, "twice@example.org", "lead")
    invitation = Invitation.objects.get()
    assert invitation.role == "lead"


def test_lead_withdraws_an_invitation(client, ecosystem, lead):
    _invite(client, lead, ecosystem, "withdraw@example.org", "member")
    invitation = Invitation.objects.get()
    url = reverse(
        "members:invitation_revoke", kwargs={"ecosystem": ecosystem.slug, "pk": invitation.pk}
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert "withdrawn" in client.get(invitation.get_absolute_url()).content.decode()


def _invite(client, lead, ecosystem, email, role):
    client.force_login(lead)
    client.post(
        reverse("members:invite", kwargs={"ecosystem": ecosystem.slug}),
        {"email": email, "role": role},
    )
    return Invitation.objects.get(email=email).get_absolute_url()


def test_public_profile_of_an_ecosystem(client, ecosystem):
    PartnerFactory(ecosystem=ecosystem, name="Springfield Science Center", sector="museum")
    response = client.get(ecosystem.get_absolute_url())
    assert response.status_code == 200
    assert "Springfield Science Center" in response.content.decode()
    ecosystem.status = Ecosystem.Status.PROSPECTIVE
    ecosystem.save()
    assert client.get(ecosystem.get_absolute_url()).status_code == 404
