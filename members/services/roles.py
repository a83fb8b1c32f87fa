"""Who holds which role in an ecosystem. Every path that changes a role (the admin, a
lead's people page, an invitation, staff tools) goes through these two services, so the
same rules hold everywhere:

- guardian object permissions follow the role, and every change is audited;
- the last lead cannot leave;
- staff act through their staff rights, not as leads: they cannot grant a role to their
  own account, and only a superuser changes the roles of a staff or superuser account
  (a lead of the ecosystem manages its people, whoever they are);
- a change made by someone else than the person emails the person and the ecosystem's
  leads, so a role nobody asked for is noticed at once.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from members.audit import audit_log
from members.models import Ecosystem, EcosystemRole, User
from members.selectors import lead_emails
from slecop.errors import Conflict, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

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


RANK = {None: 0, EcosystemRole.Role.MEMBER: 1, EcosystemRole.Role.LEAD: 2}


def _acting(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def ecosystem_role_check(
    *, acting_user, ecosystem: Ecosystem, user: User, before: str | None, after: str | None
) -> None:
    """Refuse a role change `acting_user` may not make (NotAllowed). A lead of the
    ecosystem manages its people; anyone else acts through staff rights, which never
    reach their own account (no role granted or raised) nor, unless a superuser, a staff
    or superuser account. The system (no acting user) and invitations are not checked
    here: invitations are sent by the ecosystem's leads."""
    if not _acting(acting_user):
        return
    if EcosystemRole.objects.filter(
        user=acting_user, ecosystem=ecosystem, role=EcosystemRole.Role.LEAD
    ).exists():
        return
    if acting_user.pk == user.pk and RANK[after] > RANK[before]:
        raise NotAllowed(
            _(
                "You cannot grant a role to your own account. A lead of %(ecosystem)s can "
                "invite you, or another staff member can add you."
            )
            % {"ecosystem": ecosystem},
            code="own_role",
        )
    if not acting_user.is_superuser and (user.is_staff or user.is_superuser):
        raise NotAllowed(
            _("Only a superuser can change the roles of a staff or superuser account."),
            code="privileged_account",
        )


def _email_role_change(
    *, acting_user, ecosystem: Ecosystem, user: User, before: str | None, after: str | None
) -> None:
    """A change made by someone else than the person: tell the person and the ecosystem's
    leads (as they are after the change)."""
    if not _acting(acting_user) or acting_user.pk == user.pk:
        return

    labels = dict(EcosystemRole.Role.choices)
    leads = lead_emails([ecosystem.pk]).get(ecosystem.pk, [])
    send_templated_email(
        to=list(dict.fromkeys([user.email, *leads])),
        template="members/email/role_changed",
        context={
            "person": user,
            "ecosystem": ecosystem,
            "before": before,
            "after": after,
            "before_label": labels.get(before, ""),
            "after_label": labels.get(after, ""),
            "by": acting_user,
            "people_url": absolute_url(
                reverse("members:dashboard", kwargs={"ecosystem": ecosystem.slug}) + "#people"
            ),
        },
    )


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
    *, acting_user, ecosystem: Ecosystem, user: User, role: str, invitation=None
) -> EcosystemRole:
    """Give `user` the `role` (lead/member) in `ecosystem`, creating or changing their role,
    granting/revoking the matching guardian object permissions and auditing the change.
    `invitation`: the role is the one a lead invited `user` to, accepted by `user`."""
    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"unknown role {role!r}")
    lock_one(Ecosystem, ecosystem.pk)  # serialises role changes of one ecosystem
    existing = EcosystemRole.objects.filter(user=user, ecosystem=ecosystem).first()
    before = existing.role if existing else None
    if existing and existing.role == role:
        return existing
    if invitation is None:
        ecosystem_role_check(
            acting_user=acting_user, ecosystem=ecosystem, user=user, before=before, after=role
        )
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
    _email_role_change(
        acting_user=acting_user, ecosystem=ecosystem, user=user, before=before, after=role
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
    change = {
        "acting_user": acting_user,
        "ecosystem": ecosystem,
        "user": membership.user,
        "before": membership.role,
        "after": None,
    }
    ecosystem_role_check(**change)
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
    _email_role_change(**change)
