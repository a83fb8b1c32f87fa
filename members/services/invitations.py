from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.models import Ecosystem, EcosystemRole, Invitation, User
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from .roles import ecosystem_role_set


def _send_invitation(invitation: Invitation) -> None:
    send_templated_email(
        to=[invitation.email],
        template="members/email/invitation",
        context={
            "invitation": invitation,
            "ecosystem": invitation.ecosystem,
            "inviter": invitation.invited_by,
            "accept_url": absolute_url(invitation.get_absolute_url()),
        },
    )


@transaction.atomic
def invitation_create(*, acting_user, ecosystem: Ecosystem, email: str, role: str) -> Invitation:
    """Invite `email` to `ecosystem` as `role` and email them a link. Inviting someone who
    already has a pending invitation sends it again with a fresh expiry."""
    email = email.strip().lower()
    if EcosystemRole.objects.filter(ecosystem=ecosystem, user__email__iexact=email).exists():
        raise Conflict(
            _("%(email)s is already part of %(ecosystem)s.")
            % {"email": email, "ecosystem": ecosystem},
            code="already_member",
        )
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            ecosystem=ecosystem,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    if invitation:
        invitation.role = role
        invitation.expires_at = expires_at
        invitation.invited_by = acting_user
        invitation.save(update_fields=["role", "expires_at", "invited_by"])
        action = "invitation.resent"
    else:
        invitation = Invitation(
            ecosystem=ecosystem,
            email=email,
            role=role,
            invited_by=acting_user,
            expires_at=expires_at,
        )
        invitation.full_clean()
        invitation.save()
        action = "invitation.created"
    audit_log(
        actor=acting_user,
        action=action,
        obj=invitation,
        ecosystem=ecosystem,
        after={"email": email, "role": role},
    )
    _send_invitation(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    if invitation.revoked_at:
        raise Conflict(_("This invitation was withdrawn. Ask a lead to invite you again."))
    if invitation.accepted_at:
        raise Conflict(_("This invitation has already been used."), code="used")
    if invitation.expires_at < timezone.now():
        raise Conflict(
            _("This invitation has expired. Ask a lead to send a new one."), code="expired"
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> EcosystemRole:
    """Attach the signed-in `user` to the invited ecosystem. The invitation belongs to an
    email address: the user must own it (a verified address on their account)."""
    invitation = lock_one(Invitation, invitation.pk)
    _check_usable(invitation)
    owns_email = (
        user.email.lower() == invitation.email.lower()
        or EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    )
    if not owns_email:
        raise NotAllowed(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="wrong_account",
        )
    if invitation.invited_by_id == user.pk:
        raise NotAllowed(
            _("You cannot accept an invitation you sent yourself. Ask another lead."),
            code="own_invitation",
        )
    current = EcosystemRole.objects.filter(user=user, ecosystem=invitation.ecosystem).first()
    if current and current.role == EcosystemRole.Role.LEAD:
        membership = current  # never demote a lead through an invitation
    else:
        membership = ecosystem_role_set(
            acting_user=user,
            ecosystem=invitation.ecosystem,
            user=user,
            role=invitation.role,
            invitation=invitation,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        ecosystem=invitation.ecosystem,
        after={"email": invitation.email, "role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account for the invited address (verified: the link proves the person
    reads that mailbox) and accept the invitation with it."""
    invitation = lock_one(Invitation, invitation.pk)
    _check_usable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Conflict(
            _("An account with this email already exists. Sign in to accept the invitation."),
            code="account_exists",
        )
    user = User(email=invitation.email.lower(), first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password1") from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, acting_user, invitation: Invitation) -> Invitation:
    invitation = lock_one(Invitation, invitation.pk)
    if not invitation.is_pending:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log(
        actor=acting_user,
        action="invitation.revoked",
        obj=invitation,
        ecosystem=invitation.ecosystem,
        before={"email": invitation.email, "role": invitation.role},
    )
    return invitation
