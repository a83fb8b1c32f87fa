"""Raw statements of the hot paths (every ecosystem page, every signed-in request, the
ballot), where the ORM spent longer building a query than the database running it.

Their table names come from the models, quoted for the database in use, and every value
is a parameter. Build them once per database vendor (`functools.cache` on a function
taking `connection.vendor`): they never change while the process runs.
"""

from __future__ import annotations

from django.db import connection, models


def quoted_tables(**tables: type[models.Model]) -> dict[str, str]:
    """{name: the model's table name quoted for the current database}."""
    quote = connection.ops.quote_name
    return {name: quote(model._meta.db_table) for name, model in tables.items()}
