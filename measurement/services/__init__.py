"""Every write of the measurement app: keyword-only functions, one transaction each."""

from .reports import (
    ReportInput,
    indicator_report_reopen,
    indicator_report_save,
    validate_goal,
    validate_value,
)

__all__ = [
    "ReportInput",
    "indicator_report_reopen",
    "indicator_report_save",
    "validate_goal",
    "validate_value",
]
