"""Every write of dues: invoices, payments, scholarships and online checkout. Plain
keyword-only functions, one transaction each; import from the submodule
(`members.billing.services.invoices`) or from here."""

from members.billing.services.invoices import (
    LineSpec,
    dues_invoice_open,
    invoice_add_line,
    invoice_clear_flag,
    invoice_create,
    invoice_flag,
    invoice_void,
    membership_year_get_or_create,
)
from members.billing.services.payments import PaymentResult, payment_record, payment_set_refunded
from members.billing.services.scholarships import scholarship_apply, scholarship_decide

__all__ = [
    "LineSpec",
    "PaymentResult",
    "dues_invoice_open",
    "invoice_add_line",
    "invoice_clear_flag",
    "invoice_create",
    "invoice_flag",
    "invoice_void",
    "membership_year_get_or_create",
    "payment_record",
    "payment_set_refunded",
    "scholarship_apply",
    "scholarship_decide",
]
