"""Reads of the elections app that carry logic: who may vote and why, the ballot, the
published results (only after certification) and the receipt check."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from elections.models import Nomination
from members.billing.selectors import ecosystem_standing
from members.dashboard import NETWORK, PANEL_CACHE_SECONDS, ecosystem_namespace
from members.models import Ecosystem, Region
from members.permissions import EcosystemAccess, ecosystem_access
from members.selectors import ecosystems_for_user
from slecop.cache import versioned

from .ballots import BALLOTS, normalise_receipt, voter_contests
from .models import (
    Candidate,
    Caster,
    Contest,
    ContestBallot,
    CountedReceipt,
    Election,
    Elector,
    VoterRecord,
)

Phase = Election.Phase
PUBLIC_PHASES = (Phase.NOMINATIONS, Phase.VOTING, Phase.CLOSED, Phase.CERTIFIED)
# A contest with fewer ballots publishes its winner only: no counts, rounds or ballots
# (with one or two voters, the ballots are those voters' votes).
MIN_BALLOTS_TO_PUBLISH = 5


def ballot_contests(election: Election, region_id: int) -> list[Contest]:
    """`voter_contests`, kept until a contest, candidate, office or election changes: the
    ballot page shows them on every view. Casting reads them again, under its locks."""
    parts = ("contests", election.pk, region_id)
    return versioned(BALLOTS, parts, lambda: voter_contests(election, region_id))


def public_elections() -> QuerySet[Election]:
    """Elections past the draft stage, newest first."""
    return Election.objects.filter(phase__in=PUBLIC_PHASES).order_by("-term_start", "-pk")


def election_contests(election: Election) -> list[Contest]:
    """The contests with their offices and candidates, in two queries."""
    return list(
        election.contests.select_related("office", "office__region")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related(
                    "nomination__nominee_ecosystem__region"
                ).order_by("name", "pk"),
            )
        )
        .order_by("order", "pk")
    )


@dataclass
class Eligibility:
    """Whether `ecosystem` can vote in `election` now, and why (shown to its leads)."""

    can_vote: bool
    reason: str
    voted: bool = False
    is_lead: bool = False
    contests: list[Contest] = field(default_factory=list)
    cast_at: Any = None


VoterFacts = tuple[int | None, int | None]


def _voter_facts(election, ecosystem: Ecosystem) -> dict:
    """The annotations (voter_record_id, elector_region_id) of the ecosystem's VoterRecord
    and Elector region in `election` (an election pk or an OuterRef to it)."""
    records = VoterRecord.objects.filter(election=election, ecosystem=ecosystem).order_by()
    electors = Elector.objects.filter(election=election, ecosystem=ecosystem).order_by()
    return {
        "voter_record_id": Subquery(records.values("pk")[:1]),
        "elector_region_id": Subquery(electors.values("region_id")[:1]),
    }


def voter_facts(election: Election, ecosystem: Ecosystem) -> VoterFacts:
    """(the ecosystem's VoterRecord id, its Elector's region id) in `election`, None where
    there is none (both are unique per election and ecosystem), in one query."""
    row = (
        Election.objects.filter(pk=election.pk)
        .order_by()
        .annotate(**_voter_facts(election.pk, ecosystem))
        .values_list("voter_record_id", "elector_region_id")
    )
    return next(iter(row), (None, None))


def election_for_voter(slug: str, ecosystem: Ecosystem) -> tuple[Election, VoterFacts]:
    """The public election of `slug` (404 otherwise) and `voter_facts` of `ecosystem` in
    it, in one query."""
    elections = Election.objects.filter(phase__in=PUBLIC_PHASES).annotate(
        **_voter_facts(OuterRef("pk"), ecosystem)
    )
    election = get_object_or_404(elections, slug=slug)
    return election, (election.voter_record_id, election.elector_region_id)


def eligibility(
    *,
    election: Election,
    ecosystem: Ecosystem,
    user,
    access: EcosystemAccess | None = None,
    facts: VoterFacts | None = None,
) -> Eligibility:
    """`access` and `facts`: the user's EcosystemAccess and the ecosystem's voter facts
    where the caller has them already (the ballot view), so they are not read twice."""
    is_lead = (access or ecosystem_access(user, ecosystem)).can_act
    record_id, region_id = facts if facts is not None else voter_facts(election, ecosystem)
    if record_id is not None:
        record = VoterRecord.objects.only("cast_at").get(pk=record_id)
        return Eligibility(
            False,
            _("%(eco)s has voted (%(day)s). A ballot is final once cast.")
            % {"eco": ecosystem, "day": date_format(record.cast_at.date())},
            voted=True,
            is_lead=is_lead,
            cast_at=record.cast_at,
        )
    if election.phase in (Phase.DRAFT, Phase.NOMINATIONS):
        return Eligibility(False, _("Voting has not opened yet."), is_lead=is_lead)
    if election.phase != Phase.VOTING or (
        election.voting_closes_on and timezone.localdate() > election.voting_closes_on
    ):
        return Eligibility(False, _("Voting is closed."), is_lead=is_lead)
    if region_id is None:
        standing = ecosystem_standing(ecosystem)
        return Eligibility(
            False,
            _(
                "%(eco)s was not in good standing when voting opened on %(day)s, so it has "
                "no ballot in this election (standing now: %(now)s)."
            )
            % {
                "eco": ecosystem,
                "day": date_format(election.voting_opened_at.date()),
                "now": standing.reason,
            },
            is_lead=is_lead,
        )
    contests = ballot_contests(election, region_id)
    if not contests:
        return Eligibility(
            False,
            _(
                "The contests of this election are voted by the ecosystems of other "
                "regions only; %(eco)s is in %(region)s."
            )
            % {"eco": ecosystem, "region": Region.objects.get(pk=region_id)},
            is_lead=is_lead,
        )
    if not is_lead:
        return Eligibility(
            False,
            _("%(eco)s can vote; only one of its leads can cast its ballot.") % {"eco": ecosystem},
            contests=contests,
        )
    if not (
        Caster.objects.filter(elector__election=election, elector__ecosystem=ecosystem, user=user)
        .still_leads()
        .exists()
    ):
        return Eligibility(
            False,
            _(
                "%(eco)s can vote, but its ballot is cast by one of the leads it had when "
                "voting opened. If none of them is still a lead, the Stewardship team can "
                "add you."
            )
            % {"eco": ecosystem},
            is_lead=True,
            contests=contests,
        )
    return Eligibility(
        True,
        _("%(eco)s was in good standing when voting opened: you can cast its ballot.")
        % {"eco": ecosystem},
        is_lead=True,
        contests=contests,
    )


def user_ecosystems_status(*, election: Election, user) -> list[tuple[Ecosystem, Eligibility]]:
    """For the election page: each of the user's ecosystems and whether it can vote."""
    return [
        (eco, eligibility(election=election, ecosystem=eco, user=user))
        for eco in ecosystems_for_user(user)
    ]


def ecosystems_nominations(*, election: Election, ecosystems: list[Ecosystem]) -> list:
    """The nominations made on behalf of these ecosystems, with their status (one query)."""

    return list(
        Nomination.objects.filter(contest__election=election, ecosystem__in=ecosystems)
        .select_related("nominee", "contest__office", "ecosystem", "nominee_ecosystem")
        .order_by("contest__order", "created_at")
    )


# --- results (published after certification) ------------------------------------------------


@dataclass
class ContestResult:
    contest: Contest
    names: dict[str, str]
    result: dict[str, Any]

    @property
    def in_full(self) -> bool:
        """Whether counts, rounds and ballots are published (MIN_BALLOTS_TO_PUBLISH or
        more ballots), or the winner only."""
        return self.result.get("ballots", 0) >= MIN_BALLOTS_TO_PUBLISH

    @property
    def winners(self) -> list[str]:
        return [self.names.get(str(w), "?") for w in self.result.get("winners", [])]

    @property
    def candidate_rows(self) -> list[tuple[str, list[int | None]]]:
        """One row per candidate: their count in each round (None once eliminated)."""
        rounds = self.result.get("rounds") or [{"counts": self.result.get("counts", {})}]
        rows = []
        for key, name in self.names.items():
            rows.append((name, [r["counts"].get(key) for r in rounds]))
        rows.sort(key=lambda row: [-(c or -1) for c in row[1][::-1]])
        return rows

    @property
    def rounds(self) -> list[dict[str, Any]]:
        return [
            {
                **r,
                "eliminated_name": self.names.get(str(r["eliminated"]))
                if r.get("eliminated") is not None
                else "",
                "elected_name": self.names.get(str(r["elected"]))
                if r.get("elected") is not None
                else "",
            }
            for r in self.result.get("rounds", [])
        ]

    @property
    def ties_by_lot(self) -> list[list[str]]:
        return [[self.names.get(str(c), "?") for c in tie] for tie in self.result["ties_by_lot"]]


def contest_results(election: Election) -> list[ContestResult]:
    results = []
    for contest in election_contests(election):
        names = {str(c.pk): c.name for c in contest.candidates.all()}
        results.append(ContestResult(contest, names, contest.result or {}))
    return results


@dataclass
class Turnout:
    region: Region
    electors: int
    voted: int

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.electors) if self.electors else 0


def turnout_by_region(election: Election) -> list[Turnout]:
    """Electors and ballots cast per region (counts only), in two queries."""
    electors = dict(
        Elector.objects.filter(election=election)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    voted = dict(
        VoterRecord.objects.filter(election=election)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    return [
        Turnout(region, electors.get(region.pk, 0), voted.get(region.pk, 0))
        for region in Region.objects.order_by("number")
    ]


def counted_receipts(election: Election) -> QuerySet:
    """The published list of counted receipt codes, in alphabetical order (never the
    order of casting), for a paginator."""
    return (
        CountedReceipt.objects.filter(election=election)
        .order_by("code")
        .values_list("code", flat=True)
    )


def receipt_counted(*, election: Election, code: str) -> bool:
    """Whether a ballot with this receipt was counted (never what it said)."""
    return CountedReceipt.objects.filter(election=election, code=normalise_receipt(code)).exists()


def published_contest(election: Election, contest_id: int) -> ContestResult:
    """A contest of a certified election whose ballots are published (404 for a contest
    of another election, or one with fewer than MIN_BALLOTS_TO_PUBLISH ballots)."""
    for r in contest_results(election):
        if r.contest.pk == contest_id and r.in_full:
            return r
    raise Http404(_("The ballots of this contest are not published."))


def contest_ballots(contest: Contest) -> list[list[int]]:
    """One contest's ballots (the chosen candidate ids of each), in a fresh random order
    each time: never a row across contests, never a receipt."""

    votes = list(ContestBallot.objects.filter(contest=contest).values_list("choices", flat=True))
    secrets.SystemRandom().shuffle(votes)
    return votes


# --- dashboard panel ----------------------------------------------------------------------


def panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "My ecosystem" elections panel: the elections open for voting, whether this
    ecosystem is in the electorate (and why not), whether it has voted, and whether the
    viewer may cast its ballot. The ecosystem's part is cached (`_panel_facts`); the
    viewer's is one query, only while a ballot waits to be cast."""
    open_elections, electors, voted = _panel_facts(ecosystem)
    may_cast = set(panel_variant(ecosystem=ecosystem, user=user))
    rows = []
    for election in open_elections:
        if election.phase == Phase.NOMINATIONS:
            status = _("Nominations open")
        elif election.pk in voted:
            status = _("Voted")
        elif election.pk in electors:
            status = _("Not voted yet")
        else:
            status = _("Not eligible: not in good standing when voting opened")
        rows.append(
            {
                "election": election,
                "status": status,
                "voted": election.pk in voted,
                "can_vote": election.pk in may_cast,
            }
        )
    return {"ecosystem": ecosystem, "rows": rows}


def panel_variant(*, ecosystem: Ecosystem, user, role: str = "") -> tuple[int, ...]:
    """The elections whose ballot the viewer may cast for the ecosystem now: one query,
    only while a ballot waits to be cast."""
    open_elections, electors, voted = _panel_facts(ecosystem)
    waiting = [
        e.pk for e in open_elections if e.is_voting and e.pk in electors and e.pk not in voted
    ]
    if not (waiting and getattr(user, "pk", None)):
        return ()
    casts = Caster.objects.filter(
        user_id=user.pk, elector__ecosystem=ecosystem, elector__election_id__in=waiting
    ).still_leads()
    return tuple(sorted(casts.values_list("elector__election_id", flat=True)))


def _panel_facts(ecosystem: Ecosystem) -> tuple[list[Election], set[int], set[int]]:
    """(the open elections, those the ecosystem is an elector of, those it has voted in),
    in three queries, kept per ecosystem until an election changes (`ballots`), the
    electorate is drawn (`panels`) or the ecosystem votes (its own version key)."""

    def facts():
        open_elections = list(
            Election.objects.filter(phase__in=(Phase.NOMINATIONS, Phase.VOTING)).order_by("pk")
        )
        ids = [e.pk for e in open_elections]
        electors = set(
            Elector.objects.filter(election_id__in=ids, ecosystem=ecosystem).values_list(
                "election_id", flat=True
            )
        )
        voted = set(
            VoterRecord.objects.filter(election_id__in=ids, ecosystem=ecosystem).values_list(
                "election_id", flat=True
            )
        )
        return open_elections, electors, voted

    namespaces = (ecosystem_namespace(ecosystem.pk), BALLOTS, NETWORK)
    return versioned(
        namespaces, ("elections-panel", ecosystem.pk), facts, timeout=PANEL_CACHE_SECONDS
    )
