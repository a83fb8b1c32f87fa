from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from members.models import Ecosystem, EcosystemRole, User
from slecop.errors import Conflict
from slecop.locking import lock_one

from .audit import audit_log

ROLE_PERMISSIONS = {
    EcosystemRole.Role.LEAD: ("members.act_for_ecosystem", "members.view_ecosystem"),
    EcosystemRole.Role.MEMBER: ("members.view_ecosystem",),
}
ALL_ROLE_PERMISSIONS = ("members.act_for_ecosystem", "members.view_ecosystem")


def _sync_permissions(*, user: User, ecosystem: Ecosystem, role: str | None) -> None:
    granted = ROLE_PERMISSIONS.get(role, ())
    for perm in ALL_ROLE_PERMISSIONS:
        if perm in granted:
            assign_perm(perm, user, ecosystem)
        else:
            remove_perm(perm, user, ecosystem)


def _ensure_another_lead(ecosystem: Ecosystem, leaving: EcosystemRole) -> None:
    others = (
        EcosystemRole.objects.filter(ecosystem=ecosystem, role=EcosystemRole.Role.LEAD)
        .exclude(pk=leaving.pk)
        .exists()
    )
    if not others:
        raise Conflict(
            _("%(user)s is the only lead of %(ecosystem)s. Make someone else a lead first.")
            % {"user": leaving.user, "ecosystem": ecosystem},
            code="last_lead",
        )


@transaction.atomic
def ecosystem_role_set(
    *, acting_user, ecosystem: Ecosystem, user: User, role: str
) -> EcosystemRole:
    """Give `user` the `role` (lead/member) in `ecosystem`, creating or changing their role,
    granting/revoking the matching guardian object permissions and auditing the change."""
    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"unknown role {role!r}")
    lock_one(Ecosystem, ecosystem.pk)  # serialises role changes of one ecosystem
    existing = EcosystemRole.objects.filter(user=user, ecosystem=ecosystem).first()
    before = existing.role if existing else None
    if existing and existing.role == role:
        return existing
    if existing and existing.role == EcosystemRole.Role.LEAD:
        _ensure_another_lead(ecosystem, existing)
    if existing:
        existing.role = role
        existing.save(update_fields=["role"])
        membership = existing
    else:
        membership = EcosystemRole(user=user, ecosystem=ecosystem, role=role)
        membership.full_clean()
        membership.save()
    _sync_permissions(user=user, ecosystem=ecosystem, role=role)
    audit_log(
        actor=acting_user,
        action="role.changed" if existing else "role.granted",
        obj=membership,
        ecosystem=ecosystem,
        before={"user": user.email, "role": before},
        after={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def ecosystem_role_remove(*, acting_user, membership: EcosystemRole) -> None:
    """Remove a person from an ecosystem; the last lead cannot be removed."""
    ecosystem = membership.ecosystem
    lock_one(Ecosystem, ecosystem.pk)
    membership = EcosystemRole.objects.select_related("user").filter(pk=membership.pk).first()
    if membership is None:  # already removed by someone else
        return
    if membership.role == EcosystemRole.Role.LEAD:
        _ensure_another_lead(ecosystem, membership)
    _sync_permissions(user=membership.user, ecosystem=ecosystem, role=None)
    audit_log(
        actor=acting_user,
        action="role.revoked",
        obj=membership,
        ecosystem=ecosystem,
        before={"user": membership.user.email, "role": membership.role},
        after=None,
    )
    membership.delete()
