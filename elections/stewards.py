"""Reads for the Stewardship team's admin pages (issue 27): the full count between close
and certification, and what a phase action is about to do (its confirmation page).

The stewards' count shows every contest in full, the small ones too: stewards certify
the result, so they are among those who can learn a small contest's votes
(docs/elections.md, "Who can learn what"). The public results page keeps the
MIN_BALLOTS_TO_PUBLISH rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .models import Contest, Election
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
