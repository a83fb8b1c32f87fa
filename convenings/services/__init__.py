"""Every write of the convenings app: plain keyword-only functions, one transaction each.

Lock order, everywhere: the seat invoice (when there is one), then the convening row,
then the ecosystem row, then registration rows. Payment hooks already hold the invoice
lock when they run, so they fit the same order."""

from .emails import registration_emails_after_change
from .registrations import (
    Attendee,
    convening_fill_from_waitlist,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_substitute,
)
from .reminders import convening_reminders_send
from .seats import paid_holds_release, seats_invoice_refunded, seats_invoice_settled

__all__ = [
    "Attendee",
    "convening_fill_from_waitlist",
    "convening_reminders_send",
    "paid_holds_release",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registration_emails_after_change",
    "registration_substitute",
    "seats_invoice_refunded",
    "seats_invoice_settled",
]
