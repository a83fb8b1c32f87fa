"""The "Stewardship team" group follows the terms: whoever holds a current term is in it
(and is staff, so they can use the admin to review practice groups); when their last
current term ends, the access the sync gave them is taken back. Run for the people whose
terms change (by the term services) and every night for everyone (governance.tasks), so a
term that begins or ends on a day nobody touches it still takes effect, and a night the
scheduler missed is caught up by the next run: the sync compares state, it does not
replay events, so running it twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from members.audit import audit_log
from members.migration_utils import STEWARDSHIP_TEAM
from members.models import User
from slecop.locking import lock_one

from ..models import StewardshipAccess, Term
from ..powers import office_group_names
from .powers import office_groups_sync


@dataclass
class SyncResult:
    granted: list[int] = field(default_factory=list)  # person ids given access
    revoked: list[int] = field(default_factory=list)  # person ids whose access was taken back
    powers_granted: list[int] = field(default_factory=list)  # added to an office group
    powers_revoked: list[int] = field(default_factory=list)  # removed from an office group

    @property
    def changed(self) -> bool:
        return bool(self.granted or self.revoked)


def _access_state(user: User, in_group: bool) -> dict[str, bool]:
    return {"in_stewardship_team": in_group, "is_staff": user.is_staff}


@transaction.atomic
def stewardship_team_sync(
    *,
    acting_user=None,
    on: dt.date | None = None,
    person_ids: Iterable[int] | None = None,
) -> SyncResult:
    """Bring the Stewardship team group and the office groups (governance.powers) in line
    with the terms current on `on` (default today), for `person_ids` only or for
    everyone. Every grant and revocation is a permission change and is audited; people put
    in the Stewardship team group by hand (without a StewardshipAccess record) are never
    removed; the office groups are the sync's alone (their members are the holders)."""
    on = on or timezone.localdate()
    group = lock_one(Group, Group.objects.get(name=STEWARDSHIP_TEAM).pk)  # one sync at a time
    # the office groups first: a revocation below asks whether other groups keep the
    # person staff, and an office group is not one once the office is left
    powers = office_groups_sync(
        acting_user=acting_user,
        on=on,
        person_ids=set(person_ids) if person_ids is not None else None,
    )
    holders_qs = Term.objects.current(on)
    access_qs = StewardshipAccess.objects.all()
    if person_ids is not None:
        person_ids = set(person_ids)
        holders_qs = holders_qs.filter(person_id__in=person_ids)
        access_qs = access_qs.filter(person_id__in=person_ids)
    holders = set(holders_qs.values_list("person_id", flat=True))
    accesses = {a.person_id: a for a in access_qs}
    involved = holders | set(accesses)
    users = User.objects.in_bulk(involved)
    in_group = set(group.user_set.filter(pk__in=involved).values_list("pk", flat=True))

    result = SyncResult(powers_granted=powers["granted"], powers_revoked=powers["revoked"])
    for person_id in sorted(holders):
        if _grant(acting_user, group, users[person_id], accesses.get(person_id), in_group):
            result.granted.append(person_id)
    for person_id in sorted(set(accesses) - holders):
        _revoke(acting_user, group, users[person_id], accesses[person_id], in_group)
        result.revoked.append(person_id)
    return result


def _grant(acting_user, group, user, access, in_group: set[int]) -> bool:
    before = _access_state(user, user.pk in in_group)
    add_to_group = user.pk not in in_group
    make_staff = not user.is_staff
    if access is None:
        StewardshipAccess.objects.create(
            person=user, added_to_group=add_to_group, made_staff=make_staff
        )
    elif add_to_group or make_staff:  # e.g. removed by hand while still in office
        access.added_to_group = access.added_to_group or add_to_group
        access.made_staff = access.made_staff or make_staff
        access.save(update_fields=["added_to_group", "made_staff"])
    if not (add_to_group or make_staff):
        return False
    if add_to_group:
        group.user_set.add(user)
    if make_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit_log(
        actor=acting_user,
        action="governance.stewardship_granted",
        obj=user,
        before=before,
        after=_access_state(user, True),
    )
    return True


def _revoke(acting_user, group, user, access, in_group: set[int]) -> None:
    before = _access_state(user, user.pk in in_group)
    if access.added_to_group:
        group.user_set.remove(user)
    still_staff_elsewhere = user.is_superuser or (  # e.g. TIES staff
        user.groups.exclude(pk=group.pk).exclude(name__in=office_group_names()).exists()
    )
    if access.made_staff and user.is_staff and not still_staff_elsewhere:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    access.delete()
    after = _access_state(user, user.pk in in_group and not access.added_to_group)
    if after != before:
        audit_log(
            actor=acting_user,
            action="governance.stewardship_revoked",
            obj=user,
            before=before,
            after=after,
        )
