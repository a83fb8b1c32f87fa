"""The pure counting functions, against published worked examples.

Source of the main example: Wikipedia, "Instant-runoff voting", section "Example"
(the Tennessee capital election: Memphis 42 %, Nashville 26 %, Chattanooga 15 %,
Knoxville 17 %, with the voters' full rankings). Plurality elects Memphis (42 %); the
instant runoff eliminates Chattanooga, then Nashville, and elects Knoxville 58 to 42.
The same article's "Plurality voting" companion example gives Memphis as plurality
winner. Vote shares are scaled to 100 ballots.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from elections.tally import instant_runoff, plurality, tally

M, N, C, K = "Memphis", "Nashville", "Chattanooga", "Knoxville"
CANDIDATES = [M, N, C, K]


def tennessee(nashville_ranking=(N, C, K, M)):
    return (
        [[M, N, C, K]] * 42
        + [list(nashville_ranking)] * 26
        + [[C, K, N, M]] * 15
        + [[K, C, N, M]] * 17
    )


def test_tennessee_plurality_elects_memphis():
    result = plurality([b[:1] for b in tennessee()], CANDIDATES)
    assert result.winners == [M]
    assert result.counts == {M: 42, N: 26, C: 15, K: 17}
    assert result.ties_by_lot == []


def test_tennessee_instant_runoff_elects_knoxville_round_by_round():
    result = instant_runoff(tennessee(), CANDIDATES)
    assert result.winners == [K]
    assert [r.counts for r in result.rounds] == [
        {M: 42, N: 26, C: 15, K: 17},
        {M: 42, N: 26, K: 32},
        {M: 42, K: 58},
    ]
    assert [r.eliminated for r in result.rounds] == [C, N, None]
    assert result.rounds[-1].elected == K
    assert all(r.exhausted == 0 for r in result.rounds)


def test_exhausted_ballots_leave_the_count():
    """Variant of the same example: the Nashville voters rank only Nashville. When
    Nashville is eliminated their 26 ballots are exhausted, the majority is taken of the
    74 continuing ballots, and Memphis (42 of 74) wins."""
    result = instant_runoff(tennessee(nashville_ranking=(N,)), CANDIDATES)
    final = result.rounds[-1]
    assert final.counts == {M: 42, K: 32}
    assert (final.continuing, final.exhausted) == (74, 26)
    assert result.winners == [M]


def test_blank_and_invalid_marks_are_not_counted():
    result = instant_runoff([[], ["Nobody"], [M, M, K]], [M, K])
    assert result.blank == 2
    assert result.winners == [M]
    assert result.rounds[0].counts == {M: 1, K: 0}


def test_plurality_several_seats_and_overvotes():
    ballots = [["A", "B"]] * 5 + [["A", "C"]] * 3 + [["C"]] * 2 + [["A", "B", "C"]]
    result = plurality(ballots, ["A", "B", "C"], seats=2)
    assert result.counts == {"A": 8, "B": 5, "C": 5}
    assert result.blank == 1  # three marks for two seats: an overvote
    # B and C tie for the second seat: the lot decides and the result says so.
    assert result.winners == ["A", "B"]
    assert result.ties_by_lot == [["B", "C"]]
    assert plurality(ballots, ["A", "B", "C"], seats=2, tie_break_order=["C", "B"]).winners == [
        "A",
        "C",
    ]


def test_plurality_nobody_wins_without_votes():
    assert plurality([[]], ["A", "B"]).winners == []


def test_irv_elimination_tie_broken_by_earlier_round():
    """Round 2 ties B and C on 3; in round 1 C had fewer (2 against 3), so C goes."""
    ballots = [["A"]] * 4 + [["B"]] * 3 + [["C"]] * 2 + [["D", "C"]] * 1
    result = instant_runoff(ballots, ["A", "B", "C", "D"], tie_break_order=["C", "B", "A", "D"])
    assert result.rounds[0].eliminated == "D"
    assert result.rounds[1].counts == {"A": 4, "B": 3, "C": 3}
    assert result.rounds[1].eliminated == "C"
    assert result.rounds[1].by_lot is False
    assert result.winners == ["A"]  # 4 of 7 continuing (3 exhausted)


def test_irv_tie_in_every_round_goes_to_the_lot():
    ballots = [["A"]] * 2 + [["B"]] * 2
    first = instant_runoff(ballots, ["A", "B"], tie_break_order=["A", "B"])
    second = instant_runoff(ballots, ["A", "B"], tie_break_order=["B", "A"])
    assert first.rounds[0].eliminated == "B" and first.rounds[0].by_lot
    assert (first.winners, second.winners) == (["A"], ["B"])
    assert first.ties_by_lot == [["A", "B"]]


def test_irv_no_ballots_no_winner():
    assert instant_runoff([], ["A", "B"]).winners == []
    assert instant_runoff([[]], ["A"]).winners == []


def test_tally_dispatch():
    assert tally("irv", tennessee(), CANDIDATES).winners == [K]
    assert tally("plurality", [[M]], CANDIDATES).winners == [M]


NAMES = ["A", "B", "C", "D", "E"]
rankings = st.lists(
    st.permutations(NAMES).flatmap(lambda p: st.integers(0, len(p)).map(lambda n: p[:n])),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(ballots=rankings, lot=st.permutations(NAMES))
def test_irv_winner_holds_a_majority_of_continuing_ballots(ballots, lot):
    result = instant_runoff(ballots, NAMES, tie_break_order=lot)
    final = result.rounds[-1]
    assert result.ballots == len(ballots)
    for r in result.rounds:
        assert sum(r.counts.values()) + r.exhausted == len(ballots)
    if result.winners:
        (winner,) = result.winners
        assert 2 * final.counts[winner] > final.continuing
    else:
        assert final.continuing == 0
    # Exhausted ballots only grow from round to round.
    exhausted = [r.exhausted for r in result.rounds]
    assert exhausted == sorted(exhausted)


@settings(max_examples=200, deadline=None)
@given(ballots=st.lists(st.lists(st.sampled_from(NAMES), max_size=3)), seats=st.integers(1, 3))
def test_plurality_winners_have_at_least_the_votes_of_losers(ballots, seats):
    result = plurality(ballots, NAMES, seats=seats)
    assert len(result.winners) <= seats
    losers = [c for c in NAMES if c not in result.winners]
    for w in result.winners:
        assert all(result.counts[w] >= result.counts[c] for c in losers)
