"""Every write of the members app. Plain keyword-only functions, one transaction each;
import from the submodule (`members.services.roles`) or from here."""

from .accounts import (
    may_manage_account,
    user_email_change_request,
    user_privileges,
    user_privileges_audit,
    user_send_password_reset,
    user_update,
)
from .audit import audit_log
from .ecosystems import ecosystem_update_profile
from .invitations import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_revoke,
)
from .invoices import (
    LineSpec,
    dues_invoice_open,
    invoice_add_line,
    invoice_clear_flag,
    invoice_create,
    invoice_flag,
    invoice_void,
    membership_year_get_or_create,
)
from .payments import PaymentResult, payment_record, payment_set_refunded
from .roles import ecosystem_role_check, ecosystem_role_remove, ecosystem_role_set
from .scholarships import scholarship_apply, scholarship_decide

__all__ = [
    "LineSpec",
    "PaymentResult",
    "audit_log",
    "dues_invoice_open",
    "ecosystem_role_check",
    "ecosystem_role_remove",
    "ecosystem_role_set",
    "ecosystem_update_profile",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_create",
    "invitation_revoke",
    "invoice_add_line",
    "invoice_clear_flag",
    "invoice_create",
    "invoice_flag",
    "invoice_void",
    "may_manage_account",
    "membership_year_get_or_create",
    "payment_record",
    "payment_set_refunded",
    "scholarship_apply",
    "scholarship_decide",
    "user_email_change_request",
    "user_privileges",
    "user_privileges_audit",
    "user_send_password_reset",
    "user_update",
]
