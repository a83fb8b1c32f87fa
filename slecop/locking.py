"""Row locking helpers (pretix `lock_objects` style).

Services that check a limit and then write lock what they make less available with
`lock_rows`, inside `transaction.atomic()`, in one fixed order, then recount from rows.
A lock wait longer than LOCK_TIMEOUT_MS becomes a `Busy` domain error instead of a hang.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import OperationalError, connection
from django.db.models import Model, QuerySet

from .errors import Busy

LOCK_TIMEOUT_MS = 10_000

M = TypeVar("M", bound=Model)


def set_lock_timeout(ms: int = LOCK_TIMEOUT_MS) -> None:
    """Bound lock waits for the rest of the current transaction (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(ms)}ms"])


def lock_rows(queryset: QuerySet[M]) -> list[M]:
    """Lock the rows of `queryset` (ordered by primary key, so every caller takes locks in
    the same order) and return them. Must run inside `transaction.atomic()`."""
    set_lock_timeout()
    try:
        return list(queryset.select_for_update().order_by("pk"))
    except OperationalError as exc:  # lock_timeout expired
        raise Busy("This record is busy right now. Please try again in a moment.") from exc


def lock_one(model: type[M], pk) -> M:
    """Lock and return one row by primary key (raises model.DoesNotExist)."""
    rows = lock_rows(model._default_manager.filter(pk=pk))
    if not rows:
        raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")
    return rows[0]


def lock_many(objs: Iterable[Model]) -> None:
    """Lock several already-loaded rows of one model in primary-key order."""
    objs = list(objs)
    if objs:
        lock_rows(type(objs[0])._default_manager.filter(pk__in=[o.pk for o in objs]))


def advisory_lock(name: str) -> None:
    """Serialise whole jobs (e.g. two workers running the same daily renewal) for the rest
    of the current transaction. PostgreSQL only; SQLite already runs one writer at a time."""
    if connection.vendor == "postgresql":
        set_lock_timeout(LOCK_TIMEOUT_MS * 6)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
        except OperationalError as exc:
            raise Busy(f"The job {name} is already running; try again later.") from exc
