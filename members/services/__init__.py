"""Every write of the members app. Plain keyword-only functions, one transaction each;
import from the submodule (`members.services.roles`) or from here."""

from .audit import audit_log
from .ecosystems import ecosystem_update_profile
from .invitations import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_revoke,
)
from .roles import ecosystem_role_remove, ecosystem_role_set

__all__ = [
    "audit_log",
    "ecosystem_role_remove",
    "ecosystem_role_set",
    "ecosystem_update_profile",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_create",
    "invitation_revoke",
]
