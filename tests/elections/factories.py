"""Factories and builders of the elections tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from elections import sealing, services
from elections.ballots import voter_contests
from elections.models import Candidate, Contest, Election, SealedBallot
from governance.models import Office
from tests.factories import UserFactory, region


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    title = factory.Sequence(lambda n: f"Stewardship Team election {n}")
    slug = factory.Sequence(lambda n: f"stewardship-election-{n}")
    term_start = factory.LazyFunction(lambda: dt.date(timezone.localdate().year + 1, 1, 1))


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    election = factory.SubFactory(ElectionFactory)
    office = factory.LazyFunction(lambda: Office.objects.get(slug="chair"))
    method = Contest.Method.IRV


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    contest = factory.SubFactory(ContestFactory)
    person = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    statement = "I will listen to every ecosystem."


def office(slug: str) -> Office:
    return Office.objects.get(slug=slug)


def election_with_contests(*specs, phase: str = "nominations", **kwargs) -> Election:
    """An election with one contest per (office slug, method, [candidate names]) in
    `specs`, moved to `phase` through the services ("voting" snapshots the electorate)."""
    election = ElectionFactory(**kwargs)
    for order, (slug, method, names) in enumerate(specs):
        contest = ContestFactory(election=election, office=office(slug), method=method, order=order)
        for name in names:
            CandidateFactory(contest=contest, name=name)
    services.election_open_nominations(acting_user=None, election=election)
    if phase in ("voting", "closed", "certified"):
        services.election_open_voting(acting_user=None, election=election)
    if phase in ("closed", "certified"):
        services.election_close(acting_user=None, election=election)
    if phase == "certified":
        services.election_certify(acting_user=None, election=election)
    election.refresh_from_db()
    return election


def candidates(election: Election, slug: str = "chair") -> dict[str, int]:
    """{candidate name: id} of one contest."""
    return dict(
        Candidate.objects.filter(
            contest__election=election, contest__office__slug=slug
        ).values_list("name", "pk")
    )


def contest(election: Election, slug: str = "chair") -> Contest:
    return election.contests.get(office__slug=slug)


def sealed_contents(election: Election) -> list[dict[str, list[int]]]:
    """The contents of the election's sealed ballots, opened with the key (what closing
    voting does), in no particular order."""
    key = sealing.current_key()
    return [
        sealing.unseal(key, election_id=election.pk, receipt=receipt, sealed=blob)
        for receipt, blob in SealedBallot.objects.filter(election=election).values_list(
            "receipt", "sealed"
        )
    ]


def full_ballot(
    election: Election,
    *,
    ranks: dict[str, list[str]] | None = None,
    picks: dict[str, str] | None = None,
    step: str = "cast",
    region_slug: str = "northeast",
) -> dict[str, str]:
    """The POST the ballot form sends for an ecosystem of `region_slug`: every field of
    every contest it votes in ("not ranked" / "No vote" unless `ranks` {office slug:
    [names in order]} or `picks` {office slug: name} say otherwise) and the step."""
    data = {"step": step}
    for contest in voter_contests(election, region(region_slug).pk):
        names = {c.name: c.pk for c in contest.candidates.all()}
        if contest.is_ranked:
            ranking = (ranks or {}).get(contest.office.slug, [])
            for name, pk in names.items():
                rank = ranking.index(name) + 1 if name in ranking else ""
                data[f"rank_{contest.pk}_{pk}"] = str(rank)
        else:
            pick = (picks or {}).get(contest.office.slug)
            data[f"contest_{contest.pk}"] = str(names[pick]) if pick else ""
    return data


ACTION_STEPS = {
    "election_open_nominations": "open-nominations",
    "election_open_voting": "open-voting",
    "election_close": "close",
    "election_certify": "certify",
}


def admin_phase(client, election: Election, action: str, data: dict | None = None):
    """A phase action in the admin as a steward takes it: choose the action for the
    election in the list, then confirm on its confirmation page (POST "confirm", with
    `data`, e.g. new dates). Returns the confirmation's response, redirects followed."""
    from django.urls import reverse

    client.post(
        reverse("admin:elections_election_changelist"),
        {"action": action, "_selected_action": [election.pk]},
    )
    return client.post(
        reverse("admin:elections_election_phase", args=[election.pk, ACTION_STEPS[action]]),
        {"confirm": "Confirm", **(data or {})},
        follow=True,
    )
