"""Nomination rules (issue 27, item 4): a nomination names the nominee's own ecosystem
(one where they hold a role), shown on the election page and the ballot; it must be in
good standing when nominated and when voting opens, and in the region of a regional
chair; the nominating ecosystem must be in good standing. Each refusal is a clear
message, on the form where there is one."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from elections import services
from elections.models import Contest, Election, Nomination
from members.models import AuditEntry
from slecop.errors import DomainError, NotAllowed
from tests.elections.factories import admin_phase, contest, election_with_contests
from tests.factories import (
    EcosystemFactory,
    make_in_good_standing,
    make_lapsed,
    make_lead,
    make_member,
    region,
)

pytestmark = pytest.mark.django_db
IRV, PLURALITY = Contest.Method.IRV, Contest.Method.PLURALITY


@pytest.fixture
def home():
    eco = EcosystemFactory(name="Harbor STEM", region=region("west"))
    make_in_good_standing(eco)
    return eco


@pytest.fixture
def home_lead(home):
    return make_lead(home, first_name="Hana", last_name="Lead")


def _nominate(lead, eco, election, nominee, slug="chair", **kwargs):
    return services.nomination_create(
        acting_user=lead,
        ecosystem=eco,
        contest=contest(election, slug),
        nominee=nominee,
        statement="I will listen.",
        **kwargs,
    )


def test_the_nominee_runs_from_their_own_ecosystem(home, home_lead):
    election = election_with_contests(("chair", IRV, []))
    nomination = _nominate(home_lead, home, election, home_lead)
    assert nomination.nominee_ecosystem == home  # their only one
    stranger_eco = EcosystemFactory(name="Elsewhere STEM")
    make_in_good_standing(stranger_eco)
    other = make_member(home)
    with pytest.raises(DomainError, match="holds no role in Elsewhere STEM") as refused:
        _nominate(home_lead, home, election, other, nominee_ecosystem=stranger_eco)
    assert refused.value.field == "nominee_ecosystem"
    nobody = make_lead(EcosystemFactory())
    nobody.ecosystem_roles.all().delete()
    with pytest.raises(DomainError, match="holds no role in any ecosystem"):
        _nominate(home_lead, home, election, nobody)


def test_someone_in_several_ecosystems_names_one(home, home_lead):
    election = election_with_contests(("chair", IRV, []))
    second = EcosystemFactory(name="Second STEM")
    make_in_good_standing(second)
    both = make_member(home, first_name="Bo", last_name="Both")
    second.roles.create(user=both, role="member")
    with pytest.raises(DomainError, match="holds roles in Harbor STEM, Second STEM"):
        _nominate(home_lead, home, election, both)
    nomination = _nominate(home_lead, home, election, both, nominee_ecosystem=second)
    assert nomination.nominee_ecosystem == second


def test_the_nominees_ecosystem_must_be_in_good_standing(home, home_lead):
    election = election_with_contests(("chair", IRV, []))
    lapsed = EcosystemFactory(name="Lapsed STEM")
    make_lapsed(lapsed)
    person = make_member(lapsed)
    with pytest.raises(DomainError, match="Lapsed STEM is not in good standing"):
        _nominate(home_lead, home, election, person)
    assert not Nomination.objects.exists()


def test_a_lapsed_ecosystem_cannot_nominate(home_lead):
    election = election_with_contests(("chair", IRV, []))
    lapsed = EcosystemFactory(name="Lapsed STEM")
    make_lapsed(lapsed)
    lead = make_lead(lapsed)
    with pytest.raises(NotAllowed, match="only ecosystems in good standing nominate"):
        _nominate(lead, lapsed, election, lead)


def test_a_regional_chair_runs_from_that_region(home, home_lead):
    election = election_with_contests(("regional-chair-west", PLURALITY, []))
    east = EcosystemFactory(name="East STEM", region=region("northeast"))
    make_in_good_standing(east)
    from_east = make_member(east)
    with pytest.raises(DomainError, match="East STEM is in") as refused:
        _nominate(home_lead, home, election, from_east, slug="regional-chair-west")
    assert refused.value.field == "nominee_ecosystem"
    assert _nominate(home_lead, home, election, home_lead, slug="regional-chair-west")


def test_refusals_are_form_errors_on_the_page(client, home, home_lead):
    election = election_with_contests(("chair", IRV, []))
    url = reverse("elections:nominate", kwargs={"slug": election.slug, "ecosystem": home.slug})
    lapsed = EcosystemFactory(name="Lapsed STEM")
    make_lapsed(lapsed)
    person = make_member(lapsed)
    client.force_login(home_lead)
    data = {"contest": contest(election).pk, "nominee_email": person.email, "statement": "x"}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with why
    assert "Lapsed STEM is not in good standing" in response.content.decode()
    unknown = client.post(url, {**data, "nominee_ecosystem": "No Such STEM"})
    assert unknown.status_code == 200
    assert "No ecosystem is called" in unknown.content.decode()
    ok = client.post(
        url, {**data, "nominee_email": home_lead.email, "nominee_ecosystem": "harbor stem"}
    )
    assert ok.status_code == 302
    assert Nomination.objects.get().nominee_ecosystem == home
    # the lapsed ecosystem's own lead, on its own page
    lapsed_lead = make_lead(lapsed)
    client.force_login(lapsed_lead)
    own = reverse("elections:nominate", kwargs={"slug": election.slug, "ecosystem": lapsed.slug})
    refused = client.post(own, {**data, "nominee_email": lapsed_lead.email})
    assert refused.status_code < 500
    assert "only ecosystems in good standing nominate" in refused.content.decode()


def test_a_nominee_whose_ecosystem_lapsed_is_left_off_the_slate(
    client, steward_user, home, home_lead
):
    election = election_with_contests(("chair", IRV, []))
    other = EcosystemFactory(name="Soon Lapsed STEM")
    make_in_good_standing(other)
    runner = make_lead(other, first_name="Ria", last_name="Runner")
    for lead, eco in ((home_lead, home), (runner, other)):
        nomination = _nominate(lead, eco, election, lead)
        services.nomination_review(acting_user=steward_user, nomination=nomination, approve=True)
    make_lapsed(other)
    client.force_login(steward_user)
    page = client.get(reverse("admin:elections_election_phase", args=[election.pk, "open-voting"]))
    text = page.content.decode()
    assert "Left off the slate: ecosystem not in good standing" in text
    assert "Ria Runner (Chair): Soon Lapsed STEM" in text
    response = admin_phase(client, election, "election_open_voting")
    assert "Ria Runner is off the slate for Chair" in response.content.decode()
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING
    assert [c.name for c in contest(election).candidates.all()] == ["Hana Lead"]
    excluded = Nomination.objects.get(nominee=runner)
    assert excluded.status == Nomination.Status.EXCLUDED
    assert AuditEntry.objects.get(action="elections.candidate_excluded").after["status"] == (
        "excluded"
    )


def test_the_candidates_ecosystem_is_on_the_election_page_and_the_ballot(
    client, steward_user, home, home_lead
):
    election = election_with_contests(("chair", IRV, []))
    nomination = _nominate(home_lead, home, election, home_lead)
    services.nomination_review(acting_user=steward_user, nomination=nomination, approve=True)
    services.election_open_voting(acting_user=steward_user, election=election)
    client.force_login(home_lead)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Runs from Harbor STEM (West)" in page
    ballot = client.get(
        reverse("elections:ballot", kwargs={"slug": election.slug, "ecosystem": home.slug})
    ).content.decode()
    assert "Harbor STEM" in ballot.split("<form", 1)[1]


def test_the_migration_fills_the_nominees_ecosystem_where_unambiguous(home, home_lead):
    migration = importlib.import_module("elections.migrations.0006_nomination_nominee_ecosystem")
    election = election_with_contests(("chair", IRV, []))
    one = _nominate(home_lead, home, election, home_lead)
    second = EcosystemFactory()
    make_in_good_standing(second)
    both = make_member(home)
    second.roles.create(user=both, role="member")
    from_nominator = _nominate(home_lead, home, election, both, nominee_ecosystem=second)
    third = EcosystemFactory()
    make_in_good_standing(third)
    elsewhere = make_member(second)
    third.roles.create(user=elsewhere, role="member")
    ambiguous = _nominate(home_lead, home, election, elsewhere, nominee_ecosystem=third)
    Nomination.objects.update(nominee_ecosystem=None)  # as before the field
    migration.backfill(apps, None)
    values = dict(Nomination.objects.values_list("pk", "nominee_ecosystem"))
    assert values[one.pk] == home.pk  # their only ecosystem
    assert values[from_nominator.pk] == home.pk  # several: the one that nominated them
    assert values[ambiguous.pk] is None  # several, neither the nominator: left empty
