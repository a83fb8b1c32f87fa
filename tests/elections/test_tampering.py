"""Issue 23, point 5: the ballot form always submits every contest ("No vote" and "not
ranked" pre-selected), and a post it could not have sent — a repeated field, a missing
contest field, a field or value it did not offer — is refused with 400 and a message,
and stores nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from elections.models import Contest, SealedBallot, VoterRecord
from members.models import AuditEntry
from tests.elections.factories import candidates, contest, election_with_contests, full_ballot
from tests.factories import make_in_good_standing

pytestmark = pytest.mark.django_db
IRV, PLURALITY = Contest.Method.IRV, Contest.Method.PLURALITY


@pytest.fixture
def voting(ecosystem, lead):
    make_in_good_standing(ecosystem)
    return election_with_contests(
        ("chair", IRV, ["Ada", "Bo"]),
        ("vice-chair-events", PLURALITY, ["Eve", "Flo"]),
        ("regional-chair-west", PLURALITY, ["Wes"]),  # not on a northeastern ballot
        phase="voting",
    )


def _url(election, ecosystem):
    return reverse("elections:ballot", kwargs={"slug": election.slug, "ecosystem": ecosystem.slug})


def test_the_form_preselects_no_vote_and_not_ranked(lead_client, voting, ecosystem):
    html = lead_client.get(_url(voting, ecosystem)).content.decode()
    events = contest(voting, "vice-chair-events")
    radios = re.findall(rf'<input type="radio" name="contest_{events.pk}"[^>]*>', html)
    checked = [r for r in radios if "checked" in r]
    assert len(radios) == 3 and len(checked) == 1 and 'value=""' in checked[0]
    chair = contest(voting)
    for pk in candidates(voting).values():
        select = re.search(rf'<select name="rank_{chair.pk}_{pk}".*?</select>', html, re.S)
        assert re.search(r'<option value="" selected>', select.group(0))


def test_the_form_s_own_post_is_accepted(lead_client, voting, ecosystem):
    data = full_ballot(voting, ranks={"chair": ["Bo"]}, picks={"vice-chair-events": "Eve"})
    assert lead_client.post(_url(voting, ecosystem), data).status_code == 200
    assert SealedBallot.objects.count() == VoterRecord.objects.count() == 1


def _tampered(voting):
    """(what, a tampered post) pairs built from the form's own post."""
    chair, events = contest(voting), contest(voting, "vice-chair-events")
    west = contest(voting, "regional-chair-west")
    ids = {**candidates(voting), **candidates(voting, "vice-chair-events")}
    base = full_ballot(voting, ranks={"chair": ["Ada"]}, picks={"vice-chair-events": "Eve"})
    missing_contest = {k: v for k, v in base.items() if k != f"contest_{events.pk}"}
    missing_rank = {k: v for k, v in base.items() if k != f"rank_{chair.pk}_{ids['Bo']}"}
    events_field = f"contest_{events.pk}"
    return {
        "repeated field": (base, {events_field: [str(ids["Eve"]), str(ids["Flo"])]}),
        "repeated step": (base, {"step": ["review", "cast"]}),
        "missing contest": (missing_contest, {}),
        "missing rank": (missing_rank, {}),
        "unknown field": (base, {"favourite": "Ada"}),
        "other region's contest": (base, {f"contest_{west.pk}": "1"}),
        "other contest's candidate": (base, {events_field: str(ids["Ada"])}),
        "rank not offered": (base, {f"rank_{chair.pk}_{ids['Bo']}": "3"}),
        "rank not a number": (base, {f"rank_{chair.pk}_{ids['Bo']}": "banana"}),
        "unknown step": (base, {"step": "vote"}),
    }


@pytest.mark.parametrize(
    "what",
    [
        "repeated field",
        "repeated step",
        "missing contest",
        "missing rank",
        "unknown field",
        "other region's contest",
        "other contest's candidate",
        "rank not offered",
        "rank not a number",
        "unknown step",
    ],
)
@pytest.mark.parametrize("step", ["cast", "review"])
def test_a_post_the_form_did_not_make_is_refused_and_stores_nothing(
    lead_client, voting, ecosystem, what, step
):
    base, changes = _tampered(voting)[what]
    data = {**base, "step": step, **changes}
    response = lead_client.post(_url(voting, ecosystem), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "not sent as the ballot form sends it" in html and "Nothing was recorded" in html
    assert 'name="step" value="review"' in html  # the ballot again, to fill in
    assert not SealedBallot.objects.exists() and not VoterRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="elections.ballot_cast").exists()
    # and the ecosystem can still vote
    good = full_ballot(voting, ranks={"chair": ["Ada"]})
    assert lead_client.post(_url(voting, ecosystem), good).status_code == 200
    assert SealedBallot.objects.count() == 1
