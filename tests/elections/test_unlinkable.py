"""Ballots cannot be tied to their voters by a database reader once voting closes
(PostgreSQL; issue 23, "Must show").

100 electors cast distinct full rankings of 5 candidates, one after another, each cast
committed on its own (`transaction=True`), in an order the test knows. While voting is
open the sealed rows still follow casting order: Spearman's rho between casting order and
their `xmin` is 1 (a reader learns which receipt each ecosystem got, never what it
said). After close every ballot row carries one `xmin` that no voter record, audit entry
or elector lock carries, no ballot row holds a receipt, and whichever way a reader orders
the rows (`xmin`, `ctid`, `id`, any column, or none), |rho| against casting order stays
below 0.5. With the close's random order or its own transaction id switched off, the
same checks fail (the negative controls, as the race tests do with their locks).
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass, field

import pytest
from django.db import connection

from elections import services
from elections.models import Contest, ContestBallot, CountedReceipt, SealedBallot
from elections.services import phases
from tests.elections.factories import candidates, contest, election_with_contests
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ELECTORS = 100
NAMES = ["Ada", "Bo", "Cy", "Di", "Ed"]
LIMIT = 0.5
# The orderings a reader with SELECT could try: system columns, every column, and none.
ORDERINGS = {
    "xmin": "xmin::text::bigint",
    "ctid": "ctid",
    "id": "id",
    "contest_id": "contest_id",
    "choices": "choices",
    "no ORDER BY": None,
}


def spearman(order: list[int]) -> float:
    """Spearman's rho between positions 0..n-1 and `order` (a permutation of 0..n-1)."""
    n = len(order)
    d2 = sum((position - rank) ** 2 for position, rank in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _xids(sql: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql)  # fixed statements over the models' own tables
        return {row[0] for row in cursor.fetchall()}


def _relfilenodes() -> dict[str, int]:
    tables = [m._meta.db_table for m in (SealedBallot, ContestBallot, CountedReceipt)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relfilenode FROM pg_class WHERE relname = ANY(%s)", [tables]
        )
        return dict(cursor.fetchall())


@dataclass
class Seen:
    before_rho: float = 0.0
    after_xmins: set[int] = field(default_factory=set)
    other_xids: set[int] = field(default_factory=set)
    receipt_rows: int = 0
    rows: int = 0
    sealed_left: int = 0
    rho: dict[str, float] = field(default_factory=dict)
    vacuumed: set[str] = field(default_factory=set)


def cast_hundred_and_close() -> Seen:
    electors = []
    for _ in range(ELECTORS):
        eco = EcosystemFactory()
        make_in_good_standing(eco)
        electors.append((eco, make_lead(eco)))
    election = election_with_contests(("chair", Contest.Method.IRV, NAMES), phase="voting")
    ids, chair = candidates(election), contest(election)
    rankings = random.Random(23).sample(list(itertools.permutations(NAMES)), ELECTORS)
    cast_index: dict[tuple[int, ...], int] = {}
    receipt_index: dict[str, int] = {}
    for i, ((eco, lead), ranking) in enumerate(zip(electors, rankings, strict=True)):
        choice = [ids[name] for name in ranking]
        receipt = services.ballot_cast(
            acting_user=lead, election=election, ecosystem=eco, choices={chair.pk: choice}
        )
        cast_index[tuple(choice)] = i
        receipt_index[receipt] = i
    seen = Seen()

    # voting open: the sealed rows in xmin order are the casts in casting order
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT receipt FROM elections_sealedballot WHERE election_id = %s "
            "ORDER BY xmin::text::bigint",
            [election.pk],
        )
        seen.before_rho = spearman([receipt_index[r] for (r,) in cursor.fetchall()])

    files = _relfilenodes()
    services.election_close(acting_user=None, election=election)  # VACUUM FULL after commit
    seen.vacuumed = {t for t, node in _relfilenodes().items() if node != files[t]}

    seen.after_xmins = _xids("SELECT xmin::text::bigint FROM elections_contestballot")
    seen.other_xids = (
        _xids("SELECT xmin::text::bigint FROM elections_voterrecord")
        | _xids("SELECT xmin::text::bigint FROM members_auditentry")
        | _xids("SELECT xmax::text::bigint FROM elections_elector")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT t::text FROM elections_contestballot t")
        texts = [text for (text,) in cursor.fetchall()]
    seen.rows = len(texts)
    seen.receipt_rows = sum(any(r in t for r in receipt_index) for t in texts)
    seen.sealed_left = SealedBallot.objects.filter(election=election).count()
    for name, expression in ORDERINGS.items():
        order_by = f" ORDER BY {expression}" if expression else ""
        with connection.cursor() as cursor:
            cursor.execute(
                # ORDER BY one of the fixed expressions of ORDERINGS
                "SELECT choices FROM elections_contestballot WHERE contest_id = %s" + order_by,  # noqa: S608
                [chair.pk],
            )
            rows = [tuple(json.loads(choices)) for (choices,) in cursor.fetchall()]
        seen.rho[name] = spearman([cast_index[row] for row in rows])
    print(f"\nSpearman rho vs casting order — before close (xmin): {seen.before_rho:.3f}")
    print("after close: " + ", ".join(f"{k} {v:+.3f}" for k, v in seen.rho.items()))
    return seen


def assert_unlinkable(seen: Seen) -> None:
    assert seen.rows == ELECTORS and seen.sealed_left == 0
    assert len(seen.after_xmins) == 1, "the ballot rows do not share one xmin"
    assert not seen.after_xmins & seen.other_xids, "a ballot xmin names another row's cast"
    assert seen.receipt_rows == 0
    for name, rho in seen.rho.items():
        assert abs(rho) < LIMIT, f"ordering by {name} follows casting order (rho = {rho:.3f})"


def test_ballots_are_linked_while_voting_and_unlinkable_after_close():
    seen = cast_hundred_and_close()
    assert seen.before_rho == pytest.approx(1.0)  # the link the issue found, sealed now
    assert_unlinkable(seen)
    # VACUUM FULL ran after commit: each ballot table was written afresh (a new file)
    assert seen.vacuumed == {
        "elections_sealedballot",
        "elections_contestballot",
        "elections_countedreceipt",
    }


def test_without_the_random_order_the_rows_follow_casting_order(monkeypatch):
    """Negative control: the close writing the rows in the order it read them."""
    monkeypatch.setattr(phases, "random_order", lambda rows: rows)
    seen = cast_hundred_and_close()
    with pytest.raises(AssertionError, match="follows casting order"):
        assert_unlinkable(seen)
    assert seen.rho["ctid"] == pytest.approx(1.0)


def test_without_their_own_transaction_id_the_rows_share_the_close_s(monkeypatch):
    """Negative control: the rows written in the closing transaction's own id, which its
    audit entry carries too."""
    import contextlib

    monkeypatch.setattr(phases, "own_transaction_id", contextlib.nullcontext)
    seen = cast_hundred_and_close()
    with pytest.raises(AssertionError, match="names another row"):
        assert_unlinkable(seen)
