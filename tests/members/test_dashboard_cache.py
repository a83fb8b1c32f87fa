"""The "My ecosystem" panels are cached (members.dashboard): a repeated view builds no
panel again, and every way a lead changes what a panel shows — paying, voting, a
network-wide write, a bulk write — shows on the very next view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from elections.models import Contest
from members.billing.services.invoices import dues_invoices_open_bulk
from members.dashboard import render_panels
from tests.elections.factories import election_with_contests
from tests.elections.test_views import ballot_post, ballot_url
from tests.factories import (
    EcosystemFactory,
    make_in_good_standing,
    make_lead,
    make_member,
    membership_year,
    open_dues_invoice,
)
from tests.members.dashboard_helpers import dashboard_queries
from tests.members.dues_helpers import record_check

pytestmark = pytest.mark.django_db


def panel(ecosystem, user, key):
    (item,) = [p for p in render_panels(ecosystem=ecosystem, user=user) if p["panel"].key == key]
    return item["context"]


def test_a_repeated_view_builds_no_panel_again(client, ecosystem, lead):
    client.force_login(lead)
    cold = dashboard_queries(client, ecosystem)
    warm = dashboard_queries(client, ecosystem)
    # the page's own queries stay (session, user, permissions, people…); the panels' go
    assert warm <= cold - 8, (cold, warm)


def test_paying_shows_on_the_next_view(client, ecosystem, lead):
    invoice = open_dues_invoice(ecosystem)
    assert [i.pk for i in panel(ecosystem, lead, "dues")["unpaid"]] == [invoice.pk]
    record_check(invoice, invoice.total_cents, "CHK-7")
    assert panel(ecosystem, lead, "dues")["unpaid"] == []
    assert panel(ecosystem, lead, "standing")["standing"].good


def test_voting_shows_on_the_next_view(client, ecosystem, lead):
    make_in_good_standing(ecosystem)
    election = election_with_contests(
        ("chair", Contest.Method.IRV, ["Ada Lovelace", "Bo Diddley"]), phase="voting"
    )
    client.force_login(lead)
    (row,) = panel(ecosystem, lead, "elections")["rows"]
    assert row["can_vote"] and not row["voted"]
    cast = client.post(ballot_url(election, ecosystem), ballot_post(election, ["Bo Diddley"]))
    assert cast.status_code == 200
    (row,) = panel(ecosystem, lead, "elections")["rows"]
    assert row["voted"]


def test_a_network_wide_write_reaches_every_dashboard(ecosystem, lead):
    from tests.community.factories import AnnouncementFactory

    assert panel(ecosystem, lead, "community")["announcements"] == []
    AnnouncementFactory(title="Convening dates announced")
    titles = [a.title for a in panel(ecosystem, lead, "community")["announcements"]]
    assert titles == ["Convening dates announced"]


def test_bulk_invoicing_reaches_the_dashboards(ecosystem, lead):
    year = membership_year()
    assert panel(ecosystem, lead, "dues")["unpaid"] == []
    dues_invoices_open_bulk(acting_user=None, membership_year=year, ecosystem_ids=[ecosystem.pk])
    assert len(panel(ecosystem, lead, "dues")["unpaid"]) == 1


def test_each_viewer_and_ecosystem_has_its_own_panels(client, ecosystem, lead):
    other = EcosystemFactory()
    open_dues_invoice(other)
    member = make_member(ecosystem)
    assert panel(ecosystem, lead, "dues")["unpaid"] == []
    assert len(panel(other, make_lead(other), "dues")["unpaid"]) == 1
    client.force_login(member)
    page = client.get(reverse("members:dashboard", kwargs={"ecosystem": ecosystem.slug}))
    assert page.status_code == 200 and page.context["can_act"] is False


def test_panel_templates_hold_no_post_form():
    """Panel HTML is rendered without the request and cached: a CSRF token in it would
    be empty or another visitor's."""
    from django.template.loader import get_template

    from members.dashboard import _panels

    for item in _panels.values():
        source = get_template(item.template).template.source
        assert "csrf_token" not in source and 'method="post"' not in source.lower(), item.key


def test_the_cached_html_follows_the_viewer_s_rights(client, ecosystem, lead):
    member = make_member(ecosystem)
    client.force_login(lead)
    as_lead = client.get(ecosystem.get_dashboard_url()).content.decode()
    client.force_login(member)
    as_member = client.get(ecosystem.get_dashboard_url()).content.decode()
    new_request = reverse("members:catalogue_request_new", kwargs={"ecosystem": ecosystem.slug})
    assert new_request in as_lead and new_request not in as_member


# The profile, partners, people and invitations: read on every view, with each
# response's own CSRF tokens in the lead's forms.


def _role_forms(html: str) -> list[str]:
    import re

    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_every_change_to_the_people_block_shows_on_the_next_view(client, ecosystem, lead):
    from members.models import EcosystemRole
    from members.services import ecosystem_role_set, invitation_create
    from tests.factories import PartnerFactory, UserFactory

    member = make_member(ecosystem, first_name="Grace", last_name="Hopper")
    client.force_login(lead)

    def page():
        return client.get(ecosystem.get_dashboard_url()).content.decode()

    assert "Grace Hopper" in page()
    member.first_name = "Gracie"
    member.save()
    assert "Gracie Hopper" in page()
    PartnerFactory(ecosystem=ecosystem, name="Science Center of Iowa")
    assert "Science Center of Iowa" in page()
    invitation_create(
        acting_user=lead, ecosystem=ecosystem, email="new.colleague@example.org", role="member"
    )
    assert "new.colleague@example.org" in page()
    newcomer = UserFactory(email="newcomer@example.org")
    ecosystem_role_set(acting_user=lead, ecosystem=ecosystem, user=newcomer, role="member")
    assert "newcomer@example.org" in page()
    EcosystemRole.objects.get(user=newcomer).delete()
    assert "newcomer@example.org" not in page()
    ecosystem.description = "A new description of the ecosystem."
    ecosystem.save()
    assert "A new description of the ecosystem." in page()


def test_the_cached_block_carries_each_request_s_own_csrf_token(ecosystem, lead):
    """Two leads read the same cached block; each gets working forms with a token of
    their own session, masked afresh on every response as Django does (never a
    placeholder, never the token of the response that filled the cache)."""
    from django.test import Client

    from members.models import EcosystemRole

    second_lead = make_lead(ecosystem)
    member_role = EcosystemRole.objects.get(user=make_member(ecosystem))
    url = reverse("members:role_change", kwargs={"ecosystem": ecosystem.slug, "pk": member_role.pk})
    seen = []
    for person in (lead, second_lead, second_lead):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = client.get(ecosystem.get_dashboard_url()).content.decode()
        tokens = set(_role_forms(html))
        assert len(tokens) == 1 and len(_role_forms(html)) > 2  # one per response, as Django
        seen.append(tokens)
        refused = client.post(url, {"role": "member", "csrfmiddlewaretoken": "x" * 64})
        assert refused.status_code == 403
        accepted = client.post(url, {"role": "member", "csrfmiddlewaretoken": tokens.pop()})
        assert accepted.status_code == 302, person
    assert not (seen[0] & seen[1]) and not (seen[1] & seen[2])


def test_a_member_never_gets_the_lead_s_cached_forms(client, ecosystem, lead):
    member = make_member(ecosystem)
    client.force_login(lead)
    assert 'name="role"' in client.get(ecosystem.get_dashboard_url()).content.decode()
    client.force_login(member)
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert 'name="role"' not in html and "csrfmiddlewaretoken" in html  # sign-out form only


def test_paying_shows_on_the_next_page_view(client, ecosystem, lead):
    invoice = open_dues_invoice(ecosystem)
    client.force_login(lead)
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert invoice.number in html and "Nothing to pay right now." not in html
    record_check(invoice, invoice.total_cents, "CHK-8")
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Nothing to pay right now." in html and "balance 0.00 USD" in html
