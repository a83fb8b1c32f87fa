"""Remind leads to submit the yearly indicator report (seed 000: "use the EIT for ongoing
goal-setting and action")."""

from __future__ import annotations

from datetime import date

from members.models import Ecosystem
from renewals.services import notify_leads

from ..models import IndicatorReport

# (month, day, step): each step is sent once per ecosystem and year, on or after its day,
# to active ecosystems whose report for the year is not submitted.
REMINDER_STEPS = [(10, 1, "first"), (12, 1, "final")]
TEMPLATE = "measurement/email/report_reminder"


def due_steps(on: date) -> list[str]:
    return [step for month, day, step in REMINDER_STEPS if on >= date(on.year, month, day)]


def indicator_report_remind(*, on: date) -> int:
    """Queue the reminders that are due on `on` (catching up on missed days). Returns the
    number of ecosystems whose leads are emailed now."""

    steps = due_steps(on)
    if not steps:
        return 0
    pending = list(
        Ecosystem.objects.filter(status=Ecosystem.Status.ACTIVE)
        .exclude(
            indicator_reports__year=on.year,
            indicator_reports__status=IndicatorReport.Status.SUBMITTED,
        )
        .values_list("pk", flat=True)
    )
    if not pending:
        return 0
    step = steps[-1]  # a late first run sends only the latest step, never both at once
    return notify_leads(
        key=f"measurement-report-{on.year}-{step}",
        template=TEMPLATE,
        context={"year": on.year, "final": step == "final"},
        ecosystem_ids=pending,
        preference=None,
        on=on,
    )
