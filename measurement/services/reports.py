"""Saving, submitting and reopening an ecosystem's yearly indicator report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.models import Ecosystem
from members.permissions import can_act_for_ecosystem
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one

from ..models import MAX_COUNT, MIN_YEAR, Goal, Indicator, IndicatorReport, IndicatorValue

Kind = Indicator.Kind
COLUMN = {
    Kind.COUNT: "count_value",
    Kind.PERCENTAGE: "percent_value",
    Kind.YES_NO: "bool_value",
    Kind.RUBRIC: "rubric_value",
    Kind.TEXT: "text_value",
}
MAX_TEXT = 4000


class IncompleteReport(DomainError):
    """Submitting with indicators unanswered: `fields` names every missing one's field."""

    def __init__(self, message: str, *, fields: list[str]):
        super().__init__(message, code="incomplete", field=fields[0] if fields else None)
        self.fields = fields


@dataclass
class ReportInput:
    """What a lead entered: values and goals keyed by indicator code (None or "" = blank)."""

    values: dict[str, Any] = field(default_factory=dict)
    goals: dict[str, Any] = field(default_factory=dict)


def value_field(indicator: Indicator) -> str:
    return f"value_{indicator.code}"


def goal_field(indicator: Indicator) -> str:
    return f"goal_{indicator.code}"


def _decimal(raw: Any, *, field_name: str) -> Decimal:
    if isinstance(raw, bool):
        raise DomainError(_("Enter a number."), field=field_name)
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field=field_name) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=field_name)
    return number


def validate_value(indicator: Indicator, raw: Any) -> Any:
    """The typed value of `raw` for `indicator`, None if blank, or a DomainError naming
    the form field (so views show it next to the input)."""
    name = value_field(indicator)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = indicator.kind
    if kind == Kind.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise DomainError(_("Keep this under %d characters.") % MAX_TEXT, field=name)
        return text
    if kind == Kind.YES_NO:
        if isinstance(raw, bool):
            return raw
        lowered = str(raw).strip().lower()
        if lowered in ("yes", "true", "1"):
            return True
        if lowered in ("no", "false", "0"):
            return False
        raise DomainError(_("Answer yes or no."), field=name)
    number = _decimal(raw, field_name=name)
    if kind == Kind.COUNT:
        if number != number.to_integral_value() or number < 0:
            raise DomainError(_("Enter a whole number, 0 or more."), field=name)
        _check_bounds(indicator, number, name)
        return int(number)
    if kind == Kind.PERCENTAGE:
        if not 0 <= number <= 100:
            raise DomainError(_("A percentage is between 0 and 100."), field=name)
        _check_bounds(indicator, number, name)
        return number.quantize(Decimal("0.1"))
    if number not in (1, 2, 3, 4):  # rubric
        raise DomainError(_("Choose a rubric level from 1 to 4."), field=name)
    return int(number)


def _check_bounds(indicator: Indicator, number: Decimal, name: str) -> None:
    """The indicator's own range (e.g. "sectors represented, 0-7")."""
    low, high = indicator.bounds
    if not low <= number <= high:
        raise DomainError(
            _("Enter a value from %(low)s to %(high)s.") % {"low": low, "high": f"{high:,}"},
            field=name,
        )


def validate_goal(indicator: Indicator, raw: Any) -> Decimal | None:
    """A goal for next year: counts ≥ 0, percentages 0-100, rubric levels 1-4."""
    name = goal_field(indicator)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not indicator.is_numeric:
        raise DomainError(_("This indicator takes no goal."), field=name)
    number = _decimal(raw, field_name=name)
    limits = {
        Kind.COUNT: (0, MAX_COUNT, _("A goal is 0 or more.")),
        Kind.PERCENTAGE: (0, 100, _("A percentage is between 0 and 100.")),
        Kind.RUBRIC: (1, 4, _("Choose a rubric level from 1 to 4.")),
    }
    low, high, message = limits[indicator.kind]
    if not low <= number <= high:
        raise DomainError(message, field=name)
    _check_bounds(indicator, number, name)
    return number.quantize(Decimal("0.1"))


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not MIN_YEAR <= year <= this_year:
        raise DomainError(
            _("Reports can be filled for the years %(first)d to %(last)d.")
            % {"first": MIN_YEAR, "last": this_year},
            field="year",
        )


def _missing(indicators: list[Indicator], values: dict[int, Any]) -> list[Indicator]:
    return [i for i in indicators if i.kind != Kind.TEXT and values.get(i.pk) is None]


@transaction.atomic
def indicator_report_save(
    *,
    acting_user,
    ecosystem: Ecosystem,
    year: int,
    data: ReportInput,
    submit: bool = False,
) -> IndicatorReport:
    """Save the report of `ecosystem` for `year` as a draft, or submit it (then every
    indicator except free text needs a value). Leads only; a submitted report is locked
    until staff reopen it. Lock order: the ecosystem row, then the report row."""
    if not can_act_for_ecosystem(acting_user, ecosystem):
        raise NotAllowed(_("Only a lead of %s can fill its indicator report.") % ecosystem)
    _check_year(year)
    lock_one(Ecosystem, ecosystem.pk)
    report, _created = IndicatorReport.objects.get_or_create(ecosystem=ecosystem, year=year)
    report = lock_one(IndicatorReport, report.pk)
    if report.status == IndicatorReport.Status.SUBMITTED:
        raise Conflict(
            _(
                "The %(year)d report of %(ecosystem)s was already submitted. Ask TIES staff "
                "to reopen it if something needs correcting."
            )
            % {"year": year, "ecosystem": ecosystem}
        )
    indicators = list(Indicator.objects.filter(active=True))
    values = {i.pk: validate_value(i, data.values.get(i.code)) for i in indicators}
    goals = {i.pk: validate_goal(i, data.goals.get(i.code)) for i in indicators if i.is_numeric}
    if submit and (missing := _missing(indicators, values)):
        raise IncompleteReport(
            _("Fill in every indicator before submitting. Missing (%(count)d): %(names)s.")
            % {"count": len(missing), "names": "; ".join(i.name for i in missing)},
            fields=[value_field(i) for i in missing],
        )
    _replace_rows(report, indicators, values, goals)
    if submit:
        now = timezone.now()
        before = report.status
        report.status = IndicatorReport.Status.SUBMITTED
        report.submitted_at = now
        report.submitted_by = acting_user
        report.first_submitted_at = report.first_submitted_at or now
        audit_log(
            actor=acting_user,
            action="measurement.report_submit",
            obj=report,
            ecosystem=ecosystem,
            before={"status": before},
            after={
                "status": report.status,
                "values": len([v for v in values.values() if v is not None]),
            },
        )
    report.full_clean()
    report.save()
    return report


def _replace_rows(report, indicators, values, goals) -> None:
    """Replace the report's values and goals of the active indicators with the entered
    ones (bulk, constant queries); answers to retired indicators are kept as history."""
    report.values.filter(indicator__in=indicators).delete()
    report.goals.filter(indicator__in=indicators).delete()
    rows = []
    for indicator in indicators:
        value = values[indicator.pk]
        if value is None:
            continue
        row = IndicatorValue(report=report, indicator=indicator, kind=indicator.kind)
        setattr(row, COLUMN[indicator.kind], value)
        rows.append(row)
    IndicatorValue.objects.bulk_create(rows)
    Goal.objects.bulk_create(
        Goal(report=report, indicator=indicator, kind=indicator.kind, target=goals[indicator.pk])
        for indicator in indicators
        if indicator.is_numeric and goals.get(indicator.pk) is not None
    )


@transaction.atomic
def indicator_report_reopen(
    *, acting_user, report: IndicatorReport, reason: str
) -> IndicatorReport:
    """Staff reopen a submitted report so its lead can correct it. While reopened it
    leaves the network aggregates until it is submitted again."""
    if not acting_user.has_perm("measurement.reopen_indicatorreport"):
        raise NotAllowed(_("Only TIES staff can reopen an indicator report."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the report is reopened."), field="reason")
    lock_one(Ecosystem, report.ecosystem_id)
    report = lock_one(IndicatorReport, report.pk)
    if report.status != IndicatorReport.Status.SUBMITTED:
        raise Conflict(_("Only a submitted report can be reopened."))
    report.status = IndicatorReport.Status.REOPENED
    report.full_clean()
    report.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=acting_user,
        action="measurement.report_reopen",
        obj=report,
        ecosystem=report.ecosystem,
        before={"status": IndicatorReport.Status.SUBMITTED},
        after={"status": report.status, "reason": reason},
    )
    return report
