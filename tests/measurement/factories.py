"""Factories and helpers for measurement tests."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from measurement.models import Goal, Indicator, IndicatorReport, IndicatorValue
from measurement.services import ReportInput
from measurement.services.reports import COLUMN
from tests.factories import EcosystemFactory

Kind = Indicator.Kind


class IndicatorReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReport

    ecosystem = factory.SubFactory(EcosystemFactory)
    year = 2024


def sample_value(indicator: Indicator, level: int = 3):
    """A valid value of `indicator`'s kind (as a form would post it)."""
    return {
        Kind.COUNT: str(min(10 * level, indicator.bounds[1])),
        Kind.PERCENTAGE: str(20 * level),
        Kind.YES_NO: "yes" if level >= 2 else "no",
        Kind.RUBRIC: str(min(max(level, 1), 4)),
        Kind.TEXT: f"What we learned, level {level}.",
    }[indicator.kind]


def full_input(level: int = 3, goals: bool = True) -> ReportInput:
    indicators = list(Indicator.objects.filter(active=True))
    return ReportInput(
        values={i.code: sample_value(i, level) for i in indicators},
        goals={i.code: str(min(level + 1, 4, i.bounds[1])) for i in indicators if i.is_numeric}
        if goals
        else {},
    )


def post_data(data: ReportInput, *, submit: bool) -> dict:
    out = {f"value_{code}": value for code, value in data.values.items()}
    out.update({f"goal_{code}": value for code, value in data.goals.items()})
    out["submit" if submit else "save"] = "1"
    return out


def submitted_report(ecosystem, year: int, numbers: dict[str, object], goals=None):
    """A submitted report written directly (fast fixtures): `numbers` maps indicator codes
    to typed values (int, Decimal, bool, str)."""
    report = IndicatorReport.objects.create(
        ecosystem=ecosystem,
        year=year,
        status=IndicatorReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(numbers))}
    rows = []
    for code, value in numbers.items():
        indicator = indicators[code]
        row = IndicatorValue(report=report, indicator=indicator, kind=indicator.kind)
        if indicator.kind == Kind.PERCENTAGE:
            value = Decimal(str(value))
        setattr(row, COLUMN[indicator.kind], value)
        rows.append(row)
    IndicatorValue.objects.bulk_create(rows)
    for code, target in (goals or {}).items():
        indicator = indicators[code]
        Goal.objects.create(report=report, indicator=indicator, kind=indicator.kind, target=target)
    return report


def bulk_network(n: int, *, years=(2023, 2024), region_slugs=("northeast", "south", "west")):
    """`n` active ecosystems with submitted reports for `years` (bulk inserts)."""
    import random

    from members.models import Ecosystem, Region

    rng = random.Random(n)
    regions = list(Region.objects.filter(slug__in=region_slugs))
    start = Ecosystem.objects.count()
    ecosystems = Ecosystem.objects.bulk_create(
        Ecosystem(
            name=f"Bulk Ecosystem {start + i}",
            slug=f"bulk-ecosystem-{start + i}",
            region=regions[i % len(regions)],
            status=Ecosystem.Status.ACTIVE,
            cohort_year=2019 + i % 4,
        )
        for i in range(n)
    )
    now = timezone.now()
    reports = IndicatorReport.objects.bulk_create(
        IndicatorReport(
            ecosystem=e,
            year=y,
            status=IndicatorReport.Status.SUBMITTED,
            submitted_at=now,
            first_submitted_at=now,
        )
        for e in ecosystems
        for y in years
    )
    indicators = list(Indicator.objects.filter(active=True))
    rows = []
    for report in reports:
        for indicator in indicators:
            row = IndicatorValue(report=report, indicator=indicator, kind=indicator.kind)
            value = {
                Kind.COUNT: rng.randint(0, 500),
                Kind.PERCENTAGE: Decimal(rng.randint(0, 1000)) / 10,
                Kind.YES_NO: rng.random() < 0.6,
                Kind.RUBRIC: rng.randint(1, 4),
                Kind.TEXT: "Notes",
            }[indicator.kind]
            setattr(row, COLUMN[indicator.kind], value)
            rows.append(row)
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    # bulk inserts send no post_save: announce them, as measurement/demo.py does
    from slecop.cache import bump

    bump("directory", "measurement", "panels")
    return ecosystems
