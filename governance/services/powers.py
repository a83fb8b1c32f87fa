"""Office groups follow the terms (governance.powers): run by the stewardship sync."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from members.audit import audit_log
from members.models import User

from ..models import Term
from ..powers import OFFICE_POWERS


def _permissions(names) -> list[Permission]:
    q = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        q |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(q).select_related("content_type"))


def _label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def office_group(acting_user, slug: str) -> Group:
    """The office's group, with exactly its listed permissions (created or corrected
    here, audited when it changes)."""
    powers = OFFICE_POWERS[slug]
    group, _created = Group.objects.get_or_create(name=powers.group)
    wanted = _permissions(powers.permissions)
    have = {_label(p) for p in group.permissions.select_related("content_type")}
    if have != {_label(p) for p in wanted}:
        group.permissions.set(wanted)
        audit_log(
            actor=acting_user,
            action="governance.office_group_permissions",
            obj=group,
            before={"permissions": sorted(have)},
            after={"permissions": sorted(_label(p) for p in wanted)},
        )
    return group


def office_groups_sync(
    *, acting_user, on: dt.date, person_ids: set[int] | None = None
) -> dict[str, list[int]]:
    """Make each office group's members the office's holders on `on` (for `person_ids`
    only, or everyone). Every change is audited. Returns {"granted": […], "revoked": […]}
    person ids."""
    result: dict[str, list[int]] = {"granted": [], "revoked": []}
    for slug, powers in OFFICE_POWERS.items():
        group = office_group(acting_user, slug)
        holders = Term.objects.current(on).filter(office__slug=slug)
        members = group.user_set.all()
        if person_ids is not None:
            holders = holders.filter(person_id__in=person_ids)
            members = members.filter(pk__in=person_ids)
        should = set(holders.values_list("person_id", flat=True))
        are = set(members.values_list("pk", flat=True))
        users = User.objects.in_bulk(should ^ are)
        for person_id in sorted(should - are):
            group.user_set.add(users[person_id])
            _audit(acting_user, users[person_id], powers.group, granted=True)
            result["granted"].append(person_id)
        for person_id in sorted(are - should):
            group.user_set.remove(users[person_id])
            _audit(acting_user, users[person_id], powers.group, granted=False)
            result["revoked"].append(person_id)
    return result


def _audit(acting_user, user: User, group: str, *, granted: bool) -> None:
    audit_log(
        actor=acting_user,
        action="governance.office_powers_granted"
        if granted
        else "governance.office_powers_revoked",
        obj=user,
        before={"groups": [] if granted else [group]},
        after={"groups": [group] if granted else []},
    )
