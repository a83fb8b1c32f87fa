"""Every write of renewals: the daily cycle (`cycle`) and the leads' notifications other
apps send through it (`notify`). Import from here or from the submodule."""

from .cycle import (
    INVOICED_STATUSES,
    MAX_OVERDUE_WEEKS,
    OPTIONAL_STEPS,
    DayReport,
    Progress,
    reminder_schedule,
    renewal_lapse,
    renewal_open_invoices,
    renewal_reinstate,
    renewal_run_day,
    renewal_send_reminders,
    renewal_staff_digest,
    steps_to_do,
)
from .notify import (
    lead_addresses,
    notification_preference_update,
    notify_leads,
)

__all__ = [
    "INVOICED_STATUSES",
    "MAX_OVERDUE_WEEKS",
    "OPTIONAL_STEPS",
    "DayReport",
    "Progress",
    "lead_addresses",
    "notification_preference_update",
    "notify_leads",
    "reminder_schedule",
    "renewal_lapse",
    "renewal_open_invoices",
    "renewal_reinstate",
    "renewal_run_day",
    "renewal_send_reminders",
    "renewal_staff_digest",
    "steps_to_do",
]
