"""Reads of the measurement app: reports, the lead's dashboard and the network aggregates.

Privacy rule: outside an ecosystem (and TIES staff reading one report), values are only
ever shown as aggregates, and an aggregate over fewer than MIN_GROUP_SIZE ecosystems is
suppressed — the same `Stat` object feeds every chart, table and CSV cell, so no view can
forget the rule. Only submitted reports count.

Aggregates are computed in Python from one query of (indicator, year, region, ecosystem,
number) rows, so the query count is constant in the number of ecosystems and SQLite and
PostgreSQL give the same numbers (quartiles: linear interpolation between closest ranks,
like PostgreSQL's percentile_cont).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, Count, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from members.models import Ecosystem, Region
from slecop.cache import version, versioned

from .models import Attribute, Goal, Indicator, IndicatorReport, IndicatorValue

MIN_GROUP_SIZE = 5
# The network dashboard's axes (regions, attributes, active indicators): bumped by their
# saves (MeasurementConfig.ready) and by the admin's bulk retire/restore.
DEFINITIONS = "measurement-definitions"
SUBMITTED = IndicatorReport.Status.SUBMITTED
Kind = Indicator.Kind


# --- definitions and reports ----------------------------------------------------------------
def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True).select_related("attribute"))


def attributes_with_indicators() -> list[tuple[Attribute, list[Indicator]]]:
    """The five attributes, each with its active indicators (two queries)."""
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in active_indicators():
        grouped[indicator.attribute_id].append(indicator)
    return [(a, grouped.get(a.pk, [])) for a in Attribute.objects.all()]


def report_for(*, ecosystem: Ecosystem, year: int) -> IndicatorReport | None:
    return (
        IndicatorReport.objects.filter(ecosystem=ecosystem, year=year)
        .select_related("ecosystem", "submitted_by")
        .first()
    )


def report_entries(report: IndicatorReport | None) -> tuple[dict[int, IndicatorValue], dict]:
    """The report's values and goals keyed by indicator id (two queries, none if None)."""
    if report is None or report.pk is None:
        return {}, {}
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=report)}
    goals = {g.indicator_id: g.target for g in Goal.objects.filter(report=report)}
    return values, goals


def ecosystem_reports(ecosystem: Ecosystem) -> QuerySet[IndicatorReport]:
    return IndicatorReport.objects.filter(ecosystem=ecosystem).order_by("-year")


def reporting_year() -> int:
    """The year a report is asked for now: the current calendar year."""
    return timezone.localdate().year


def ecosystems_with_submitted_report(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding check "first indicator report": ever submitted one (one query)."""
    return set(
        IndicatorReport.objects.filter(
            ecosystem_id__in=ecosystem_ids, first_submitted_at__isnull=False
        ).values_list("ecosystem_id", flat=True)
    )


def reports_for_staff(*, year: int | None = None, status: str = "") -> QuerySet[IndicatorReport]:
    qs = IndicatorReport.objects.select_related("ecosystem", "ecosystem__region")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "ecosystem__name", "pk")


def ecosystems_without_report(*, year: int) -> QuerySet[Ecosystem]:
    """Active ecosystems with no report at all for `year` (to follow up)."""
    return (
        Ecosystem.objects.filter(status=Ecosystem.Status.ACTIVE)
        .exclude(indicator_reports__year=year)
        .select_related("region")
        .order_by("name", "pk")
    )


# --- aggregates -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Stat:
    """An aggregate over `n` ecosystems. Suppressed (every number None) when n < 5, or
    when showing it would let a small group be worked out by subtraction (`hidden`)."""

    n: int
    median: float | None = None
    p25: float | None = None
    p75: float | None = None
    mean: float | None = None
    levels: tuple[int, ...] = ()  # rubric: how many ecosystems at level 1, 2, 3, 4
    hidden: bool = False

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP_SIZE or self.hidden

    @property
    def n_display(self) -> str:
        if self.n < MIN_GROUP_SIZE:
            return f"<{MIN_GROUP_SIZE}"
        return "—" if self.hidden else str(self.n)


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL percentile_cont)."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def make_stat(values: Iterable[float], *, kind: str = Kind.COUNT, allowed: bool = True) -> Stat:
    data = sorted(values)
    if len(data) < MIN_GROUP_SIZE or not allowed:
        return Stat(n=len(data), hidden=len(data) >= MIN_GROUP_SIZE)
    levels = tuple(data.count(level) for level in (1, 2, 3, 4)) if kind == Kind.RUBRIC else ()
    return Stat(
        n=len(data),
        median=round(_quantile(data, 0.5), 2),
        p25=round(_quantile(data, 0.25), 2),
        p75=round(_quantile(data, 0.75), 2),
        mean=round(statistics.fmean(data), 2),
        levels=levels,
    )


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    region: Region | None = None
    cohort: int | None = None


# (indicator id, year, region id, ecosystem id, cohort year, number): plain tuples, as the
# database sends them — tens of thousands per dashboard, so no objects are built per row.
Row = tuple[int, int, int, int, int | None, float]


def _number(kind, count, percent, flag, rubric) -> float | None:
    """The number an aggregate uses: yes/no counts as 100 / 0, so its mean is the share
    answering yes. (`NUMBER` computes the same in SQL.)"""
    if kind == Kind.COUNT:
        return float(count)
    if kind == Kind.PERCENTAGE:
        return float(percent)
    if kind == Kind.YES_NO:
        return 100.0 if flag else 0.0
    if kind == Kind.RUBRIC:
        return float(rubric)
    return None


NUMBER = Case(
    When(kind=Kind.COUNT, then=Cast("count_value", FloatField())),
    When(kind=Kind.PERCENTAGE, then=Cast("percent_value", FloatField())),
    When(kind=Kind.RUBRIC, then=Cast("rubric_value", FloatField())),
    When(bool_value=True, then=Value(100.0)),
    default=Value(0.0),
    output_field=FloatField(),
)


def value_rows(
    *, region: Region | None = None, cohort: int | None = None, years: Iterable[int] | None = None
) -> list[Row]:
    """Every number of every submitted report (one query), optionally narrowed."""
    qs = IndicatorValue.objects.filter(report__status=SUBMITTED).exclude(kind=Kind.TEXT)
    if region is not None:
        qs = qs.filter(report__ecosystem__region=region)
    if cohort:
        qs = qs.filter(report__ecosystem__cohort_year=cohort)
    if years is not None:
        qs = qs.filter(report__year__in=list(years))
    return list(
        qs.annotate(number=NUMBER).values_list(
            "indicator_id",
            "report__year",
            "report__ecosystem__region_id",
            "report__ecosystem_id",
            "report__ecosystem__cohort_year",
            "number",
        )
    )


class Disclosure:
    """Which groups may be shown for a measure (an indicator in a year, or an attribute's
    rubric in a year), so that no group under 5 ecosystems can be worked out.

    Primary rule: a group of fewer than 5 is suppressed. Secondary rule: the groups
    shown next to one another (the regions of the network or of a cohort, the cohorts of
    the network or of a region) add up to their parent, which is shown too; so when the
    suppressed groups of such a partition hold fewer than 5 ecosystems together, the
    smallest shown groups are suppressed as well until they hold at least 5. Ecosystems
    without a cohort can never be selected, so they count as suppressed from the start.
    """

    def __init__(self, cells: dict, *, regions: list[int], cohorts: list[int]):
        self.cells = cells  # measure -> {(region id, cohort): ecosystems}
        self.regions = regions
        self.cohorts = cohorts

    @classmethod
    def from_members(cls, members: dict, *, regions, cohorts) -> Disclosure:
        """`members`: measure -> set of (ecosystem, region id, cohort)."""
        cells: dict = {}
        for measure, entries in members.items():
            counts: dict[tuple[int, int | None], int] = defaultdict(int)
            for _eco, region_id, cohort in entries:
                counts[(region_id, cohort)] += 1
            cells[measure] = counts
        return cls(cells, regions=regions, cohorts=cohorts)

    def _n(self, counts, region, cohort) -> int:
        return sum(
            n
            for (r, c), n in counts.items()
            if (region is None or r == region) and (cohort is None or c == cohort)
        )

    @staticmethod
    def _suppressed(groups: dict, unselectable: int) -> set:
        hidden = {k for k, n in groups.items() if 0 < n < MIN_GROUP_SIZE}
        total = unselectable + sum(groups[k] for k in hidden)
        if 0 < total < MIN_GROUP_SIZE:
            for key in sorted(
                (k for k, n in groups.items() if k not in hidden and n > 0),
                key=lambda k: (groups[k], str(k)),
            ):
                hidden.add(key)
                total += groups[key]
                if total >= MIN_GROUP_SIZE:
                    break
        return hidden

    def allowed(self, measure, *, region: int | None = None, cohort: int | None = None) -> bool:
        counts = self.cells.get(measure, {})
        if self._n(counts, region, cohort) < MIN_GROUP_SIZE:
            return False
        if region is not None:  # among the regions of (the network or the cohort)
            groups = {r: self._n(counts, r, cohort) for r in self.regions}
            if region in self._suppressed(groups, 0):
                return False
        if cohort is not None:  # among the cohorts of (the network or the region)
            groups = {c: self._n(counts, region, c) for c in self.cohorts}
            unselectable = self._n(counts, region, None) - sum(groups.values())
            if cohort in self._suppressed(groups, unselectable):
                return False
        return True


def _distinct_sorted(namespace: str, name: str, queryset, field: str) -> list[int]:
    """The distinct non-null values of `field` in `queryset`, ascending, cached in
    `namespace` under `name` (one name per queryset)."""
    return versioned(
        namespace,
        ("distinct", name),
        lambda: sorted(
            queryset.exclude(**{f"{field}__isnull": True})
            .values_list(field, flat=True)
            .distinct()
            .order_by()
        ),
    )


def submitted_years() -> list[int]:
    """The years with a submitted report (cached until a report changes)."""
    submitted = IndicatorReport.objects.filter(status=SUBMITTED)
    return _distinct_sorted("measurement", "submitted years", submitted, "year")


@dataclass
class IndicatorAggregate:
    indicator: Indicator
    stat: Stat  # the selected year
    trend: dict[int, Stat] = field(default_factory=dict)  # every year


@dataclass
class RegionRate:
    region: Region
    eligible: int
    submitted: int

    @property
    def suppressed(self) -> bool:
        return self.eligible < MIN_GROUP_SIZE

    @property
    def rate(self) -> float | None:
        if self.suppressed:
            return None
        return round(100 * self.submitted / self.eligible, 1)


@dataclass
class HeatCell:
    region: Region
    stat: Stat  # mean rubric level over the attribute's rubric indicators, per ecosystem


@dataclass
class NetworkDashboard:
    filters: Filters
    year: int
    years: list[int]
    regions: list[Region]
    attributes: list[Attribute]
    rates: list[RegionRate]
    total_rate: RegionRate | None
    aggregates: list[IndicatorAggregate]
    heatmap: list[tuple[Attribute, list[HeatCell]]]
    reporting: int = 0  # ecosystems counted in the selected year


def _rate_counts(cohort: int | None, year: int) -> dict[int, dict]:
    qs = Ecosystem.objects.filter(status=Ecosystem.Status.ACTIVE)
    if cohort:
        qs = qs.filter(cohort_year=cohort)
    return {
        row["region_id"]: row
        for row in qs.values("region_id")
        .annotate(
            eligible=Count("pk", distinct=True),
            submitted=Count(
                "indicator_reports",
                filter=Q(indicator_reports__year=year, indicator_reports__status=SUBMITTED),
                distinct=True,
            ),
        )
        .order_by()
    }


def _reporting_rates(filters: Filters, year: int, regions: list[Region]) -> list[RegionRate]:
    """Active ecosystems per region and how many submitted their `year` report (one query,
    cached until a report or an ecosystem changes: drafts and status changes bump too)."""
    counts = versioned(
        "measurement",
        ("rates", version("directory"), filters.cohort or "", year),
        lambda: _rate_counts(filters.cohort, year),
    )
    shown = [r for r in regions if filters.region is None or r.pk == filters.region.pk]
    return [
        RegionRate(
            region=r,
            eligible=counts.get(r.pk, {}).get("eligible", 0),
            submitted=counts.get(r.pk, {}).get("submitted", 0),
        )
        for r in shown
    ]


def _heatmap(rows, indicators, attributes, regions, year, filters, region_ids, cohorts):
    """Mean rubric level per attribute x region: each ecosystem's mean over the
    attribute's rubric indicators, then the statistic over ecosystems."""
    rubric_attribute = {i.pk: i.attribute_id for i in indicators if i.kind == Kind.RUBRIC}
    per_ecosystem: dict[tuple, list[float]] = defaultdict(list)
    for indicator_id, row_year, region_id, ecosystem_id, cohort, number in rows:
        if row_year == year and indicator_id in rubric_attribute:
            key = (rubric_attribute[indicator_id], ecosystem_id, region_id, cohort)
            per_ecosystem[key].append(number)
    cells: dict[tuple[int, int], list[float]] = defaultdict(list)
    members: dict[int, set] = defaultdict(set)
    for (attribute_id, eco, region_id, cohort), numbers in per_ecosystem.items():
        members[attribute_id].add((eco, region_id, cohort))
        if filters.cohort is None or cohort == filters.cohort:
            cells[(attribute_id, region_id)].append(statistics.fmean(numbers))
    disclosure = Disclosure.from_members(members, regions=region_ids, cohorts=cohorts)
    return [
        (
            attribute,
            [
                HeatCell(
                    region=r,
                    stat=make_stat(
                        cells.get((attribute.pk, r.pk), []),
                        allowed=disclosure.allowed(
                            attribute.pk, region=r.pk, cohort=filters.cohort
                        ),
                    ),
                )
                for r in regions
            ],
        )
        for attribute in attributes
        if any(i.attribute_id == attribute.pk and i.kind == Kind.RUBRIC for i in indicators)
    ]


def selected_year(filters: Filters, years: list[int]) -> int:
    """The year the dashboard shows: the one asked for, else the latest year with enough
    submitted reports to show aggregates (MIN_GROUP_SIZE ecosystems; a year with one
    report would open on a page where everything is suppressed), else the latest with
    any."""
    if filters.year:
        return filters.year
    if not years:
        return reporting_year()
    return latest_year_with_enough_reports() or years[-1]


def latest_year_with_enough_reports() -> int | None:
    """The latest year with submitted reports from at least MIN_GROUP_SIZE ecosystems."""
    return (
        IndicatorReport.objects.filter(status=SUBMITTED)
        .values("year")
        .annotate(n=Count("ecosystem", distinct=True))
        .filter(n__gte=MIN_GROUP_SIZE)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def network_definitions() -> tuple[list[Region], list[Attribute], list[Indicator]]:
    """The regions, the attributes and the active indicators that have figures (not text),
    read once per change of any of them: every view of the dashboard needs them."""
    return versioned(
        DEFINITIONS,
        ("network",),
        lambda: (
            list(Region.objects.order_by("number")),
            list(Attribute.objects.all()),
            [i for i in active_indicators() if i.kind != Kind.TEXT],
        ),
    )


def network_dashboard(
    filters: Filters, *, years: list[int] | None = None, cohort_years: list[int] | None = None
) -> NetworkDashboard:
    """Everything the network dashboard and its CSV show, in a constant number of
    queries (regions, attributes, indicators, years, reporting rates, value rows). The
    aggregates are cached per change of the submitted reports (as the leads' benchmarks
    are), the reporting rates per change of any report or ecosystem."""
    regions, attributes, indicators = network_definitions()
    years = submitted_years() if years is None else years
    year = selected_year(filters, years)
    cohort_years = cohorts() if cohort_years is None else cohort_years
    heat_regions = [r for r in regions if filters.region is None or r.pk == filters.region.pk]
    key = ":".join(
        str(part)
        for part in (
            "measurement:network",
            _stats_version(),
            version(DEFINITIONS),  # the aggregates hold the definitions' names
            year,
            filters.region.pk if filters.region else "",
            filters.cohort or "",
            ",".join(map(str, years)),
            ",".join(map(str, cohort_years)),
            ",".join(str(i.pk) for i in indicators),
        )
    )
    cached = cache.get(key)
    if cached is None:
        cached = _network_aggregates(
            filters, year, years, cohort_years, regions, heat_regions, attributes, indicators
        )
        cache.set(key, cached, STATS_CACHE_SECONDS)
    aggregates, heatmap, reporting = cached
    rates = _reporting_rates(filters, year, regions)
    total = RegionRate(
        region=filters.region,
        eligible=sum(r.eligible for r in rates),
        submitted=sum(r.submitted for r in rates),
    )
    return NetworkDashboard(
        filters=filters,
        year=year,
        years=years,
        regions=regions,
        attributes=attributes,
        rates=rates,
        total_rate=total,
        aggregates=aggregates,
        heatmap=heatmap,
        reporting=reporting,
    )


def _network_aggregates(
    filters, year, years, cohort_years, regions, heat_regions, attributes, indicators
):
    """The heavy part of the network dashboard: (aggregates, heat map, ecosystems
    reporting in the selection), from one query of the whole network's value rows (the
    secondary suppression rule needs every group)."""
    region_ids = [r.pk for r in regions]
    region_id = filters.region.pk if filters.region else None
    rows = value_rows()
    grouped: dict[tuple[int, int], list[float]] = defaultdict(list)
    members: dict[tuple[int, int], set] = defaultdict(set)
    reporting: set[int] = set()
    for indicator_id, row_year, row_region, ecosystem_id, cohort, number in rows:
        members[(indicator_id, row_year)].add((ecosystem_id, row_region, cohort))
        if (region_id is None or row_region == region_id) and (
            filters.cohort is None or cohort == filters.cohort
        ):
            grouped[(indicator_id, row_year)].append(number)
            if row_year == year:
                reporting.add(ecosystem_id)
    disclosure = Disclosure.from_members(members, regions=region_ids, cohorts=cohort_years)

    def stat(indicator, in_year):
        measure = (indicator.pk, in_year)
        return make_stat(
            grouped.get(measure, []),
            kind=indicator.kind,
            allowed=disclosure.allowed(measure, region=region_id, cohort=filters.cohort),
        )

    aggregates = [
        IndicatorAggregate(indicator=i, stat=stat(i, year), trend={y: stat(i, y) for y in years})
        for i in indicators
    ]
    heatmap = _heatmap(
        rows, indicators, attributes, heat_regions, year, filters, region_ids, cohort_years
    )
    return aggregates, heatmap, len(reporting)


def cohorts() -> list[int]:
    """The cohort years of the ecosystems (cached until an ecosystem changes)."""
    return _distinct_sorted("directory", "cohorts", Ecosystem.objects.all(), "cohort_year")


# --- the lead's dashboard -------------------------------------------------------------------
@dataclass
class IndicatorSeries:
    """One numeric indicator for one ecosystem over the years: own values, the goals set
    for each year (in the previous year's report) and the regional and network medians."""

    indicator: Indicator
    years: list[int]
    own: dict[int, float]
    goals: dict[int, float]
    region: dict[int, Stat]
    network: dict[int, Stat]

    @property
    def has_data(self) -> bool:
        return bool(self.own or self.goals)


@dataclass
class LeadDashboard:
    ecosystem: Ecosystem
    reports: list[IndicatorReport]
    series: list[IndicatorSeries]
    texts: list[tuple[int, Indicator, str]]  # free-text answers, newest first


STATS_CACHE_SECONDS = 600


def _stats_version() -> str:
    """Changes whenever a report is saved or deleted (submitted, reopened, resubmitted):
    slecop.cache's version of "measurement", bumped by MeasurementConfig.ready()'s
    signals. It replaced a count and latest update of the submitted reports, which read
    every report (8 ms a page at 23,000 reports)."""
    return version("measurement")


def benchmark_stats(years: list[int], indicators: list[Indicator]) -> dict:
    """(indicator id, year) -> (network Stat, {region id: Stat}) for the lead dashboards:
    the same for every lead, so it is computed once per change of the submitted reports
    and cached (a dashboard then costs one small query instead of the network's rows)."""
    if not years:
        return {}
    key = f"measurement:benchmarks:{_stats_version()}:{','.join(map(str, years))}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    kinds = {i.pk: i.kind for i in indicators}
    net: dict[tuple[int, int], list[float]] = defaultdict(list)
    reg: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    members: dict[tuple[int, int], set] = defaultdict(set)
    for indicator_id, row_year, region_id, ecosystem_id, cohort, number in value_rows(years=years):
        net[(indicator_id, row_year)].append(number)
        reg[(indicator_id, row_year, region_id)].append(number)
        members[(indicator_id, row_year)].add((ecosystem_id, region_id, cohort))
    region_ids = list(Region.objects.values_list("pk", flat=True))
    disclosure = Disclosure.from_members(members, regions=region_ids, cohorts=[])
    stats = {}
    for (indicator_id, year), numbers in net.items():
        kind = kinds.get(indicator_id, Kind.COUNT)
        by_region = {
            region_id: make_stat(
                reg.get((indicator_id, year, region_id), []),
                kind=kind,
                allowed=disclosure.allowed((indicator_id, year), region=region_id),
            )
            for region_id in region_ids
        }
        stats[(indicator_id, year)] = (make_stat(numbers, kind=kind), by_region)
    cache.set(key, stats, STATS_CACHE_SECONDS)
    return stats


def lead_dashboard(ecosystem: Ecosystem) -> LeadDashboard:
    """The ecosystem's own numbers (any report status: it is their data) against its
    goals and the medians of submitted reports (cached, see `benchmark_stats`). A
    constant number of queries whatever the network size."""
    reports = list(ecosystem_reports(ecosystem))
    indicators = active_indicators()
    own_rows = list(
        IndicatorValue.objects.filter(report__ecosystem=ecosystem).values_list(
            "indicator_id",
            "report__year",
            "kind",
            "count_value",
            "percent_value",
            "bool_value",
            "rubric_value",
            "text_value",
        )
    )
    goal_rows = Goal.objects.filter(report__ecosystem=ecosystem).values_list(
        "indicator_id", "report__year", "target"
    )
    own: dict[int, dict[int, float]] = defaultdict(dict)
    texts = []
    by_pk = {i.pk: i for i in indicators}
    for ind, year, kind, count, percent, flag, rubric, text in own_rows:
        if kind == Kind.TEXT:
            if ind in by_pk:
                texts.append((year, by_pk[ind], text))
            continue
        own[ind][year] = _number(kind, count, percent, flag, rubric)
    goals: dict[int, dict[int, float]] = defaultdict(dict)
    for ind, year, target in goal_rows:
        goals[ind][year + 1] = float(target)
    years_shown = sorted({r.year for r in reports} | {y for g in goals.values() for y in g})
    stats = benchmark_stats(years_shown, indicators)
    empty = Stat(n=0)

    def regional(indicator, year):
        return stats.get((indicator.pk, year), (empty, {}))[1].get(ecosystem.region_id, empty)

    def network(indicator, year):
        return stats.get((indicator.pk, year), (empty, {}))[0]

    series = [
        IndicatorSeries(
            indicator=i,
            years=years_shown,
            own=own.get(i.pk, {}),
            goals=goals.get(i.pk, {}),
            region={y: regional(i, y) for y in years_shown},
            network={y: network(i, y) for y in years_shown},
        )
        for i in indicators
        if i.kind != Kind.TEXT
    ]
    texts.sort(key=lambda t: (-t[0], t[1].order))
    return LeadDashboard(ecosystem=ecosystem, reports=reports, series=series, texts=texts)


def panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "My ecosystem" panel: this year's report status (one query)."""
    year = reporting_year()
    reports = {
        r.year: r for r in IndicatorReport.objects.filter(ecosystem=ecosystem, year__gte=year - 1)
    }
    return {
        "year": year,
        "report": reports.get(year),
        "last_report": reports.get(year - 1),
        "ecosystem": ecosystem,
    }


def as_decimal(number: float | None) -> Decimal | None:
    return None if number is None else Decimal(str(number))
