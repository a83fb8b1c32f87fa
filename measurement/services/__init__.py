"""Every write of the measurement app: keyword-only functions, one transaction each."""

from .reminders import indicator_report_remind
from .reports import (
    IncompleteReport,
    ReportInput,
    indicator_report_reopen,
    indicator_report_save,
    validate_goal,
    validate_value,
)

__all__ = [
    "IncompleteReport",
    "ReportInput",
    "indicator_report_remind",
    "indicator_report_reopen",
    "indicator_report_save",
    "validate_goal",
    "validate_value",
]
