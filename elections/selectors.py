"""Reads of the elections app that carry logic: who may vote and why, the ballot, the
published results (only after certification) and the receipt check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Ecosystem, Region
from members.permissions import EcosystemAccess, ecosystem_access
from members.selectors import ecosystem_standing, ecosystems_for_user
from slecop.cache import Stamped, versioned, versioned_entry
from slecop.sql import Statement, columns, instance, quoted_tables

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
from .services.voting import BALLOTS, normalise_receipt, voter_contests

Phase = Election.Phase
PUBLIC_PHASES = (Phase.NOMINATIONS, Phase.VOTING, Phase.CLOSED, Phase.CERTIFIED)
# A contest with fewer ballots publishes its winner only: no counts, rounds or ballots
# (with one or two voters, the ballots are those voters' votes).
MIN_BALLOTS_TO_PUBLISH = 5


def ballot_contests(election: Election, region_id: int) -> list[Contest]:
    """`voter_contests`, kept until a contest, candidate, office or election changes: the
    ballot page shows them on every view. Casting reads them again, under its locks."""
    parts = _contests_parts(election, region_id)
    return versioned(BALLOTS, parts, lambda: voter_contests(election, region_id))


def _contests_parts(election: Election, region_id: int) -> tuple:
    return ("contests", election.pk, region_id)


def ballot_contests_entry(election: Election, region_id: int) -> Stamped:
    """Where `ballot_contests` keeps them (for the ballot page to prefetch)."""
    return versioned_entry(BALLOTS, _contests_parts(election, region_id))


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


# Whether the ecosystem has voted (its VoterRecord) and is in the electorate (its Elector's
# region), in one statement: the two ORM lookups took ~3.5 ms on every view of the ballot
# (query compilation, and a join to Election that their Meta ordering adds to .first())
# where this takes ~0.35 ms. Table names come from the models, values are parameters.
VOTER_FACTS = (
    "(SELECT v.id FROM {voter_record} v WHERE v.election_id = {election} AND v.ecosystem_id = %s)"
    " AS voter_record_id, "
    "(SELECT e.region_id FROM {elector} e WHERE e.election_id = {election} "
    "AND e.ecosystem_id = %s) AS elector_region_id"
)
# The ballot page: a public election by slug and the voter facts in it, in one statement.
ELECTION_FOR_VOTER_SQL = (
    "SELECT {election_columns}, {facts} FROM {election_table} el "
    "WHERE el.slug = %s AND el.phase IN ({phases})"
)

VoterFacts = tuple[int | None, int | None]


def _tables() -> dict[str, str]:
    return quoted_tables(voter_record=VoterRecord, elector=Elector, election_table=Election)


VOTER_FACTS_ALONE = Statement(
    "voter_facts", lambda: "SELECT " + VOTER_FACTS.format(election="%s", **_tables())
)
ELECTION_FOR_VOTER = Statement(
    "election_for_voter",
    lambda: ELECTION_FOR_VOTER_SQL.format(  # model tables and columns only
        facts=VOTER_FACTS.format(election="el.id", **_tables()),
        election_columns=columns("el", Election),
        phases=", ".join(["%s"] * len(PUBLIC_PHASES)),
        **_tables(),
    ),
)


def voter_facts(election: Election, ecosystem: Ecosystem) -> VoterFacts:
    """(the ecosystem's VoterRecord id, its Elector's region id) in `election`, None where
    there is none (both are unique per election and ecosystem)."""
    with connection.cursor() as cursor:
        cursor.execute(
            VOTER_FACTS_ALONE.sql(),
            [election.pk, ecosystem.pk, election.pk, ecosystem.pk],
        )
        return cursor.fetchone()


def election_for_voter(slug: str, ecosystem: Ecosystem) -> tuple[Election, VoterFacts]:
    """The public election of `slug` (404 otherwise) and `voter_facts` of `ecosystem` in
    it, in one statement where the ORM lookup and the facts took two (~0.4 ms a view)."""
    params = [ecosystem.pk, ecosystem.pk, slug, *PUBLIC_PHASES]
    with connection.cursor() as cursor:
        cursor.execute(ELECTION_FOR_VOTER.sql(), params)
        row = cursor.fetchone()
    if row is None:
        raise Http404(_("No such election."))
    return instance(Election, row), (row[-2], row[-1])  # the voter facts come last


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
    from .models import Nomination

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
    import secrets

    votes = list(ContestBallot.objects.filter(contest=contest).values_list("choices", flat=True))
    secrets.SystemRandom().shuffle(votes)
    return votes


# --- dashboard panel ----------------------------------------------------------------------


def panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "My ecosystem" elections panel: the elections open for voting, whether this
    ecosystem is in the electorate (and why not), and whether it has voted. Three
    queries whatever the number of elections."""
    open_elections = list(
        Election.objects.filter(phase__in=(Phase.NOMINATIONS, Phase.VOTING)).order_by("pk")
    )
    ids = [e.pk for e in open_elections]
    casts = Caster.objects.filter(
        elector=OuterRef("pk"), user_id=getattr(user, "pk", None)
    ).still_leads()
    electors = dict(
        Elector.objects.filter(election_id__in=ids, ecosystem=ecosystem)
        .annotate(may_cast=Exists(casts))
        .values_list("election_id", "may_cast")
    )
    voted = set(
        VoterRecord.objects.filter(election_id__in=ids, ecosystem=ecosystem).values_list(
            "election_id", flat=True
        )
    )
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
                "can_vote": election.is_voting
                and electors.get(election.pk, False)
                and election.pk not in voted,
            }
        )
    return {"ecosystem": ecosystem, "rows": rows}
