"""Views of dues: a lead's invoices and payments, the Stripe webhook, staff's dashboard."""

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
from .staff import dues_dashboard, invoices_csv, payments_csv
from .webhooks import stripe_webhook

__all__ = [
    "dues_dashboard",
    "invoice_detail",
    "invoice_list",
    "invoice_pay",
    "invoice_print",
    "invoices_csv",
    "payment_cancelled",
    "payment_receipt",
    "payment_return",
    "payment_simulator",
    "payments_csv",
    "scholarship_apply",
    "stripe_webhook",
]
