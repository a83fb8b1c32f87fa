"""Raw statements of the hot paths (every ecosystem page, every signed-in request, the
ballot), where the ORM spent longer building a query than the database running it.

Their table and column names come from the models, quoted for the database in use, and
every value is a parameter. A `Statement` builds its text once per database vendor (it
never changes while the process runs), and on PostgreSQL with persistent connections
(`CONN_MAX_AGE` not 0, as in production) each connection prepares it once
(`PREPARE`) and then only executes it, so the server parses and plans it once per
connection instead of on every request. Planning was most of the cost: the ecosystem
and permission statement of every ecosystem page took 0.68 ms a run sent as text and
0.20 ms prepared (docs/portal.md). A prepared statement lives as long as its connection
(a rollback keeps it), which is why it is tracked per database connection. It lists its
columns rather than `*`, so a column added by a migration never changes the result of a
statement an older process prepared. Behind a pooler that hands each transaction another
server connection (PgBouncer in transaction mode), set `CONN_MAX_AGE=0`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

PLACEHOLDER = re.compile(r"%%|%s")


def quoted_tables(**tables: type[models.Model]) -> dict[str, str]:
    """{name: the model's table name quoted for the current database}."""
    quote = connection.ops.quote_name
    return {name: quote(model._meta.db_table) for name, model in tables.items()}


def columns(alias: str, model: type[models.Model]) -> str:
    """The model's concrete columns, qualified by `alias`, for a SELECT list."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instance(model: type[models.Model], row):
    """The `model` instance of a raw `row` that starts with `columns(alias, model)` (any
    columns after those are the caller's), as the ORM builds it: every column through the
    converters the ORM applies to it, then `Model.from_db`. What `Model.objects.raw()`
    does, without the setup it repeats on every call (a RawQuery, its column mapping,
    the converters looked up again): 0.07 to 0.1 ms less per hot statement (measured, in
    process on the 10,000-ecosystem database: ecosystem_and_access 407 → 302 µs,
    get_user 290 → 218 µs; a bare SELECT 1 round trip there is ~130 µs). The row comes
    from the default database, as every Statement's does."""
    db = connections[DEFAULT_DB_ALIAS]  # this thread's
    names, converters = _reader(model, db.vendor)
    values = list(row[: len(names)])
    for i, column_converters in converters:
        value = values[i]
        for convert, expression in column_converters:
            value = convert(value, expression, db)
        values[i] = value
    return model.from_db(db.alias, names, values)


@cache
def _reader(model: type[models.Model], vendor: str) -> tuple[list[str], list[tuple]]:
    """(the attnames of `model`'s concrete fields, [(position, [(converter, column)])] of
    the columns that have converters), for the `vendor` of the default database, as
    `SQLCompiler.get_converters` finds them. Kept per model and vendor: the converters
    are the backend's and the fields' own and do not change while the process runs."""
    db = connections[DEFAULT_DB_ALIAS]  # of `vendor`: the caller's default database
    fields = model._meta.concrete_fields
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = db.ops.get_db_converters(column) + column.get_db_converters(db)
        if found:
            converters.append((i, [(convert, column) for convert in found]))
    return [field.attname for field in fields], converters


def _numbered(sql: str) -> tuple[str, int]:
    """`sql` with its %s placeholders numbered $1, $2, ... as PREPARE wants them, and
    how many there are."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return PLACEHOLDER.sub(number, sql), count


class Statement:
    """A raw statement of a hot path, built once per database vendor by `build()` (which
    returns SQL with %s placeholders), prepared once per connection where that pays."""

    def __init__(self, name: str, build: Callable[[], str]) -> None:
        if not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(name)
        self.name = f"slecop_{name}"
        self._build = cache(lambda _vendor: build())
        self._prepared_forms = cache(self._forms)

    def text(self, db: BaseDatabaseWrapper | None = None) -> str:
        """The statement as SQL text, with %s placeholders."""
        return self._build((db or connections[DEFAULT_DB_ALIAS]).vendor)

    def sql(self, db: BaseDatabaseWrapper | None = None) -> str:
        """What to send for this statement on `db` (the default database's connection of
        this thread unless given), with the same parameters as `text`: on a persistent
        PostgreSQL connection `EXECUTE slecop_<name>(...)` (preparing it first if this
        connection has not), followed by the statement's text as a comment so that query
        logs and tests still read what it does; elsewhere the text."""
        db = db or connections[DEFAULT_DB_ALIAS]  # this thread's, not the shared proxy
        if db.vendor != "postgresql" or db.settings_dict.get("CONN_MAX_AGE") == 0:
            return self.text(db)
        db.ensure_connection()
        prepare, execute = self._prepared_forms(db.vendor)
        prepared = _prepared_on(db)
        if self.name not in prepared:
            # Once per connection, like Django's own SET TIME ZONE when it connects: not
            # one of a page's queries, so it goes to the driver's cursor directly.
            with db.wrap_database_errors, db.connection.cursor() as cursor:
                cursor.execute(prepare)
            prepared.add(self.name)
        return execute

    def _forms(self, vendor: str) -> tuple[str, str]:
        """(the PREPARE, the EXECUTE) of the statement: built once per vendor, as its text
        is (`_prepared_forms`), not on every request."""
        text = self._build(vendor)
        numbered, count = _numbered(text)
        arguments = f"({', '.join(['%s'] * count)})" if count else ""
        comment = text.replace("*/", "* /").replace("%", "%%")
        return (
            f"PREPARE {self.name} AS {numbered}",
            f"EXECUTE {self.name}{arguments} /* {comment} */",
        )


def _prepared_on(db: BaseDatabaseWrapper) -> set[str]:
    """The names prepared on `db`'s current server connection: a new connection (after a
    reconnect) starts with none. Kept on the thread's own DatabaseWrapper (never on
    `django.db.connection`, a proxy all threads share)."""
    held = getattr(db, "_slecop_prepared", None)
    if held is None or held[0] is not db.connection:
        held = (db.connection, set())
        db._slecop_prepared = held
    return held[1]
