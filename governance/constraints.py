"""Database pieces that exist only on PostgreSQL, written so that the same models and
migrations also run on SQLite (the embedded default for `make run` and the tests).

* `PostgresExclusionConstraint` — an ExclusionConstraint that creates, removes and
  validates nothing on other databases. On PostgreSQL it is the last line of defence of
  "at most one holder per office"; the rule itself is checked by
  `governance.services.terms.term_check` under a row lock on the Office, which also
  knows that an interim term gives way to a later one (a model-level `validate()` could
  not), so `validate()` never queries: `full_clean()` and ModelForms leave the overlap
  rule to the service.
* `BtreeGistExtension` — creates btree_gist on PostgreSQL (needed for `office WITH =` in
  a GiST index), does nothing elsewhere, and is never dropped on reverse (other apps may
  rely on it; reversing on SQLite must not query pg_extension).
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.operations import BtreeGistExtension as _BtreeGistExtension
from django.db import DEFAULT_DB_ALIAS, models


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


class DateRange(models.Func):
    """PostgreSQL `daterange(lower, upper, bounds)`; a NULL upper bound is open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        if not _is_postgres(schema_editor.connection):
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if not _is_postgres(schema_editor.connection):
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if not _is_postgres(schema_editor.connection):
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        """The service checks this rule under lock (see the module docstring)."""
        return


class BtreeGistExtension(_BtreeGistExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return
