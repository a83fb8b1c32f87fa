"""Migration elections 0003_sealed_ballots on ballots cast before it (PostgreSQL, whose
transactional DDL lets the test build the old table and roll it back): an election still
in voting gets its plaintext ballots sealed under the key, a closed one gets them as
fresh rows per contest and its receipts apart; and without a key an open election stops
the migration with what to do."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from elections.models import Contest, ContestBallot, CountedReceipt, Election, SealedBallot
from tests.elections.factories import candidates, contest, election_with_contests, sealed_contents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
MIGRATION = importlib.import_module("elections.migrations.0003_sealed_ballots")


def _apps_before_the_move():
    """The project state in the middle of 0003: new tables made, old Ballot still there."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("elections", "0002_staff_permissions"))
    migration = loader.get_migration("elections", "0003_sealed_ballots")
    for operation in migration.operations:
        if operation.__class__.__name__ == "RunPython":
            break
        operation.state_forwards("elections", state)
    return state.apps


def _old_ballots(apps, rows):
    Ballot = apps.get_model("elections", "Ballot")
    with connection.schema_editor() as editor:
        editor.create_model(Ballot)
    for election, receipt, contents in rows:
        Ballot.objects.create(election_id=election.pk, receipt=receipt, contents=contents)
    return Ballot


def test_open_ballots_are_sealed_and_closed_ones_unlinked(ecosystem):
    open_ = election_with_contests(("chair", Contest.Method.IRV, ["Ada", "Bo"]), phase="voting")
    closed = election_with_contests(
        ("vice-chair-events", Contest.Method.PLURALITY, ["Eve"]), phase="closed"
    )
    Election.objects.filter(pk=open_.pk).update(sealing_key_id="")  # as before 0003
    ada, bo = candidates(open_)["Ada"], candidates(open_)["Bo"]
    chair, events = str(contest(open_).pk), contest(closed, "vice-chair-events")
    eve = candidates(closed, "vice-chair-events")["Eve"]
    apps = _apps_before_the_move()
    _old_ballots(
        apps,
        [
            (open_, "AAAA-AAAA-AAAA", {chair: [bo, ada]}),
            (open_, "BBBB-BBBB-BBBB", {chair: []}),
            (closed, "CCCC-CCCC-CCCC", {str(events.pk): [eve]}),
            (closed, "DDDD-DDDD-DDDD", {str(events.pk): []}),
        ],
    )
    MIGRATION.move_ballots(apps, None)

    open_.refresh_from_db()
    assert open_.sealing_key_id  # casting and closing go on under this key
    sealed = SealedBallot.objects.filter(election=open_)
    assert set(sealed.values_list("receipt", flat=True)) == {"AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB"}
    assert sorted(sealed_contents(open_), key=str) == sorted(
        [{chair: [bo, ada]}, {chair: []}], key=str
    )
    assert sorted(
        ContestBallot.objects.filter(contest=events).values_list("choices", flat=True)
    ) == [[], [eve]]
    assert list(CountedReceipt.objects.filter(election=closed).values_list("code", flat=True)) == [
        "CCCC-CCCC-CCCC",
        "DDDD-DDDD-DDDD",
    ]


def test_an_open_election_without_a_key_stops_the_migration(settings):
    open_ = election_with_contests(("chair", Contest.Method.IRV, ["Ada"]), phase="voting")
    settings.BALLOT_SEALING_KEY = ""
    apps = _apps_before_the_move()
    _old_ballots(apps, [])
    with pytest.raises(
        RuntimeError,
        match=f"set BALLOT_SEALING_KEY.*{open_.slug}|{open_.slug}.*set BALLOT_SEALING_KEY",
    ):
        MIGRATION.move_ballots(apps, None)
