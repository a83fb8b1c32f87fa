"""Issue 22, item 2 (the elections half): who may cast an ecosystem's ballot is fixed
when voting opens — the leads it had then, while they are still leads. Staff who make
themselves (or anyone) a lead during the vote give that person no ballot. When none of
those leads remains one, a Stewardship-team member (not TIES staff, not for their own
account) may add one named current lead with a reason: audited, emailed to the leads,
from the admin. Elections already open when this landed snapshot their leads in the
migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from elections import services
from elections.models import Caster, Contest, Elector, SealedBallot
from members.migration_utils import STEWARDSHIP_TEAM, TIES_STAFF
from members.models import AuditEntry, EcosystemRole
from members.services import ecosystem_role_set
from slecop.errors import Conflict, NotAllowed
from tests.elections.factories import candidates, contest, election_with_contests, full_ballot
from tests.factories import UserFactory, make_in_good_standing, make_lead

pytestmark = pytest.mark.django_db
REASON = "Both leads left the ecosystem in March; the new director is its lead now."


@pytest.fixture
def voting(ecosystem, lead):
    """An open election; `lead` was the ecosystem's only lead when voting opened."""
    make_in_good_standing(ecosystem)
    return election_with_contests(("chair", Contest.Method.IRV, ["Ada", "Bo"]), phase="voting")


def _cast(election, ecosystem, user):
    return services.ballot_cast(
        acting_user=user,
        election=election,
        ecosystem=ecosystem,
        choices={contest(election).pk: [candidates(election)["Ada"]]},
    )


def _replace_lead(ecosystem, old):
    """A new lead, and the old one no longer a lead (made a member)."""
    new = make_lead(ecosystem)
    ecosystem_role_set(acting_user=None, ecosystem=ecosystem, user=old, role="member")
    return new


def test_the_leads_are_snapshotted_when_voting_opens(voting, ecosystem, lead):
    elector = Elector.objects.get(election=voting, ecosystem=ecosystem)
    assert [(c.user, c.added_by) for c in elector.casters.all()] == [(lead, None)]


def test_a_lead_made_after_voting_opened_cannot_cast(
    client, voting, ecosystem, staff_user, superuser
):
    """The issue's attack: a staff account made a lead during the vote. Staff can no longer
    grant themselves a role (tests/members/test_roles.py); even a lead made by someone
    entitled to do it, after voting opened, does not get the ballot."""
    ecosystem_role_set(acting_user=superuser, ecosystem=ecosystem, user=staff_user, role="lead")
    with pytest.raises(NotAllowed, match="leads it had when voting opened"):
        _cast(voting, ecosystem, staff_user)
    client.force_login(staff_user)
    url = reverse("elections:ballot", kwargs={"slug": voting.slug, "ecosystem": ecosystem.slug})
    page = client.get(url)
    assert page.status_code == 403
    assert "cast by one of the leads it had when voting opened" in page.content.decode()
    assert client.post(url, full_ballot(voting, ranks={"chair": ["Ada"]})).status_code == 403
    assert not SealedBallot.objects.exists()


def test_a_snapshotted_lead_who_is_no_longer_a_lead_cannot_cast(voting, ecosystem, lead):
    _replace_lead(ecosystem, lead)
    with pytest.raises(NotAllowed):
        _cast(voting, ecosystem, lead)
    assert not SealedBallot.objects.exists()


def test_a_snapshotted_lead_still_a_lead_casts(voting, ecosystem, lead):
    make_lead(ecosystem)  # a second lead, later: changes nothing for the first
    assert _cast(voting, ecosystem, lead)


def _steward():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=STEWARDSHIP_TEAM))
    return user


def test_a_steward_adds_a_caster_when_none_remains(
    voting, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    new = _replace_lead(ecosystem, lead)
    other_lead = make_lead(ecosystem)
    steward = _steward()
    elector = Elector.objects.get(election=voting, ecosystem=ecosystem)
    with django_capture_on_commit_callbacks(execute=True):
        caster = services.caster_add(acting_user=steward, elector=elector, user=new, reason=REASON)
    assert (caster.user, caster.added_by, caster.reason) == (new, steward, REASON)
    entry = AuditEntry.objects.get(action="elections.caster_added")
    assert entry.actor == steward and entry.ecosystem == ecosystem
    assert entry.after["reason"] == REASON and entry.after["user"] == new.email
    (mail,) = mailoutbox
    assert set(mail.to) == {new.email, other_lead.email}  # the ecosystem's leads now
    assert ecosystem.name in mail.body and REASON in mail.body and voting.slug in mail.body
    assert _cast(voting, ecosystem, new)
    with pytest.raises(Conflict):  # the others still cannot: one ballot
        _cast(voting, ecosystem, other_lead)


def test_adding_a_caster_is_refused_when_it_should_be(voting, ecosystem, lead):
    elector = Elector.objects.get(election=voting, ecosystem=ecosystem)
    steward = _steward()
    newcomer = make_lead(ecosystem)
    with pytest.raises(Conflict, match="can still cast"):  # the snapshotted lead remains
        services.caster_add(acting_user=steward, elector=elector, user=newcomer, reason=REASON)
    ecosystem_role_set(acting_user=None, ecosystem=ecosystem, user=lead, role="member")

    ties = UserFactory(is_staff=True)
    ties.groups.add(Group.objects.get(name=TIES_STAFF))
    both = _steward()
    both.groups.add(Group.objects.get(name=TIES_STAFF))
    for actor, match in (
        (ties, "TIES staff cannot"),
        (both, "TIES staff cannot"),
        (UserFactory(is_staff=True, is_superuser=True), "Only members of the Stewardship"),
        (newcomer, "Only members of the Stewardship"),
    ):
        with pytest.raises(NotAllowed, match=match):
            services.caster_add(acting_user=actor, elector=elector, user=newcomer, reason=REASON)
    with pytest.raises(NotAllowed, match="cannot add yourself"):
        steward_lead = _steward()
        ecosystem_role_set(acting_user=None, ecosystem=ecosystem, user=steward_lead, role="lead")
        services.caster_add(
            acting_user=steward_lead, elector=elector, user=steward_lead, reason=REASON
        )
    with pytest.raises(Conflict, match="not a lead"):
        services.caster_add(acting_user=steward, elector=elector, user=lead, reason=REASON)
    with pytest.raises(Conflict, match="Say why"):
        services.caster_add(acting_user=steward, elector=elector, user=newcomer, reason=" ok ")
    assert not Caster.objects.filter(added_by__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="elections.caster_added").exists()


def test_no_caster_is_added_once_the_ecosystem_voted_or_voting_closed(voting, ecosystem, lead):
    elector = Elector.objects.get(election=voting, ecosystem=ecosystem)
    _cast(voting, ecosystem, lead)
    new = _replace_lead(ecosystem, lead)
    with pytest.raises(Conflict, match="already voted"):
        services.caster_add(acting_user=_steward(), elector=elector, user=new, reason=REASON)
    services.election_close(acting_user=None, election=voting)
    with pytest.raises(Conflict, match="not open"):
        services.caster_add(acting_user=_steward(), elector=elector, user=new, reason=REASON)


def test_the_admin_page_adds_a_caster_and_refuses_ties_staff(
    client, voting, ecosystem, lead, staff_user, steward_user
):
    new = _replace_lead(ecosystem, lead)
    elector = Elector.objects.get(election=voting, ecosystem=ecosystem)
    url = reverse("admin:elections_elector_add_caster", args=[elector.pk])

    client.force_login(staff_user)  # TIES staff: a clear refusal, nothing changes
    for response in (client.get(url), client.post(url, {"user": new.pk, "reason": REASON})):
        assert response.status_code == 403
        assert "TIES staff cannot choose who casts" in response.content.decode()
    assert elector.casters.count() == 1

    client.force_login(steward_user)
    change = client.get(reverse("admin:elections_elector_change", args=[elector.pk]))
    text = change.content.decode()
    assert url in text and "no longer a lead" in text
    page = client.get(url)
    assert (
        page.status_code == 200
        and f"{new.get_full_name()} &lt;{new.email}&gt;" in page.content.decode()
    )
    assert client.post(url, {"user": new.pk, "reason": ""}).status_code == 400
    done = client.post(url, {"user": new.pk, "reason": REASON})
    assert done.status_code == 302
    assert elector.casters.filter(user=new, added_by=steward_user).exists()
    listing = client.get(reverse("admin:elections_caster_changelist"))
    assert listing.status_code == 200 and REASON[:20] in listing.content.decode()


def test_the_migration_snapshots_the_leads_of_elections_already_open(ecosystem, lead):
    make_in_good_standing(ecosystem)
    open_ = election_with_contests(("chair", Contest.Method.IRV, ["Ada"]), phase="voting")
    nominations = election_with_contests(("vice-chair-events", Contest.Method.IRV, ["Bo"]))
    Caster.objects.all().delete()  # as before the migration: no caster rows
    second = make_lead(ecosystem)
    EcosystemRole.objects.filter(user=lead).update(role="member")  # not a lead any more
    migration = importlib.import_module("elections.migrations.0004_casters")
    migration.snapshot_open_elections(apps, None)
    assert set(Caster.objects.values_list("elector__election", "user")) == {(open_.pk, second.pk)}
    assert not Elector.objects.filter(election=nominations).exists()
