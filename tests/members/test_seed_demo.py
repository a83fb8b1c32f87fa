from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from guardian.models import UserObjectPermission

from members.models import Ecosystem, EcosystemRole, PartnerOrganization, Region, User

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Ecosystem, User, EcosystemRole, PartnerOrganization, UserObjectPermission)
    }


def test_seed_demo_twice_gives_the_same_network():
    out = StringIO()
    call_command("seed_demo", "--ecosystems", "130", stdout=out)
    first = counts()
    call_command("seed_demo", "--ecosystems", "130", stdout=StringIO())
    assert counts() == first
    assert first["Ecosystem"] == 130
    assert first["User"] == 130 * 2 + 3
    assert "lead@example.org" in out.getvalue() and "slecop-demo-2026" in out.getvalue()
    # every region has ecosystems; every ecosystem has partners, a lead and a member
    assert set(Ecosystem.objects.values_list("region__slug", flat=True)) == set(
        Region.objects.values_list("slug", flat=True)
    )
    assert not Ecosystem.objects.filter(partners__isnull=True).exists()
    for role in ("lead", "member"):
        assert EcosystemRole.objects.filter(role=role).count() == 130


def test_seeded_people_have_the_permissions_the_role_services_grant(client):
    call_command("seed_demo", "--ecosystems", "5", "--quiet")
    lead = User.objects.get(email="lead@example.org")
    member = User.objects.get(email="member@example.org")
    ecosystem = Ecosystem.objects.get(roles__user=lead)
    assert lead.has_perm("members.act_for_ecosystem", ecosystem)
    assert member.has_perm("members.view_ecosystem", ecosystem)
    assert not member.has_perm("members.act_for_ecosystem", ecosystem)
    staff = User.objects.get(email="staff@example.org")
    assert staff.is_staff and staff.groups.filter(name="TIES staff").exists()
    assert (
        Group.objects.get(name="Stewardship team")
        .user_set.filter(email="steward@example.org")
        .exists()
    )
    # the demo password works through the real sign-in
    response = client.post(
        "/accounts/login/", {"login": "lead@example.org", "password": "slecop-demo-2026"}
    )
    assert response.status_code == 302
    assert client.get(ecosystem.get_dashboard_url()).status_code == 200


def test_seed_demo_growing_the_network_keeps_existing_rows():
    call_command("seed_demo", "--ecosystems", "10", "--quiet")
    first_ids = set(Ecosystem.objects.values_list("pk", flat=True))
    call_command("seed_demo", "--ecosystems", "25", "--people-per-ecosystem", "3", "--quiet")
    assert first_ids <= set(Ecosystem.objects.values_list("pk", flat=True))
    assert Ecosystem.objects.count() == 25
    assert EcosystemRole.objects.filter(role="member").count() == 25 * 2


@pytest.mark.postgres
def test_seed_demo_analyses_only_the_projects_tables():
    """A database-wide ANALYZE also analyses the shared catalogs and waited on their locks
    while another database on the server was analysed (a lock timeout failed CI)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call_command("seed_demo", "--ecosystems", "3", "--quiet")
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("ANALYZE")]
    assert len(statements) == 1
    named = {name.strip().strip('"') for name in statements[0][len("ANALYZE") :].split(",")}
    project = set(connection.introspection.django_table_names(only_existing=True))
    assert named == project and "members_ecosystem" in named
