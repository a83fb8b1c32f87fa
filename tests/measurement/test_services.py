"""Saving, submitting and reopening reports: rules, validation, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from measurement.models import Goal, Indicator, IndicatorReport, IndicatorValue
from measurement.services import ReportInput, indicator_report_reopen, indicator_report_save
from members.models import AuditEntry
from slecop.errors import Conflict, DomainError, NotAllowed
from tests.measurement.factories import full_input

pytestmark = pytest.mark.django_db


def test_seeded_definitions_cover_the_five_attributes_and_every_type():
    from measurement.models import Attribute

    attributes = list(Attribute.objects.all())
    assert [a.number for a in attributes] == [1, 2, 3, 4, 5]
    assert "anti-racist policies" in attributes[0].description  # seed 001 text
    kinds = set(Indicator.objects.values_list("kind", flat=True))
    assert kinds == {"count", "percentage", "yes_no", "rubric", "text"}
    for attribute in attributes:
        assert attribute.indicators.count() >= 3
    for rubric in Indicator.objects.filter(kind="rubric"):
        assert all(text for _, text in rubric.rubric_levels)


def test_lead_saves_a_draft_with_blanks_then_submits(ecosystem, lead, year):
    draft = ReportInput(values={"partner-organizations": "12"}, goals={"partner-organizations": 15})
    report = indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=draft)
    assert report.status == IndicatorReport.Status.DRAFT
    assert report.values.get().count_value == 12
    assert report.goals.get().target == Decimal("15.0")

    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )
    assert report.status == IndicatorReport.Status.SUBMITTED
    assert report.submitted_by == lead and report.first_submitted_at
    numeric = Indicator.objects.exclude(kind="text").count()
    assert report.values.count() == Indicator.objects.count()
    assert (
        report.goals.count()
        == Indicator.objects.filter(kind__in=["count", "percentage", "rubric"]).count()
    )
    assert numeric > 10
    assert AuditEntry.objects.filter(
        action="measurement.report_submit", ecosystem=ecosystem
    ).exists()


def test_submit_needs_every_non_text_indicator(ecosystem, lead, year):
    data = full_input()
    data.values["employer-partners"] = ""
    data.values["measurement-story"] = ""  # free text may stay blank
    with pytest.raises(DomainError) as exc:
        indicator_report_save(
            acting_user=lead, ecosystem=ecosystem, year=year, data=data, submit=True
        )
    assert exc.value.field == "value_employer-partners"
    assert not IndicatorReport.objects.exists()  # the transaction rolled back


def test_submitted_report_is_locked_until_staff_reopen_it(ecosystem, lead, staff_user, year):
    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )
    with pytest.raises(Conflict):
        indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(1))
    with pytest.raises(NotAllowed):
        indicator_report_reopen(acting_user=lead, report=report, reason="typo")
    with pytest.raises(DomainError):
        indicator_report_reopen(acting_user=staff_user, report=report, reason="  ")

    report = indicator_report_reopen(
        acting_user=staff_user, report=report, reason="typo in PD hours"
    )
    assert report.status == IndicatorReport.Status.REOPENED
    entry = AuditEntry.objects.get(action="measurement.report_reopen")
    assert entry.actor == staff_user and entry.after["reason"] == "typo in PD hours"
    with pytest.raises(Conflict):
        indicator_report_reopen(acting_user=staff_user, report=report, reason="again")

    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(1), submit=True
    )
    assert report.status == IndicatorReport.Status.SUBMITTED
    assert report.values.get(indicator__code="partner-organizations").count_value == 10


def test_members_other_leads_and_staff_cannot_fill_a_report(
    ecosystem, member, other_lead, staff_user, year
):
    for user in (member, other_lead, staff_user):
        with pytest.raises(NotAllowed):
            indicator_report_save(
                acting_user=user, ecosystem=ecosystem, year=year, data=full_input()
            )
    assert not IndicatorReport.objects.exists()


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("partners-equity-policies", "130", "between 0 and 100"),
        ("partner-organizations", "a dozen", "Enter a number"),
        ("partner-organizations", "2.5", "whole number"),
        ("partner-organizations", "-1", "whole number"),
        ("partners-in-design", "7", "1 to 4"),
        ("governance-model", "maybe", "yes or no"),
    ],
)
def test_invalid_values_are_refused_on_their_field(ecosystem, lead, year, code, raw, message):
    data = ReportInput(values={code: raw})
    with pytest.raises(DomainError) as exc:
        indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=data)
    assert exc.value.field == f"value_{code}"
    assert message in exc.value.message
    assert not IndicatorReport.objects.exists()


@pytest.mark.parametrize(
    ("code", "raw"),
    [
        ("partners-equity-policies", "101"),
        ("partners-in-design", "5"),
        ("partner-organizations", "-3"),
    ],
)
def test_invalid_goals_are_refused(ecosystem, lead, year, code, raw):
    with pytest.raises(DomainError) as exc:
        indicator_report_save(
            acting_user=lead, ecosystem=ecosystem, year=year, data=ReportInput(goals={code: raw})
        )
    assert exc.value.field == f"goal_{code}"


def test_future_and_ancient_years_are_refused(ecosystem, lead, year):
    for bad in (year + 1, 2010):
        with pytest.raises(DomainError):
            indicator_report_save(
                acting_user=lead, ecosystem=ecosystem, year=bad, data=full_input()
            )


def test_database_constraints_back_the_typed_columns(ecosystem, indicators):
    from django.db import IntegrityError, transaction

    report = IndicatorReport.objects.create(ecosystem=ecosystem, year=2024)
    percent = indicators["partners-equity-policies"]
    count = indicators["partner-organizations"]
    rubric = indicators["partners-in-design"]
    bad_rows = [
        IndicatorValue(report=report, indicator=percent, kind="percentage", percent_value=130),
        IndicatorValue(report=report, indicator=count, kind="count"),  # no value
        IndicatorValue(report=report, indicator=count, kind="count", count_value=3, text_value="x"),
        IndicatorValue(report=report, indicator=rubric, kind="rubric", rubric_value=7),
        IndicatorValue(
            report=report, indicator=count, kind="count", count_value=1, bool_value=True
        ),
    ]
    for row in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(report=report, indicator=rubric, kind="rubric", target=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorReport.objects.create(ecosystem=ecosystem, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorReport.objects.create(ecosystem=ecosystem, year=2023, status="submitted")


def test_retired_indicators_leave_the_form_but_keep_their_history(
    ecosystem, lead, staff_user, year
):
    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )
    Indicator.objects.filter(code="champions").update(active=False)
    indicator_report_reopen(acting_user=staff_user, report=report, reason="fix")
    data = full_input(2)
    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=data, submit=True
    )
    assert report.values.get(indicator__code="champions").count_value == 30  # kept
    assert report.values.get(indicator__code="partner-organizations").count_value == 20
