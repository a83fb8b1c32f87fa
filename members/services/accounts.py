"""Accounts changed by someone else (the admin): who may change what, and how.

- Staff and superuser accounts are changed only by superusers: staff status, superuser
  status, groups, permissions, passwords, email and activation. Nobody but a superuser
  changes their own account here either.
- On other accounts staff change names and activation. They never set a password: they
  may send allauth's password-reset email to the address on file.
- An email change made here, by anyone, takes effect only once the new address confirms
  it (allauth's change-email flow: the new address is stored unverified and sent a
  confirmation link; confirming makes it the account's address and emails the old one).
  The old address is told at once as well. Until then password resets keep going to the
  address on file (members.forms.VerifiedAddressResetPasswordForm), so an unconfirmed
  change never hands anyone the account.

Every change is audited (members.audit.audit_log).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.forms import VerifiedAddressResetPasswordForm
from members.models import User
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email


def account_is_privileged(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser)


def may_manage_account(actor, user: User) -> bool:
    """Whether `actor` may change `user`'s names, activation and email (never privileges
    unless a superuser): superusers always; other staff only ordinary accounts, never
    their own."""
    if getattr(actor, "is_superuser", False):
        return True
    return not account_is_privileged(user) and getattr(actor, "pk", None) != user.pk


def _check_may_manage(actor, user: User) -> None:
    if not may_manage_account(actor, user):
        raise NotAllowed(
            _("Only a superuser can change a staff or superuser account, or their own."),
            code="privileged_account",
        )


def user_privileges(user: User) -> dict:
    """What `user` may do, for audit entries and before/after comparisons."""
    return {
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(Group.objects.filter(user=user).values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in Permission.objects.filter(user=user).values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


def user_privileges_audit(*, acting_user, user: User, before: dict) -> None:
    """Audit a superuser's change of `user`'s privileges in the admin (called in the
    admin's transaction, after the groups and permissions were saved)."""
    after = user_privileges(user)
    if after != before:
        audit_log(
            actor=acting_user,
            action="user.privileges_changed",
            obj=user,
            before=before,
            after=after,
        )


@transaction.atomic
def user_update(
    *, acting_user, user: User, first_name: str, last_name: str, is_active: bool
) -> User:
    """Change `user`'s names and activation (staff on ordinary accounts; superusers)."""
    _check_may_manage(acting_user, user)
    user = lock_one(User, user.pk)
    fields = ["first_name", "last_name", "is_active"]
    before = {name: getattr(user, name) for name in fields}
    user.first_name, user.last_name, user.is_active = first_name, last_name, is_active
    user.full_clean(exclude=["password", "email"])
    after = {name: getattr(user, name) for name in fields}
    if after != before:
        user.save(update_fields=fields)
        audit_log(actor=acting_user, action="user.updated", obj=user, before=before, after=after)
    return user


@transaction.atomic
def user_email_change_request(*, acting_user, user: User, new_email: str, request) -> None:
    """Ask to change `user`'s email to `new_email`: nothing changes until the new address
    confirms (allauth sends it the link; `request` builds it). The old address is told now
    and again once the change is done."""
    _check_may_manage(acting_user, user)
    user = lock_one(User, user.pk)
    new_email = new_email.strip().lower()
    old_email = user.email
    if new_email == old_email.lower():
        return
    taken = (
        User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=new_email, verified=True)
        .exclude(user=user)
        .exists()
    )
    if taken:
        raise Conflict(
            _("Another account already uses %(email)s.") % {"email": new_email}, field="email"
        )
    # allauth's change-email flow: the address on file stays until the new one confirms
    EmailAddress.objects.add_new_email(request, user, new_email)
    audit_log(
        actor=acting_user,
        action="user.email_change_requested",
        obj=user,
        before={"email": old_email},
        after={"email": old_email, "pending": new_email},
    )
    send_templated_email(
        to=[old_email],
        template="members/email/email_change_requested",
        context={
            "person": user,
            "new_email": new_email,
            "by": acting_user,
            "account_url": absolute_url("/accounts/email/"),
        },
    )


@transaction.atomic
def user_send_password_reset(*, acting_user, user: User, request) -> None:
    """Send allauth's password-reset email to the address on file. Nobody sets another
    person's password; the owner chooses one from the link."""

    form = VerifiedAddressResetPasswordForm(data={"email": user.email})
    if not form.is_valid():
        raise DomainError(_("This account has no address a reset can be sent to."))
    form.save(request)
    audit_log(
        actor=acting_user,
        action="user.password_reset_sent",
        obj=user,
        after={"email": user.email},
    )
