"""Lead pages: ballot (choose, review, cast, receipt), access, results, receipts, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from elections.models import Contest, Election, SealedBallot, VoterRecord
from elections.selectors import panel_context
from members.dashboard import render_panels
from tests.elections.factories import (
    CandidateFactory,
    candidates,
    contest,
    election_with_contests,
    full_ballot,
    sealed_contents,
)
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
def voting(ecosystem):
    make_in_good_standing(ecosystem)
    return election_with_contests(
        ("chair", IRV, ["Ada Lovelace", "Bo Diddley", "Cy Twombly"]),
        ("vice-chair-events", PLURALITY, ["Eve Arden", "Flo Jo"]),
        ("regional-chair-west", PLURALITY, ["Wes Tern"]),
        phase="voting",
    )


def ballot_url(election, ecosystem):
    return reverse("elections:ballot", kwargs={"slug": election.slug, "ecosystem": ecosystem.slug})


def ballot_post(election, ranking, event=None, step="cast", region_slug="northeast"):
    """What the ballot form posts: `ranking` in the chair contest, `event` picked for
    vice-chair events, every other field at "not ranked" / "No vote"."""
    return full_ballot(
        election,
        ranks={"chair": ranking},
        picks={"vice-chair-events": event} if event else {},
        step=step,
        region_slug=region_slug,
    )


def test_lead_reviews_then_casts_and_sees_a_receipt(lead_client, voting, ecosystem):
    url = ballot_url(voting, ecosystem)
    page = lead_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ada Lovelace" in html and "Eve Arden" in html
    assert "Wes Tern" not in html  # western regional chair: not for a northeastern ecosystem
    assert "I will listen to every ecosystem." in html  # candidate statements

    review = lead_client.post(
        url, ballot_post(voting, ["Cy Twombly", "Ada Lovelace"], "Flo Jo", "review")
    )
    assert review.status_code == 200
    text = review.content.decode()
    assert "Review your ballot" in text and text.index("Cy Twombly") < text.index("Ada Lovelace")
    assert not SealedBallot.objects.exists()

    done = lead_client.post(url, ballot_post(voting, ["Cy Twombly", "Ada Lovelace"], "Flo Jo"))
    assert done.status_code == 200
    receipt = SealedBallot.objects.get().receipt
    assert receipt in done.content.decode()
    ids = {**candidates(voting), **candidates(voting, "vice-chair-events")}
    assert sealed_contents(voting) == [
        {
            str(contest(voting).pk): [ids["Cy Twombly"], ids["Ada Lovelace"]],
            str(contest(voting, "vice-chair-events").pk): [ids["Flo Jo"]],
        }
    ]
    again = lead_client.get(url)
    assert again.status_code == 403 and "has voted" in again.content.decode()
    replay = lead_client.post(url, ballot_post(voting, ["Ada Lovelace"]))
    assert replay.status_code == 403
    assert SealedBallot.objects.count() == VoterRecord.objects.count() == 1


def test_bad_rankings_are_form_errors(lead_client, voting, ecosystem):
    """Rankings the form offers but that do not make a ranking: shown as errors."""
    url = ballot_url(voting, ecosystem)
    ids, chair = candidates(voting), contest(voting)
    for ranks in (
        {
            f"rank_{chair.pk}_{ids['Ada Lovelace']}": "1",
            f"rank_{chair.pk}_{ids['Bo Diddley']}": "1",
        },
        {f"rank_{chair.pk}_{ids['Ada Lovelace']}": "2"},
    ):
        response = lead_client.post(url, {**ballot_post(voting, []), **ranks})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not SealedBallot.objects.exists()


def test_blank_ballot_is_allowed(lead_client, voting, ecosystem):
    response = lead_client.post(ballot_url(voting, ecosystem), ballot_post(voting, []))
    assert response.status_code == 200
    (contents,) = sealed_contents(voting)
    assert set(map(len, contents.values())) == {0}


def test_who_cannot_vote_gets_a_clear_403(client, voting, ecosystem):
    url = ballot_url(voting, ecosystem)
    member = make_member(ecosystem)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 403 and "only one of its leads" in response.content.decode()
    assert client.post(url, ballot_post(voting, ["Ada Lovelace"])).status_code == 403

    lapsed = EcosystemFactory()
    make_lapsed(lapsed)
    client.force_login(make_lead(lapsed))
    response = client.get(ballot_url(voting, lapsed))
    assert response.status_code == 403
    assert "not in good standing when voting opened" in response.content.decode()

    client.force_login(make_lead(EcosystemFactory()))  # a lead, of another ecosystem
    assert client.post(url, ballot_post(voting, ["Ada Lovelace"])).status_code == 403

    client.logout()
    anonymous = client.post(url, ballot_post(voting, ["Ada Lovelace"]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not SealedBallot.objects.exists() and not VoterRecord.objects.exists()


def test_other_region_lead_cannot_vote_in_a_regional_only_election(client, ecosystem):
    make_in_good_standing(ecosystem)  # northeast
    election = election_with_contests(("regional-chair-west", PLURALITY, ["Wes"]), phase="voting")
    client.force_login(make_lead(ecosystem))
    response = client.get(ballot_url(election, ecosystem))
    assert response.status_code == 403 and "other regions only" in response.content.decode()
    data = {
        "step": "cast",
        f"contest_{contest(election, 'regional-chair-west').pk}": str(
            candidates(election, "regional-chair-west")["Wes"]
        ),
    }
    assert client.post(ballot_url(election, ecosystem), data).status_code == 403
    assert not SealedBallot.objects.exists()


def test_election_page_explains_eligibility(lead_client, voting, ecosystem):
    response = lead_client.get(voting.get_absolute_url())
    assert response.status_code == 200
    assert "you can cast its ballot" in response.content.decode()


RANKINGS = [["Ada"], ["Bo", "Ada"], ["Cy", "Ada"], ["Ada"], ["Bo"]]


def _certified_with_votes(rankings=RANKINGS):
    """A certified chair election (IRV) with one ballot per ranking, each cast by its own
    ecosystem. With the five default ballots: Ada 2, Bo 2, Cy 1; Cy goes; Ada 3, Bo 2."""
    ecosystems = []
    for name, slug in [
        ("Alpha STEM", "northeast"),
        ("Beta STEM", "west"),
        ("Gamma STEM", "west"),
        ("Delta STEM", "south"),
        ("Epsilon STEM", "south"),
        ("Zeta STEM", "midwest"),
    ][: len(rankings)]:
        eco = EcosystemFactory(name=name, region=region(slug))
        make_in_good_standing(eco)
        ecosystems.append((eco, make_lead(eco)))
    election = election_with_contests(("chair", IRV, ["Ada", "Bo", "Cy"]), phase="voting")
    from elections import services

    ids = candidates(election)
    receipts = []
    for (eco, lead), ranking in zip(ecosystems, rankings, strict=True):
        receipts.append(
            services.ballot_cast(
                acting_user=lead,
                election=election,
                ecosystem=eco,
                choices={contest(election).pk: [ids[n] for n in ranking]},
            )
        )
    services.election_close(acting_user=None, election=election)
    services.election_certify(acting_user=None, election=election)
    election.refresh_from_db()
    return election, ecosystems, receipts


def test_results_are_published_after_certification_without_voters(
    client, django_assert_max_num_queries
):
    election, ecosystems, receipts = _certified_with_votes()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("elections:results", kwargs={"slug": election.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Round 2" in html and "Ada" in html and "West" in html
    for eco, _lead in ecosystems:
        assert eco.name not in html and eco.slug not in html
    for receipt in receipts:
        assert receipt not in html  # receipts are published apart from contents

    results_csv = client.get(reverse("elections:results_csv", kwargs={"slug": election.slug}))
    ballots_csv = client.get(
        reverse(
            "elections:contest_ballots_csv",
            kwargs={"slug": election.slug, "contest": contest(election).pk},
        )
    )
    bodies = {}
    for response in (results_csv, ballots_csv):
        body = bodies[response] = b"".join(response.streaming_content).decode("utf-8-sig")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        for eco, lead in ecosystems:
            assert eco.name not in body and lead.email not in body
        for receipt in receipts:
            assert receipt not in body
    rows = list(csv.reader(io.StringIO(bodies[ballots_csv])))
    assert rows[0] == ["Choices (first preference first)"]
    assert sorted(r[0] for r in rows[1:]) == ["Ada", "Ada", "Bo", "Bo > Ada", "Cy > Ada"]
    result_rows = list(csv.DictReader(io.StringIO(bodies[results_csv])))
    assert any(
        (r["candidate"], r["round"], r["votes"], r["outcome"]) == ("Ada", "2", "3", "elected")
        for r in result_rows
    )


def test_receipt_check(client):
    election, _ecosystems, receipts = _certified_with_votes()
    url = reverse("elections:receipts", kwargs={"slug": election.slug})
    page = client.post(url, {"code": receipts[0].lower().replace("-", "")})
    assert page.context["found"] is True
    assert client.post(url, {"code": "AAAA-AAAA-AAAA"}).context["found"] is False
    listed = list(page.context["page_obj"])
    assert listed == sorted(receipts)
    assert not client.get(url, {"page": "1"}).context["form"].is_bound  # no error shown
    html = page.content.decode()
    for eco, lead in _ecosystems:
        assert eco.name not in html and lead.email not in html


def test_results_hidden_until_certified(client, voting):
    for name in ("results", "results_csv", "receipts"):
        assert (
            client.get(reverse(f"elections:{name}", kwargs={"slug": voting.slug})).status_code
            == 404
        )
    ballots = reverse(
        "elections:contest_ballots_csv", kwargs={"slug": voting.slug, "contest": contest(voting).pk}
    )
    assert client.get(ballots).status_code == 404


def test_list_and_detail_pages(client, voting, django_assert_max_num_queries):
    assert voting.title in client.get(reverse("elections:list")).content.decode()
    with django_assert_max_num_queries(8):
        page = client.get(voting.get_absolute_url())
    assert "Bo Diddley" in page.content.decode()


def test_dashboard_panel(ecosystem, lead, voting, django_assert_num_queries):
    # the open elections, the electorate, the votes (kept per ecosystem), the caster
    with django_assert_num_queries(4):
        context = panel_context(ecosystem=ecosystem, user=lead)
    with django_assert_num_queries(1):  # kept: only whether this lead may cast
        context = panel_context(ecosystem=ecosystem, user=lead)
    (row,) = context["rows"]
    assert row["can_vote"] and not row["voted"]
    (panel,) = [
        p for p in render_panels(ecosystem=ecosystem, user=lead) if p["panel"].key == "elections"
    ]
    assert panel["context"]["rows"][0]["election"] == voting


def test_nominate_page(lead_client, ecosystem, lead):
    make_in_good_standing(ecosystem)
    election = election_with_contests(("chair", IRV, []))
    url = reverse("elections:nominate", kwargs={"slug": election.slug, "ecosystem": ecosystem.slug})
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(
        url, {"contest": contest(election).pk, "nominee_email": lead.email, "statement": "Me."}
    )
    assert response.status_code == 302
    detail = lead_client.get(election.get_absolute_url()).content.decode()
    assert "Accepted by the nominee" in detail
    bad = lead_client.post(
        url,
        {"contest": contest(election).pk, "nominee_email": "nobody@example.org", "statement": "x"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors


def test_nomination_link(client, ecosystem, lead):
    from elections import services

    make_in_good_standing(ecosystem)
    election = election_with_contests(("chair", IRV, []))
    nomination = services.nomination_create(
        acting_user=lead,
        ecosystem=ecosystem,
        contest=contest(election),
        nominee=make_member(ecosystem),
        statement="x",
    )
    url = reverse("elections:nomination_respond", args=[services.nomination_token(nomination)])
    assert client.get(url).status_code == 200
    client.post(url, {"answer": "decline"})
    nomination.refresh_from_db()
    assert nomination.status == "declined"
    assert client.get(reverse("elections:nomination_respond", args=["forged"])).status_code == 403


def test_the_empty_ballot_is_read_and_drawn_once_per_change(
    lead_client, voting, ecosystem, django_assert_max_num_queries
):
    """The contests, candidates and the empty ballot's HTML are kept until a contest or
    candidate changes; the eligibility (voted? in the electorate?) is read on every view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from elections.models import Candidate

    url = ballot_url(voting, ecosystem)
    assert lead_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        page = lead_client.get(url)
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "elections_candidate" not in tables and "elections_contest" not in tables
    assert "elections_voterrecord" in tables and "elections_elector" in tables
    assert len(warm) <= 8
    assert "Ada Lovelace" in page.content.decode()

    ada = Candidate.objects.get(contest__election=voting, name="Ada Lovelace")
    ada.name = "Ada King Lovelace"
    ada.save()
    html = lead_client.get(url).content.decode()
    assert "Ada King Lovelace" in html


def test_a_ballot_drawn_for_another_lead_casts_with_this_lead_s_token(ecosystem):
    """The kept ballot HTML carries each response's own CSRF token: a second ecosystem's
    lead gets the ballot the first one's view kept, and casts it."""
    import re

    from django.test import Client

    second = EcosystemFactory(region=ecosystem.region)
    leads = {}
    for eco in (ecosystem, second):
        make_in_good_standing(eco)
        leads[eco] = make_lead(eco)
    election = election_with_contests(
        ("chair", IRV, ["Ada Lovelace", "Bo Diddley"]), phase="voting"
    )
    seen = []
    for eco in (ecosystem, second):
        client = Client(enforce_csrf_checks=True)
        client.force_login(leads[eco])
        html = client.get(ballot_url(election, eco)).content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(tokens) == 1 and not tokens & set(seen)
        seen.extend(tokens)
        data = {**ballot_post(election, ["Ada Lovelace"]), "csrfmiddlewaretoken": tokens.pop()}
        assert client.post(ballot_url(election, eco), data).status_code == 200
        assert VoterRecord.objects.filter(election=election, ecosystem=eco).exists()
    assert SealedBallot.objects.filter(election=election).count() == 2


def test_a_ballot_with_errors_is_drawn_afresh(lead_client, voting, ecosystem):
    url = ballot_url(voting, ecosystem)
    lead_client.get(url)  # the empty ballot is now kept
    data = ballot_post(voting, ["Ada Lovelace"], step="review")
    data[f"rank_{contest(voting).pk}_{candidates(voting)['Bo Diddley']}"] = "1"  # two firsts
    page = lead_client.post(url, data)
    assert page.status_code == 200
    assert 'class="error"' in page.content.decode()
    assert not SealedBallot.objects.exists()


def test_voter_facts_are_the_ecosystem_s_own(lead, voting, ecosystem):
    from elections.selectors import election_for_voter, voter_facts
    from elections.services import ballot_cast

    other = EcosystemFactory()
    make_in_good_standing(other)
    assert voter_facts(voting, ecosystem) == (None, ecosystem.region_id)  # opened before
    assert voter_facts(voting, other) == (None, None)  # not in good standing when it opened
    ballot_cast(
        acting_user=lead,
        election=voting,
        ecosystem=ecosystem,
        choices={contest(voting).pk: [candidates(voting)["Ada Lovelace"]]},
    )
    record = VoterRecord.objects.get(ecosystem=ecosystem)
    assert voter_facts(voting, ecosystem) == (record.pk, ecosystem.region_id)
    assert voter_facts(voting, other) == (None, None)
    # the ballot page reads the election and the same facts in one query
    for eco in (ecosystem, other):
        election, facts = election_for_voter(voting.slug, eco)
        assert election == voting and election.phase == voting.phase
        assert facts == voter_facts(voting, eco)


def test_the_ballot_s_election_is_a_public_one(voting, ecosystem):
    from django.http import Http404

    from elections.selectors import election_for_voter

    voting.phase = Election.Phase.DRAFT
    voting.save()
    for slug in (voting.slug, "no-such-election"):
        with pytest.raises(Http404):
            election_for_voter(slug, ecosystem)


def test_a_warm_ballot_view_runs_four_queries(lead_client, voting, ecosystem):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead_client.get(ballot_url(voting, ecosystem))
    with CaptureQueriesContext(connection) as warm:
        page = lead_client.get(ballot_url(voting, ecosystem))
    assert page.status_code == 200 and "Ada Lovelace" in page.content.decode()
    # user, the ecosystem with the lead's role, the election with voted/elector (contests
    # are cached), and whether this lead may cast its ballot (issue 22: a lead when voting
    # opened, still a lead now)
    assert len(warm) <= 4, [q["sql"] for q in warm.captured_queries]


def test_the_ballot_follows_its_contests(lead_client, voting, ecosystem):
    """The contests are kept (the `ballots` version key): a new candidate shows on the
    next view."""
    url = ballot_url(voting, ecosystem)
    first = lead_client.get(url).content.decode()
    again = lead_client.get(url).content.decode()
    assert again.partition("<form")[2].count("Ada Lovelace") == 1
    assert first.count("Grace Hopper") == again.count("Grace Hopper") == 0
    CandidateFactory(contest=contest(voting), name="Grace Hopper")
    assert "Grace Hopper" in lead_client.get(url).content.decode()


def test_the_ballot_review_lists_choices_and_sets_its_buttons_side_by_side(
    lead_client, voting, ecosystem
):
    url = ballot_url(voting, ecosystem)
    review = lead_client.post(
        url, ballot_post(voting, ["Cy Twombly", "Ada Lovelace"], "Flo Jo", "review")
    ).content.decode()
    actions = review[review.index('<div class="actions ballot-actions">') :]
    assert actions.index("Cast the ballot") < actions.index("Change my choices")
    assert '<ul class="choice-list"><li>Flo Jo</li></ul>' in review
