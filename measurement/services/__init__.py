"""Every write of the measurement app: keyword-only functions, one transaction each."""

from .reminders import indicator_report_remind
from .reports import (
    ReportInput,
    indicator_report_reopen,
    indicator_report_save,
    validate_goal,
    validate_value,
)

__all__ = [
    "indicator_report_remind",
    "ReportInput",
    "indicator_report_reopen",
    "indicator_report_save",
    "validate_goal",
    "validate_value",
]
