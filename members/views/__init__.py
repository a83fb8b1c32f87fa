"""Views of the members app, by area. URL names are unchanged by the split."""

from .core import (
    dashboard,
    directory,
    ecosystem_detail,
    home,
    invitation_accept,
    invitation_revoke,
    invite,
    my_ecosystem,
    profile_edit,
    role_change,
    role_remove,
)
from .dues import (
    invoice_detail,
    invoice_list,
    invoice_pay,
    invoice_print,
    payment_cancelled,
    payment_receipt,
    payment_return,
    payment_simulator,
    scholarship_apply,
)
from .onboarding import cohort_progress, join, join_thanks, onboarding_detail, onboarding_tick
from .services import (
    service_catalog,
    service_request_detail,
    service_request_new,
    service_request_withdraw,
    service_requests,
)
from .staff import dues_dashboard, invoices_csv, payments_csv, staff_home
from .webhooks import stripe_webhook

__all__ = [
    "cohort_progress",
    "dashboard",
    "directory",
    "dues_dashboard",
    "ecosystem_detail",
    "home",
    "invitation_accept",
    "invitation_revoke",
    "invite",
    "invoice_detail",
    "invoice_list",
    "invoice_pay",
    "invoice_print",
    "invoices_csv",
    "join",
    "join_thanks",
    "my_ecosystem",
    "onboarding_detail",
    "onboarding_tick",
    "payment_cancelled",
    "payment_receipt",
    "payment_return",
    "payment_simulator",
    "payments_csv",
    "profile_edit",
    "role_change",
    "role_remove",
    "scholarship_apply",
    "service_catalog",
    "service_request_detail",
    "service_request_new",
    "service_request_withdraw",
    "service_requests",
    "staff_home",
    "stripe_webhook",
]
