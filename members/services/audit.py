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
