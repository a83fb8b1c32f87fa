"""Factories and builders of the elections tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from elections import services
from elections.models import Candidate, Contest, Election
from governance.models import Office
from tests.factories import UserFactory


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
