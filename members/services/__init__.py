"""The writes of identity and roles: accounts, ecosystems, invitations, roles. Dues, the
catalogue and onboarding have their own `services` in `members/billing/`,
`members/catalogue/` and `members/onboarding/`; the audit log is `members.audit`. Plain
keyword-only functions, one transaction each; import from the submodule
(`members.services.roles`) or from here."""

from .accounts import (
    may_manage_account,
    user_email_change_request,
    user_privileges,
    user_privileges_audit,
    user_send_password_reset,
    user_update,
)
from .ecosystems import ecosystem_update_profile
from .invitations import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_revoke,
)
from .roles import ecosystem_role_check, ecosystem_role_remove, ecosystem_role_set

__all__ = [
    "ecosystem_role_check",
    "ecosystem_role_remove",
    "ecosystem_role_set",
    "ecosystem_update_profile",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_create",
    "invitation_revoke",
    "may_manage_account",
    "user_email_change_request",
    "user_privileges",
    "user_privileges_audit",
    "user_send_password_reset",
    "user_update",
]
