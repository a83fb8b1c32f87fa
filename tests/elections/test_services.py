"""Phases, nominations, electorate snapshot, casting, counting and certification."""

from __future__ import annotations

import re

import pytest

from elections import services
from elections.models import (
    Candidate,
    Contest,
    ContestBallot,
    Election,
    Elector,
    Nomination,
    SealedBallot,
    VoterRecord,
)
from governance.models import Term
from members.models import AuditEntry
from slecop.errors import Conflict, NotAllowed
from tests.elections.factories import (
    ContestFactory,
    ElectionFactory,
    candidates,
    contest,
    election_with_contests,
    sealed_contents,
)
from tests.factories import (
    EcosystemFactory,
    UserFactory,
    make_in_good_standing,
    make_lapsed,
    make_lead,
    make_member,
    region,
)

pytestmark = pytest.mark.django_db
IRV, PLURALITY = Contest.Method.IRV, Contest.Method.PLURALITY


@pytest.fixture
def voter(ecosystem):
    make_in_good_standing(ecosystem)
    return make_lead(ecosystem)


def cast(election, ecosystem, user, ranking, slug="chair"):
    ids = candidates(election, slug)
    return services.ballot_cast(
        acting_user=user,
        election=election,
        ecosystem=ecosystem,
        choices={contest(election, slug).pk: [ids[n] for n in ranking]},
    )


# --- phases ----------------------------------------------------------------------------------


def test_phases_move_in_order_and_refuse_illegal_moves(steward_user):
    election = ElectionFactory()
    with pytest.raises(Conflict):  # no contest yet
        services.election_open_nominations(acting_user=steward_user, election=election)
    ContestFactory(election=election)
    with pytest.raises(Conflict, match="cannot move"):
        services.election_open_voting(acting_user=steward_user, election=election)
    services.election_open_nominations(acting_user=steward_user, election=election)
    with pytest.raises(Conflict, match="no approved candidate"):
        services.election_open_voting(acting_user=steward_user, election=election)
    for move in (services.election_certify, services.election_open_nominations):
        with pytest.raises(Conflict):
            move(acting_user=steward_user, election=election)
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS
    actions = list(AuditEntry.objects.filter(action__startswith="elections.phase"))
    assert [a.action for a in actions] == ["elections.phase_nominations"]
    assert actions[0].actor == steward_user
    assert actions[0].before == {"phase": "draft", "nominations_open_on": "None"}


def test_electorate_is_snapshotted_when_voting_opens(ecosystem, voter):
    lapsed = EcosystemFactory()
    make_lapsed(lapsed)
    late = EcosystemFactory(status="onboarding")
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    assert set(Elector.objects.values_list("ecosystem_id", flat=True)) == {ecosystem.pk}
    # Paying later does not add an ecosystem: the electorate is the snapshot.
    make_in_good_standing(late)
    with pytest.raises(NotAllowed, match="not in good standing when voting opened"):
        cast(election, late, make_lead(late), ["Ada"])
    assert AuditEntry.objects.get(action="elections.electorate_snapshot").after == {"electors": 1}
    assert len(contest(election).tie_break_order) == 2


# --- casting ---------------------------------------------------------------------------------


def test_a_lead_casts_one_final_ballot(ecosystem, voter):
    election = election_with_contests(("chair", IRV, ["Ada", "Bo", "Cy"]), phase="voting")
    receipt = cast(election, ecosystem, voter, ["Bo", "Ada"])
    ids = candidates(election)
    ballot = SealedBallot.objects.get()
    assert ballot.receipt == receipt and len(receipt) == 14
    assert sealed_contents(election) == [{str(contest(election).pk): [ids["Bo"], ids["Ada"]]}]
    record = VoterRecord.objects.get()
    assert (record.ecosystem, record.cast_by) == (ecosystem, voter)
    entry = AuditEntry.objects.get(action="elections.ballot_cast")
    assert entry.object_id == str(record.pk) and entry.ecosystem == ecosystem
    assert receipt not in str(entry.after)
    other_lead = make_lead(ecosystem)
    with pytest.raises(Conflict, match="already voted"):
        cast(election, ecosystem, other_lead, ["Cy"])
    assert SealedBallot.objects.count() == 1


def test_ballot_and_voter_record_share_nothing():
    # while voting: a random id, the receipt and the sealed contents, nothing else
    sealed_columns = {f.name for f in SealedBallot._meta.get_fields()}
    assert sealed_columns == {"id", "election", "receipt", "sealed"}
    # after close: one contest's choices under a random id, no receipt, no election
    counted_columns = {f.name for f in ContestBallot._meta.get_fields()}
    assert counted_columns == {"id", "contest", "choices"}
    record_columns = {f.name for f in VoterRecord._meta.get_fields()}
    assert not ({"ballot", "receipt", "contents", "sealed", "choices"} & record_columns)
    for model in (SealedBallot, ContestBallot):
        assert model._meta.pk.get_internal_type() == "UUIDField"


@pytest.mark.parametrize("who", ["member", "stranger", "lapsed_lead"])
def test_only_leads_of_the_electorate_vote(ecosystem, voter, who):
    election = election_with_contests(("chair", IRV, ["Ada"]), phase="voting")
    if who == "member":
        eco, user = ecosystem, make_member(ecosystem)
    elif who == "stranger":
        eco, user = ecosystem, UserFactory()
    else:
        eco = EcosystemFactory()
        make_lapsed(eco)
        user = make_lead(eco)
    with pytest.raises(NotAllowed):
        cast(election, eco, user, ["Ada"])
    assert not SealedBallot.objects.exists() and not VoterRecord.objects.exists()


def test_regional_contest_only_for_its_region(ecosystem, voter):
    west = EcosystemFactory(region=region("west"))
    make_in_good_standing(west)
    west_lead = make_lead(west)
    election = election_with_contests(
        ("chair", IRV, ["Ada", "Bo"]),
        ("regional-chair-northeast", PLURALITY, ["Nora"]),
        phase="voting",
    )
    ne = contest(election, "regional-chair-northeast")
    with pytest.raises(services.InvalidBallot, match="cannot vote in"):
        services.ballot_cast(
            acting_user=west_lead,
            election=election,
            ecosystem=west,
            choices={ne.pk: [candidates(election, "regional-chair-northeast")["Nora"]]},
        )
    cast(election, west, west_lead, ["Bo"])  # the chair contest is open to every region
    services.ballot_cast(
        acting_user=voter,
        election=election,
        ecosystem=ecosystem,
        choices={ne.pk: [candidates(election, "regional-chair-northeast")["Nora"]]},
    )
    contents = sorted(len(b) for b in sealed_contents(election))
    assert contents == [1, 2]  # the western ballot has no northeast contest


def test_invalid_choices_are_refused(ecosystem, voter):
    election = election_with_contests(
        ("chair", IRV, ["Ada", "Bo"]),
        ("vice-chair-events", PLURALITY, ["Eve", "Flo"]),
        phase="voting",
    )
    chair, events = contest(election), contest(election, "vice-chair-events")
    ids = {**candidates(election), **candidates(election, "vice-chair-events")}
    for choices in (
        {chair.pk: [ids["Ada"], ids["Ada"]]},
        {chair.pk: [ids["Eve"]]},
        {events.pk: [ids["Eve"], ids["Flo"]]},
    ):
        with pytest.raises(services.InvalidBallot):
            services.ballot_cast(
                acting_user=voter, election=election, ecosystem=ecosystem, choices=choices
            )
    assert not VoterRecord.objects.exists()


def test_no_ballot_after_close(ecosystem, voter):
    election = election_with_contests(("chair", IRV, ["Ada"]), phase="closed")
    with pytest.raises(Conflict, match="not open"):
        cast(election, ecosystem, voter, ["Ada"])


# --- counting and certification ----------------------------------------------------------


def test_close_counts_and_certify_seats_the_winner(steward_user):
    ecosystems = EcosystemFactory.create_batch(5)
    leads = []
    for eco in ecosystems:
        make_in_good_standing(eco)
        leads.append(make_lead(eco))
    election = election_with_contests(("chair", IRV, ["Ada", "Bo", "Cy"]), phase="voting")
    rankings = [["Ada"], ["Ada"], ["Bo", "Cy"], ["Cy", "Bo"], ["Bo"]]
    for eco, lead, ranking in zip(ecosystems, leads, rankings, strict=True):
        cast(election, eco, lead, ranking)
    services.election_close(acting_user=steward_user, election=election)
    chair = contest(election)
    ids = candidates(election)
    assert chair.result["winners"] == [ids["Bo"]]
    assert [r["counts"] for r in chair.result["rounds"]] == [
        {str(ids["Ada"]): 2, str(ids["Bo"]): 2, str(ids["Cy"]): 1},
        {str(ids["Ada"]): 2, str(ids["Bo"]): 3},
    ]
    terms = services.election_certify(acting_user=steward_user, election=election)
    bo = Candidate.objects.get(pk=ids["Bo"]).person
    (term,) = terms
    term.refresh_from_db()
    assert (term.person, term.office.slug, term.how_filled) == (bo, "chair", "elected")
    assert term.election == election
    assert term.start == election.term_start
    assert term.end == term.office.default_end(election.term_start)
    assert AuditEntry.objects.filter(action="elections.certified").exists()
    with pytest.raises(Conflict):
        services.election_certify(acting_user=steward_user, election=election)


def test_certification_refused_when_a_term_clashes(steward_user, ecosystem, voter):
    election = election_with_contests(("chair", IRV, ["Ada"]), phase="voting")
    cast(election, ecosystem, voter, ["Ada"])
    services.election_close(acting_user=None, election=election)
    Term.objects.create(
        office=contest(election).office,
        person=UserFactory(),
        start=election.term_start,
        end=contest(election).office.default_end(election.term_start),
        how_filled="elected",
    )
    with pytest.raises(Exception, match="one holder"):
        services.election_certify(acting_user=steward_user, election=election)
    election.refresh_from_db()
    assert election.phase == Election.Phase.CLOSED


# --- nominations -----------------------------------------------------------------------------


def test_nomination_flow(
    ecosystem, lead, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_in_good_standing(ecosystem)
    election = election_with_contests(("chair", IRV, []))
    chair = contest(election)
    nominee = make_member(ecosystem, first_name="Nia", last_name="Okafor")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = services.nomination_create(
            acting_user=lead,
            ecosystem=ecosystem,
            contest=chair,
            nominee=nominee,
            statement="Twenty years of STEM partnerships.",
        )
    assert nomination.status == Nomination.Status.PENDING
    (mail,) = mailoutbox
    # the link's token as mailed (a token made now could carry a later timestamp)
    token = re.search(r"/elections/nomination/([^/\s]+)/", mail.body).group(1)
    assert ecosystem.name in mail.body
    assert services.nomination_from_token(token) == nomination
    with pytest.raises(Conflict, match="Only accepted"):
        services.nomination_review(acting_user=steward_user, nomination=nomination, approve=True)
    services.nomination_respond(nomination=services.nomination_from_token(token), accept=True)
    with pytest.raises(Conflict, match="already answered"):
        services.nomination_respond(nomination=nomination, accept=False)
    services.nomination_review(acting_user=steward_user, nomination=nomination, approve=True)
    candidate = Candidate.objects.get()
    assert (candidate.person, candidate.name) == (nominee, "Nia Okafor")
    assert candidate.statement == "Twenty years of STEM partnerships."
    assert list(
        AuditEntry.objects.filter(action__startswith="elections.nom")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["elections.nominated", "elections.nomination_accepted"]
    assert AuditEntry.objects.filter(action="elections.slate_approved").exists()
    with pytest.raises(Conflict, match="already been nominated"):
        services.nomination_create(
            acting_user=lead, ecosystem=ecosystem, contest=chair, nominee=nominee, statement="x"
        )


def test_self_nomination_is_accepted_and_members_cannot_nominate(ecosystem, lead, member):
    make_in_good_standing(ecosystem)
    election = election_with_contests(("chair", IRV, []))
    nomination = services.nomination_create(
        acting_user=lead,
        ecosystem=ecosystem,
        contest=contest(election),
        nominee=lead,
        statement="Me.",
    )
    assert nomination.status == Nomination.Status.ACCEPTED
    with pytest.raises(NotAllowed):
        services.nomination_create(
            acting_user=member,
            ecosystem=ecosystem,
            contest=contest(election),
            nominee=member,
            statement="Me too.",
        )


def test_regional_nominations_come_from_the_region(lead, ecosystem):
    election = election_with_contests(("regional-chair-west", PLURALITY, []))
    with pytest.raises(NotAllowed, match="West"):
        services.nomination_create(
            acting_user=lead,
            ecosystem=ecosystem,
            contest=contest(election, "regional-chair-west"),
            nominee=lead,
            statement="x",
        )


def test_bad_token_is_refused():
    with pytest.raises(NotAllowed):
        services.nomination_from_token("nope")


def test_dates_close_voting_and_nominations_even_before_the_admin_does(ecosystem, voter):
    import datetime as dt

    from django.utils import timezone

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    election = election_with_contests(("chair", IRV, ["Ada"]), phase="voting")
    Election.objects.filter(pk=election.pk).update(
        voting_opens_on=yesterday - dt.timedelta(days=3), voting_closes_on=yesterday
    )
    election.refresh_from_db()
    with pytest.raises(Conflict, match="closed on"):
        cast(election, ecosystem, voter, ["Ada"])
    other = election_with_contests(("vice-chair-events", IRV, []))
    Election.objects.filter(pk=other.pk).update(nominations_close_on=yesterday)
    other.refresh_from_db()
    with pytest.raises(Conflict, match="closed on"):
        services.nomination_create(
            acting_user=voter,
            ecosystem=ecosystem,
            contest=contest(other, "vice-chair-events"),
            nominee=voter,
            statement="x",
        )
