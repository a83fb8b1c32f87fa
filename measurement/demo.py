"""Demo indicator reports for `manage.py seed_demo`: three years (the three before the
current one) of plausible, submitted reports for most active ecosystems, with goals, so
every chart and aggregate has data; a few late reports stay drafts.

Each ecosystem gets a size (learners, partners) and a maturity that grows a little every
year, so the lead dashboard shows a trend. The first demo ecosystem (lead@example.org)
always has its three years and no report for the current year, so the demo lead can
fill one. Idempotent: an (ecosystem, year) that has a report is skipped. Bulk inserts in
chunks of ecosystems, so memory stays flat at 10,000 ecosystems.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Ecosystem
from slecop.cache import bump

from .models import Goal, Indicator, IndicatorReport, IndicatorValue
from .services.reports import COLUMN

Kind = Indicator.Kind
YEARS_BACK = 3
REPORTING_SHARE = 0.85
CHUNK = 500

STORIES = [
    "Our shared survey of STEM attitudes showed girls' interest dropping in grade 7, so "
    "partners added a mentoring strand to the middle school clubs.",
    "Attendance data from the libraries and afterschool sites showed gaps on the east side; "
    "we moved two summer camps there.",
    "Teachers and youth workers reviewed the learner portfolios together and agreed on three "
    "shared outcomes for next year.",
    "Focus groups with families told us transport was the main barrier; the transit "
    "authority now offers free passes on program days.",
]
HIGHLIGHTS = [
    "Forty students completed paid summer internships with regional manufacturers.",
    "The community college now grants credit for two of our high school pathway courses.",
    "Employers co-designed a cybersecurity pathway map shared with every family in grade 8.",
    "Twelve apprentices started in healthcare technology through our employer council.",
]

# Counts scale with an ecosystem's size: (low, high) at size 1.0.
COUNT_RANGES = {
    "partner-organizations": (15, 60),
    "partner-sectors": (3, 7),
    "champions": (3, 25),
    "shared-pd-hours": (20, 400),
    "learners-in-school": (800, 12000),
    "learners-out-of-school": (300, 5000),
    "employer-partners": (2, 40),
    "pathways-mapped": (0, 12),
}


def _value(indicator, *, size, maturity, rng):
    """A plausible value of `indicator` for an ecosystem of `size` and `maturity` (1-4)."""
    if indicator.kind == Kind.RUBRIC:
        return max(1, min(4, round(maturity + rng.uniform(-0.8, 0.8))))
    if indicator.kind == Kind.YES_NO:
        return rng.random() < 0.25 + 0.2 * maturity
    if indicator.kind == Kind.PERCENTAGE:
        share = 8 + 20 * maturity + rng.uniform(-15, 15)
        return Decimal(str(round(max(0.0, min(100.0, share)), 1)))
    if indicator.kind == Kind.COUNT:
        low, high = COUNT_RANGES.get(indicator.code, (1, 50))
        value = round((low + (high - low) * (maturity - 1) / 3) * size * rng.uniform(0.8, 1.2))
        low, high = indicator.bounds  # the indicator's own range (sectors: 0-7)
        return max(low, min(value, high))
    pool = HIGHLIGHTS if "workforce" in indicator.code else STORIES
    return rng.choice(pool)


def _goal(indicator, value) -> Decimal | None:
    if indicator.kind == Kind.RUBRIC:
        return Decimal(min(4, value + 1))
    if indicator.kind == Kind.PERCENTAGE:
        return min(Decimal(100), (value + 10).quantize(Decimal("0.1")))
    if indicator.kind == Kind.COUNT:
        target = round(value * 1.15) if value else 1
        return Decimal(min(target, indicator.bounds[1]))
    return None


def seed(*, ecosystems, rng, stdout, options) -> str:
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS_BACK, this_year))
    indicators = list(Indicator.objects.filter(active=True))
    first_id = ecosystems.order_by("pk").values_list("pk", flat=True).first()
    ids = list(
        ecosystems.filter(status__in=[Ecosystem.Status.ACTIVE, Ecosystem.Status.LAPSED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    seed_base = rng.random()
    created = 0
    for start in range(0, len(ids), CHUNK):
        created += _seed_chunk(ids[start : start + CHUNK], years, indicators, seed_base, first_id)
    return f"measurement: {created} indicator reports over {years[0]}-{years[-1]}"


@transaction.atomic
def _seed_chunk(ids, years, indicators, seed_base, first_id) -> int:
    existing = set(
        IndicatorReport.objects.filter(ecosystem_id__in=ids, year__in=years).values_list(
            "ecosystem_id", "year"
        )
    )
    now = timezone.now()
    plans = []  # (report, size, maturity)
    for eco_id in ids:
        # one generator per ecosystem: a re-run makes the same choices, so it adds nothing
        rng = random.Random(f"{seed_base}-{eco_id}")
        size = rng.lognormvariate(0, 0.5)
        maturity = rng.uniform(1.2, 3.0)
        for offset, year in enumerate(years):
            mature = min(4.0, maturity + 0.25 * offset)
            reports = eco_id == first_id or rng.random() <= REPORTING_SHARE
            late = eco_id != first_id and year == years[-1] and rng.random() < 0.04
            if not reports or (eco_id, year) in existing:
                continue
            status = IndicatorReport.Status.DRAFT if late else IndicatorReport.Status.SUBMITTED
            when = min(now.replace(year=year + 1, month=1, day=20), now)
            report = IndicatorReport(
                ecosystem_id=eco_id,
                year=year,
                status=status,
                submitted_at=None if late else when,
                first_submitted_at=None if late else when,
            )
            plans.append((report, size, mature))
    IndicatorReport.objects.bulk_create([p[0] for p in plans], batch_size=1000)
    values, goals = [], []
    for report, size, maturity in plans:
        rng = random.Random(f"{seed_base}-{report.ecosystem_id}-{report.year}")
        for indicator in indicators:
            value = _value(indicator, size=size, maturity=maturity, rng=rng)
            # ids, not instances, and every field in the constructor: the cheapest
            # Django model instances (this loop builds ~60 per report)
            values.append(
                IndicatorValue(
                    report_id=report.pk,
                    indicator_id=indicator.pk,
                    kind=indicator.kind,
                    **{COLUMN[indicator.kind]: value},
                )
            )
            target = _goal(indicator, value)
            if target is not None:
                goals.append(
                    Goal(
                        report_id=report.pk,
                        indicator_id=indicator.pk,
                        kind=indicator.kind,
                        target=target,
                    )
                )
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    Goal.objects.bulk_create(goals, batch_size=2000)
    bump("measurement", "panels")  # bulk_create sends no post_save: cached figures are stale
    return len(plans)
