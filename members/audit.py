from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from members.models import AuditEntry, Ecosystem


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    ecosystem: Ecosystem | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction of the change it records, so
    the entry exists exactly when the change does. `actor` None means the system (a
    scheduled task or a webhook)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    if ecosystem is None and isinstance(obj, Ecosystem):
        ecosystem = obj
    return AuditEntry.objects.create(
        actor=actor,
        actor_repr=actor.email if actor else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ecosystem=ecosystem,
        before=before,
        after=after,
    )


def model_snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` on `instance`, for before/after in an audit entry."""
    return {name: getattr(instance, name) for name in fields}


def audit_log_bulk(
    *, actor, action: str, entries: list[tuple[models.Model, int | None, Any]]
) -> None:
    """One audit entry per (object, ecosystem id, after) in `entries`, inserted in bulk,
    for services that change many rows at once (yearly renewals, lapses)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    content_types: dict[type, ContentType] = {}
    rows = []
    for obj, ecosystem_id, after in entries:
        model = type(obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            AuditEntry(
                actor=actor,
                actor_repr=actor.email if actor else "system",
                action=action,
                content_type=content_types[model],
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                ecosystem_id=ecosystem_id,
                after=after,
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
