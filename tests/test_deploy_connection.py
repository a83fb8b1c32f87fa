"""A deploy that changes a column's type while old workers still serve: a worker's kept
database connection (CONN_MAX_AGE > 0) serves the next request with 200. With statements
PREPAREd once per connection (the removed slecop/sql.py), PostgreSQL answered "cached plan
must not change result type" to every signed-in request on that connection."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from tests.factories import EcosystemFactory, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Columns every signed-in ecosystem page reads: the user (session), the ecosystem.
CHANGES = [("members_user", "first_name", "varchar(150)"), ("members_ecosystem", "name", None)]


def _alter(sql: str) -> None:
    """Run `sql` on a second connection, as `migrate` does from the deploying host."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(sql)
    finally:
        other.close()


def test_a_kept_connection_serves_after_a_column_type_change(client, settings):
    settings.DATABASES[DEFAULT_DB_ALIAS]["CONN_MAX_AGE"] = 60
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    client.force_login(lead)
    page = ecosystem.get_dashboard_url()
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200
    kept = connection.connection
    assert kept is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type, character_maximum_length FROM information_schema.columns "
            "WHERE table_name = 'members_ecosystem' AND column_name = 'name'"
        )
        kind, length = cursor.fetchone()
    before = f"varchar({length})" if kind == "character varying" else kind
    try:
        for table, column, _ in CHANGES:
            _alter(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text')
        response = client.get(page)
        assert connection.connection is kept  # the same server connection
        assert response.status_code == 200
        assert ecosystem.name in response.content.decode()
    finally:
        for table, column, old in CHANGES:
            _alter(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {old or before}')
