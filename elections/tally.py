"""Counting votes: pure functions, no database. Candidates are identified by any hashable
key (the services use Candidate ids); a ballot is a sequence of keys — the chosen
candidates for plurality, the candidates in order of preference for ranked choice.

Tie-breaking (the same rule for both methods, documented in docs/elections.md):

1. Instant runoff, who is eliminated when several candidates share the fewest votes:
   the one among them with the fewest votes in the latest earlier round in which their
   counts differed ("backwards tie-break", as in the Australian Electoral Act 1918
   s. 274(9)); if they were tied in every earlier round, the lot decides.
2. Plurality, who takes the last seat(s) when candidates tie across the seat line, and a
   two-way tie in the last round of an instant runoff (each holds exactly half): the
   lot decides.
3. The lot: `tie_break_order`, a random order of the candidates drawn (with the
   `secrets` module) when voting opens and stored on the contest, before any ballot is
   cast. A candidate earlier in the lot order beats a later one. Every decision taken by
   lot is reported in the result, so the published round table shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

Key = Hashable


@dataclass
class Round:
    number: int
    counts: dict[Any, int]
    continuing: int
    exhausted: int
    eliminated: Any = None
    elected: Any = None
    by_lot: bool = False


@dataclass
class Result:
    method: str
    winners: list[Any]
    counts: dict[Any, int] = field(default_factory=dict)
    rounds: list[Round] = field(default_factory=list)
    ballots: int = 0
    blank: int = 0
    ties_by_lot: list[list[Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _lot_rank(tie_break_order: Sequence[Key], candidates: Iterable[Key]) -> dict[Key, int]:
    """Position of each candidate in the lot order (candidates missing from it come after
    it, in their given order, so the function is total)."""
    rank = {c: i for i, c in enumerate(tie_break_order)}
    extra = len(rank)
    for c in candidates:
        if c not in rank:
            rank[c] = extra
            extra += 1
    return rank


def _clean(ballot: Iterable[Key], candidates: set[Key]) -> list[Key]:
    """A ballot's valid marks in order: unknown candidates and repeats are ignored."""
    seen: list[Key] = []
    for key in ballot:
        if key in candidates and key not in seen:
            seen.append(key)
    return seen


def plurality(
    ballots: Iterable[Sequence[Key]],
    candidates: Sequence[Key],
    *,
    seats: int = 1,
    tie_break_order: Sequence[Key] = (),
) -> Result:
    """Each ballot gives one vote to each candidate it marks (at most `seats` count: a
    ballot marking more is counted as blank, as an overvote). The `seats` candidates with
    the most votes win; a tie across the seat line is broken by lot."""
    pool = set(candidates)
    counts = dict.fromkeys(candidates, 0)
    total = blank = 0
    for ballot in ballots:
        total += 1
        marks = _clean(ballot, pool)
        if not marks or len(marks) > seats:
            blank += 1
            continue
        for key in marks:
            counts[key] += 1
    lot = _lot_rank(tie_break_order, candidates)
    ranked = sorted(candidates, key=lambda c: (-counts[c], lot[c]))
    # Only candidates with votes can win a seat.
    winners = [c for c in ranked[:seats] if counts[c] > 0]
    ties: list[list[Key]] = []
    if winners and len(ranked) > len(winners):
        line = counts[winners[-1]]
        tied = [c for c in ranked if counts[c] == line]
        if any(c not in winners for c in tied):
            ties.append(tied)
    return Result(
        method="plurality",
        winners=winners,
        counts=counts,
        ballots=total,
        blank=blank,
        ties_by_lot=ties,
    )


def instant_runoff(
    ballots: Iterable[Sequence[Key]],
    candidates: Sequence[Key],
    *,
    tie_break_order: Sequence[Key] = (),
) -> Result:
    """Single-winner ranked choice. Each round, every ballot counts for its highest-ranked
    continuing candidate; a ballot with no continuing candidate left is exhausted. A
    candidate with more than half of the continuing ballots is elected; otherwise the
    candidate with the fewest votes is eliminated (ties: see the module docstring).
    With one continuing candidate left, that candidate is elected if any ballot still
    counts for them."""
    pool = set(candidates)
    lot = _lot_rank(tie_break_order, candidates)
    # Identical rankings are counted together: 10,000 ballots are a few hundred groups.
    groups = Counter(tuple(_clean(b, pool)) for b in ballots)
    total = sum(groups.values())
    blank = groups.pop((), 0)
    continuing = list(candidates)
    rounds: list[Round] = []
    ties: list[list[Key]] = []
    history: list[dict[Key, int]] = []
    winners: list[Key] = []
    while continuing:
        alive = set(continuing)
        counts = dict.fromkeys(continuing, 0)
        exhausted = blank
        for ranking, n in groups.items():
            for key in ranking:
                if key in alive:
                    counts[key] += n
                    break
            else:
                exhausted += n
        live = total - exhausted
        current = Round(
            number=len(rounds) + 1,
            counts=counts,
            continuing=live,
            exhausted=exhausted,
        )
        rounds.append(current)
        history.append(counts)
        if live == 0:
            break
        leader = max(continuing, key=lambda c: (counts[c], -lot[c]))
        if 2 * counts[leader] > live or len(continuing) == 1:
            current.elected = leader
            winners = [leader]
            break
        fewest = min(counts.values())
        tied = [c for c in continuing if counts[c] == fewest]
        loser, by_lot = _eliminate(tied, history[:-1], lot)
        if by_lot:
            ties.append(tied)
        current.eliminated, current.by_lot = loser, by_lot
        continuing.remove(loser)
    return Result(
        method="irv",
        winners=winners,
        counts=rounds[0].counts if rounds else {},
        rounds=rounds,
        ballots=total,
        blank=blank,
        ties_by_lot=ties,
    )


def _eliminate(
    tied: list[Key], earlier: list[dict[Key, int]], lot: dict[Key, int]
) -> tuple[Key, bool]:
    """Who of `tied` goes: fewest votes in the latest earlier round where they differ,
    else the lot (the latest in lot order goes). Returns (candidate, decided by lot)."""
    tied = list(tied)
    if len(tied) == 1:
        return tied[0], False
    for counts in reversed(earlier):
        low = min(counts[c] for c in tied)
        lowest = [c for c in tied if counts[c] == low]
        if len(lowest) < len(tied):
            tied = lowest
            if len(tied) == 1:
                return tied[0], False
    return max(tied, key=lambda c: lot[c]), True


def tally(
    method: str,
    ballots: Iterable[Sequence[Key]],
    candidates: Sequence[Key],
    *,
    seats: int = 1,
    tie_break_order: Sequence[Key] = (),
) -> Result:
    if method == "plurality":
        return plurality(ballots, candidates, seats=seats, tie_break_order=tie_break_order)
    if method == "irv":
        if seats != 1:
            raise ValueError("instant runoff elects one candidate")
        return instant_runoff(ballots, candidates, tie_break_order=tie_break_order)
    raise ValueError(f"unknown method {method!r}")
