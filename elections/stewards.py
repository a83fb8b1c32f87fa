"""Reads for the Stewardship team's admin pages (issue 27): the full count between close
and certification, and what a phase action is about to do (its confirmation page).

The stewards' count shows every contest in full, the small ones too: stewards certify
the result, so they are among those who can learn a small contest's votes
(docs/elections.md, "Who can learn what"). The public results page keeps the
MIN_BALLOTS_TO_PUBLISH rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from elections.services.phases import lapsed_candidates
from members.billing.selectors import good_standing_q
from members.models import Ecosystem, EcosystemRole

from .models import Candidate, Contest, Election
from .selectors import ContestResult, contest_results


@dataclass
class CountRow:
    """One candidate's line in the round table: (votes, change from the round before)
    per round, None once eliminated."""

    name: str
    cells: list[tuple[int, int | None] | None]


@dataclass
class RoundNote:
    number: int
    exhausted: int
    exhausted_change: int | None
    outcome: str
    tie_break: str


@dataclass
class ContestCount:
    result: ContestResult
    rows: list[CountRow] = field(default_factory=list)
    rounds: list[RoundNote] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)

    @property
    def contest(self) -> Contest:
        return self.result.contest

    @property
    def counted(self) -> bool:
        return bool(self.result.result)


def _names(r: ContestResult, keys) -> str:
    return ", ".join(sorted(r.names.get(str(k), "?") for k in keys))


def _tie_break(r: ContestResult, round_: dict[str, Any]) -> str:
    """How the round's elimination was decided when several candidates had the fewest."""
    loser = round_.get("eliminated")
    if loser is None:
        return ""
    counts = round_["counts"]
    tied = [k for k, v in counts.items() if v == counts.get(str(loser))]
    if len(tied) < 2:
        return ""
    if round_.get("by_lot"):
        return _(
            "%(names)s tied with the fewest votes, also in every earlier round: the lot "
            "drawn when voting opened eliminated %(loser)s."
        ) % {"names": _names(r, tied), "loser": r.names.get(str(loser), "?")}
    return _(
        "%(names)s tied with the fewest votes: %(loser)s had fewer in the latest earlier "
        "round where their counts differed (backwards tie-break)."
    ) % {"names": _names(r, tied), "loser": r.names.get(str(loser), "?")}


def contest_count(r: ContestResult) -> ContestCount:
    """The round table of one contest with each round's transfers (the change in each
    candidate's votes and in exhausted ballots from the round before)."""
    count = ContestCount(r)
    if not r.result:
        return count
    rounds = r.result.get("rounds") or [
        {"number": 1, "counts": r.result.get("counts", {}), "exhausted": r.result.get("blank", 0)}
    ]
    for key, name in r.names.items():
        cells: list[tuple[int, int | None] | None] = []
        previous = None
        for round_ in rounds:
            votes = round_["counts"].get(key)
            if votes is None:
                cells.append(None)
            else:
                cells.append((votes, None if previous is None else votes - previous))
            previous = votes
        count.rows.append(CountRow(name, cells))
    count.rows.sort(key=lambda row: [-(c[0] if c else -1) for c in row.cells[::-1]])
    previous_exhausted = None
    for round_ in rounds:
        outcome = ""
        if round_.get("elected") is not None:
            outcome = _("%(name)s elected") % {"name": r.names.get(str(round_["elected"]), "?")}
        elif round_.get("eliminated") is not None:
            outcome = _("%(name)s eliminated") % {
                "name": r.names.get(str(round_["eliminated"]), "?")
            }
        elif r.contest.method == Contest.Method.PLURALITY and r.winners:
            outcome = _("%(name)s elected") % {"name": ", ".join(r.winners)}
        exhausted = round_.get("exhausted", 0)
        count.rounds.append(
            RoundNote(
                number=round_.get("number", 1),
                exhausted=exhausted,
                exhausted_change=None
                if previous_exhausted is None
                else exhausted - previous_exhausted,
                outcome=outcome,
                tie_break=_tie_break(r, round_),
            )
        )
        previous_exhausted = exhausted
    if r.contest.method == Contest.Method.PLURALITY:  # instant runoff: in its rounds
        count.ties = [
            _(
                "%(names)s tied at the seat line: decided by the lot drawn when voting "
                "opened (the earlier in the lot wins)."
            )
            % {"names": _names(r, tie)}
            for tie in r.result.get("ties_by_lot", [])
        ]
    return count


def stewards_count(election: Election) -> list[ContestCount]:
    """Every contest's count in full (small contests included), for the stewards."""
    return [contest_count(r) for r in contest_results(election)]


# --- what a phase action is about to do (its confirmation page) ---------------------------

LEADS_SHOWN = 300  # ecosystems listed with their leads on the "open voting" page


@dataclass
class Preview:
    """What moving an election to its next phase will do, for the confirmation page:
    sentences, then titled lists."""

    summary: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def _contest_lines(election: Election, *, with_candidates: bool) -> list[str]:
    lines = []
    for contest in election.contests.select_related("office", "office__region").prefetch_related(
        "candidates__nomination__nominee_ecosystem"
    ):
        line = f"{contest.office} · {contest.get_method_display()}"
        if contest.office.region_id:
            line += " · " + _("voted by the ecosystems of %(region)s only") % {
                "region": contest.office.region
            }
        if with_candidates:
            names = [
                f"{c.name} ({c.ecosystem.name})" if c.ecosystem else c.name
                for c in contest.candidates.all()
            ] or [_("no candidate")]
            line += ": " + ", ".join(names)
        lines.append(line)
    return lines


def _electorate_lines(ecosystems: list[Ecosystem]) -> list[str]:
    leads: dict[int, list[str]] = {}
    for eco_id, first, last, email in (
        EcosystemRole.objects.filter(
            role=EcosystemRole.Role.LEAD, ecosystem__in=ecosystems[:LEADS_SHOWN]
        )
        .order_by("user__last_name", "user__email")
        .values_list("ecosystem_id", "user__first_name", "user__last_name", "user__email")
    ):
        leads.setdefault(eco_id, []).append(f"{first} {last}".strip() or email)
    lines = [
        f"{eco.name}: " + (", ".join(leads.get(eco.pk, [])) or _("no lead — nobody can cast"))
        for eco in ecosystems[:LEADS_SHOWN]
    ]
    if len(ecosystems) > LEADS_SHOWN:
        lines.append(
            _("… and %(n)s more ecosystems (admin → Electors after opening).")
            % {"n": len(ecosystems) - LEADS_SHOWN}
        )
    return lines


def phase_preview(election: Election, to: str) -> Preview:
    Phase = Election.Phase
    preview = Preview()
    if to == Phase.NOMINATIONS:
        preview.summary = [
            _(
                "The election becomes public and the leads of ecosystems can nominate people "
                "for these contests. It cannot go back to draft, and its contests are fixed."
            )
        ]
        preview.sections = [(_("Contests"), _contest_lines(election, with_candidates=False))]
    elif to == Phase.VOTING:
        ecosystems = list(
            Ecosystem.objects.filter(good_standing_q()).order_by("name", "pk").only("pk", "name")
        )
        preview.summary = [
            _(
                "The slate becomes final and the electorate is snapshotted now: "
                "%(n)s ecosystems in good standing, each with one ballot cast by one of the "
                "leads it has now. An ecosystem that pays later does not join; one that "
                "lapses later keeps its ballot. A lot order is drawn for ties."
            )
            % {"n": len(ecosystems)}
        ]

        lapsed = lapsed_candidates(election)
        if lapsed:
            preview.summary.append(
                _(
                    "%(n)s candidates will be left off the slate: their own ecosystem is not "
                    "in good standing now (listed below). Their nominations will show “Off the "
                    "slate: ecosystem not in good standing”."
                )
                % {"n": len(lapsed)}
            )
        preview.sections = [
            *(
                [
                    (
                        _("Left off the slate: ecosystem not in good standing"),
                        [f"{c.name} ({c.contest.office}): {reason}" for c, reason in lapsed],
                    )
                ]
                if lapsed
                else []
            ),
            (_("Contests and candidates"), _contest_lines(election, with_candidates=True)),
            (
                _("Electorate: %(n)s ecosystems and their leads") % {"n": len(ecosystems)},
                _electorate_lines(ecosystems),
            ),
        ]
    elif to == Phase.CLOSED:
        electors = election.electors.count()
        voted = election.voter_records.count()
        preview.summary = [
            _(
                "Voting closes for good: %(voted)s of %(electors)s ecosystems have voted. The "
                "sealed ballots are opened, unlinked from their voters and counted; no "
                "ballot can be cast afterwards. The stewards' count follows."
            )
            % {"voted": voted, "electors": electors}
        ]
        preview.sections = [(_("Contests"), _contest_lines(election, with_candidates=True))]
    elif to == Phase.CERTIFIED:
        preview.summary = [
            _(
                "The results are published on the public results page and the winners are "
                "seated in their offices (each is emailed). This cannot be undone."
            )
        ]
        preview.sections = [(_("Winners to be seated and their terms"), _winner_lines(election))]
    preview.summary += _schedule_notes(election, to)
    return preview


def _schedule_notes(election: Election, to: str) -> list[str]:
    """Whether the move is off the published schedule, and what the schedule becomes."""

    Phase = Election.Phase
    today = timezone.localdate()
    published = {
        Phase.NOMINATIONS: election.nominations_open_on,
        Phase.VOTING: election.voting_opens_on,
        Phase.CLOSED: election.voting_closes_on,
    }.get(to)
    notes = []
    if to in (Phase.NOMINATIONS, Phase.VOTING) and published != today:
        notes.append(
            _(
                "Off schedule: the published date was %(day)s. Today, %(today)s, becomes the "
                "opening date on the public pages; check the dates still ahead below."
            )
            % {"day": _day(published), "today": _day(today)}
        )
    elif to == Phase.CLOSED and published and published > today:
        notes.append(
            _(
                "Off schedule: voting was to close on %(day)s. Today, %(today)s, becomes the "
                "closing date on the public pages."
            )
            % {"day": _day(published), "today": _day(today)}
        )
    return notes


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else _("none")


def _winner_lines(election: Election) -> list[str]:
    names = dict(Candidate.objects.filter(contest__election=election).values_list("pk", "name"))
    lines = []
    for contest in election.contests.select_related("office"):
        winners = (contest.result or {}).get("winners", [])
        end = contest.office.default_end(election.term_start)
        for winner in winners:
            lines.append(
                _("%(office)s: %(name)s, from %(start)s to %(end)s")
                % {
                    "office": contest.office,
                    "name": names.get(winner, "?"),
                    "start": date_format(election.term_start, "DATE_FORMAT"),
                    "end": date_format(end, "DATE_FORMAT") if end else _("further notice"),
                }
            )
        if not winners:
            lines.append(_("%(office)s: nobody elected") % {"office": contest.office})
    return lines
