"""slecop.sql.Statement: hot statements prepared once per PostgreSQL connection."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from members.models import AuditEntry, Ecosystem, MembershipYear, User
from members.permissions import ECOSYSTEM_ACCESS, ecosystem_and_access
from slecop.sql import Statement, _numbered, columns, instance, quoted_tables
from tests.concurrency import Rendezvous, run_concurrently
from tests.factories import EcosystemFactory, make_lead, membership_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def persistent(monkeypatch):
    """The connection as production keeps it (CONN_MAX_AGE not 0)."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def _run(statement: Statement, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement.sql(), params)
        return cursor.fetchall()


REGION_BY_SLUG = Statement(
    "test_region", lambda: "SELECT id, slug FROM members_region WHERE slug = %s"
)


def test_placeholders_are_numbered_and_literal_percent_signs_kept():
    assert _numbered("SELECT %s, '100%%' WHERE a = %s") == ("SELECT $1, '100%' WHERE a = $2", 2)


def test_names_are_checked_because_they_are_spliced_into_sql():
    with pytest.raises(ValueError):
        Statement("x; DROP TABLE y", lambda: "SELECT 1")


def test_sent_as_text_where_preparing_would_not_pay():
    sqlite = SimpleNamespace(vendor="sqlite", settings_dict={"CONN_MAX_AGE": 60})
    one_off = SimpleNamespace(vendor="postgresql", settings_dict={"CONN_MAX_AGE": 0})
    for db in (sqlite, one_off):
        assert REGION_BY_SLUG.sql(db) == "SELECT id, slug FROM members_region WHERE slug = %s"


@pytest.mark.postgres
@pytest.mark.usefixtures("persistent")
def test_prepared_once_per_connection_and_answers_as_the_text_does(django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute(REGION_BY_SLUG.text(), ["south"])
        as_text = cursor.fetchall()
    with django_assert_num_queries(1) as ctx:  # the PREPARE is not one of the page's
        assert _run(REGION_BY_SLUG, ["south"]) == as_text
    sent = ctx.captured_queries[0]["sql"]
    assert sent.startswith("EXECUTE slecop_test_region('south')")
    assert "FROM members_region WHERE slug = %s" in sent  # logs still say what it reads
    assert "slecop_test_region" in _prepared_names()
    for _ in range(3):  # preparing again would fail: "already exists"
        assert _run(REGION_BY_SLUG, ["south"]) == as_text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("persistent")
def test_threads_each_prepare_on_their_own_connection():
    """Each thread has its own connection, and so its own prepared statements (the live
    server's threads found it out: tracked on the shared `django.db.connection` proxy, a
    thread preparing on its connection made another prepare twice on its own)."""
    everyone_ran_once = Rendezvous(4)

    def twice(i: int) -> list:
        first = _run(REGION_BY_SLUG, ["west"])
        everyone_ran_once.wait()
        return first + _run(REGION_BY_SLUG, ["west"])

    results = run_concurrently(twice, 4)
    assert [[slug for _pk, slug in rows] for rows in results] == [["west", "west"]] * 4


@pytest.mark.postgres
@pytest.mark.usefixtures("persistent")
def test_a_rollback_keeps_what_was_prepared():
    with pytest.raises(RuntimeError), transaction.atomic():
        _run(REGION_BY_SLUG, ["west"])
        raise RuntimeError
    assert _run(REGION_BY_SLUG, ["west"])[0][1] == "west"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("persistent")
def test_a_new_connection_prepares_again():
    assert _run(REGION_BY_SLUG, ["midwest"])[0][1] == "midwest"
    connection.close()
    assert _run(REGION_BY_SLUG, ["midwest"])[0][1] == "midwest"  # not "does not exist"
    assert "slecop_test_region" in _prepared_names()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("persistent")
def test_a_column_added_later_does_not_break_a_prepared_statement():
    """A migration adding a column while older processes hold prepared statements: the
    statements name their columns, so they go on working; one selecting `*` would not."""
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    star = Statement("test_star", lambda: "SELECT * FROM members_ecosystem WHERE slug = %s")
    assert _run(star, [ecosystem.slug])
    assert ecosystem_and_access(lead, ecosystem.slug)[1].can_act
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE members_ecosystem ADD COLUMN added_later integer")
    try:
        found, access = ecosystem_and_access(lead, ecosystem.slug)
        assert (found, access.can_act) == (ecosystem, True)
        with pytest.raises(Exception, match="cached plan must not change result type"):
            _run(star, [ecosystem.slug])
    finally:
        connection.close()  # the failed EXECUTE left nothing open; drop what the test made
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE members_ecosystem DROP COLUMN added_later")


@pytest.mark.postgres
@pytest.mark.usefixtures("persistent")
def test_every_hot_statement_prepares_and_runs():
    """Each statement of the hot paths, prepared on PostgreSQL, returns what its text does
    (PREPARE infers every parameter's type from the statement)."""
    from django.contrib.contenttypes.models import ContentType

    from elections.selectors import ELECTION_FOR_VOTER, PUBLIC_PHASES, VOTER_FACTS_ALONE
    from members.auth_backends import EVERY_PERM, HELD_PERM, USER
    from members.permissions import HELD_PERMS, HOLDS_A_ROLE

    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    ct = ContentType.objects.get_for_model(Ecosystem).pk
    cases = [
        (USER, [lead.pk]),
        (EVERY_PERM, []),
        (HELD_PERM, [lead.pk, lead.pk]),
        (HOLDS_A_ROLE, [lead.pk]),
        (HELD_PERMS, [lead.pk, ct, str(ecosystem.pk), lead.pk, ct, str(ecosystem.pk)]),
        (
            ECOSYSTEM_ACCESS,
            [lead.pk, ct, ecosystem.slug, lead.pk, ct, ecosystem.slug, ecosystem.slug],
        ),
        (VOTER_FACTS_ALONE, [1, ecosystem.pk, 1, ecosystem.pk]),
        (ELECTION_FOR_VOTER, [ecosystem.pk, ecosystem.pk, "chair", *PUBLIC_PHASES]),
    ]
    for statement, params in cases:
        with connection.cursor() as cursor:
            cursor.execute(statement.text(), params)
            expected = cursor.fetchall()
        assert _run(statement, params) == expected, statement.name
        assert statement.name in _prepared_names()


# a model's row followed by two columns that are not its fields
ROW_AND_MORE_SQL = "SELECT {columns}, 'not a field', 42 FROM {table} t WHERE t.id = %s"


def _built_and_fetched(model, pk):
    sql = ROW_AND_MORE_SQL.format(columns=columns("t", model), **quoted_tables(table=model))
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return instance(model, row), model.objects.get(pk=pk)


def test_an_instance_from_a_raw_row_is_what_the_orm_fetches():
    """Every concrete field of the instance built from a raw row holds what the ORM's own
    fetch holds, of the same type: JSON decoded, datetimes aware, dates as dates (the
    converters, which differ by database: CI runs this on PostgreSQL); the columns after
    the model's are left to the caller; the instance is saved state from the database."""
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    entry = AuditEntry.objects.create(
        actor=lead,
        action="test.instance",
        ecosystem=ecosystem,
        before={"amount_cents": 300000, "lines": [{"é": "ü"}], "none": None},
        after=None,
    )
    year = membership_year(2031)
    for model, pk in [
        (AuditEntry, entry.pk),
        (Ecosystem, ecosystem.pk),
        (User, lead.pk),
        (MembershipYear, year.pk),
    ]:
        built, fetched = _built_and_fetched(model, pk)
        assert built == fetched
        assert not built._state.adding and built._state.db == "default"
        for field in model._meta.concrete_fields:
            mine, theirs = getattr(built, field.attname), getattr(fetched, field.attname)
            assert (mine, type(mine)) == (theirs, type(theirs)), (model, field.name)
        assert not hasattr(built, "not a field")
    assert entry.before == _built_and_fetched(AuditEntry, entry.pk)[0].before
