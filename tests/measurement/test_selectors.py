"""Aggregates against numbers computed by hand, and suppression under 5 ecosystems."""

from __future__ import annotations

import pytest

from measurement import selectors
from measurement.selectors import Filters, make_stat, network_dashboard
from members.models import Ecosystem
from tests.factories import EcosystemFactory, region
from tests.measurement.factories import submitted_report

pytestmark = pytest.mark.django_db

NE_COUNTS = [10, 20, 30, 40, 50, 60]
NE_GOVERNANCE = [True, True, True, False, False, True]
NE_VISION_COMMS = [(1, 3), (2, 2), (4, 4), (3, 3), (2, 4), (1, 1)]  # ecosystem means 2,2,4,3,3,1
SOUTH_COUNTS = [1, 2, 3, 4]


@pytest.fixture
def network():
    """Northeast: 6 reporting (cohort 2020) + 1 active not reporting + 1 draft-only.
    South: 4 reporting (cohort 2021). West: 5 reporting only two rubrics (cohort 2022).
    Year 2024; northeast also reported 2023."""
    ne = region("northeast")
    south = region("south")
    northeast = [EcosystemFactory(region=ne, cohort_year=2020) for _ in NE_COUNTS]
    for eco, count, gov, (vision, comms) in zip(
        northeast, NE_COUNTS, NE_GOVERNANCE, NE_VISION_COMMS, strict=True
    ):
        submitted_report(
            eco,
            2024,
            {
                "partner-organizations": count,
                "governance-model": gov,
                "common-vision": vision,
                "communication-systems": comms,
                "partners-equity-policies": count,  # as a percentage
            },
        )
        submitted_report(eco, 2023, {"partner-organizations": count // 2})
    EcosystemFactory(region=ne, cohort_year=2020)  # active, did not report
    drafter = EcosystemFactory(region=ne, cohort_year=2020)
    from measurement.models import IndicatorReport

    IndicatorReport.objects.create(ecosystem=drafter, year=2024)  # drafts never count
    southern = [EcosystemFactory(region=south, cohort_year=2021) for _ in SOUTH_COUNTS]
    for eco, count in zip(southern, SOUTH_COUNTS, strict=True):
        submitted_report(
            eco,
            2024,
            {"partner-organizations": count, "common-vision": 4, "communication-systems": 4},
        )
    for _ in range(5):
        eco = EcosystemFactory(region=region("west"), cohort_year=2022)
        submitted_report(eco, 2024, {"common-vision": 2, "communication-systems": 2})
    return {"northeast": northeast, "south": southern, "ne": ne, "south_region": south}


def _agg(data, code):
    return next(a for a in data.aggregates if a.indicator.code == code)


def test_quartiles_match_percentile_cont():
    stat = make_stat([10, 20, 30, 40, 50, 60])
    assert (stat.p25, stat.median, stat.p75, stat.mean) == (22.5, 35, 47.5, 35)
    assert make_stat([1, 2, 3, 4]).suppressed
    assert make_stat([1, 2, 3, 4]).median is None
    assert make_stat([1, 2, 3, 4]).n_display == "<5"


def test_network_aggregates_match_the_hand_computed_fixture(network):
    data = network_dashboard(Filters(year=2024))
    assert data.year == 2024 and data.years == [2023, 2024]
    assert data.reporting == 15

    # partner organisations, 10 ecosystems: 1 2 3 4 10 20 30 40 50 60
    partners = _agg(data, "partner-organizations")
    assert partners.stat.n == 10
    assert (partners.stat.p25, partners.stat.median, partners.stat.p75) == (3.25, 15.0, 37.5)
    assert partners.stat.mean == 22.0
    # 2023: only the northeast's six (5 10 15 20 25 30)
    assert partners.trend[2023].median == 17.5 and partners.trend[2023].n == 6

    # yes/no: 4 of 6 said yes
    assert _agg(data, "governance-model").stat.mean == pytest.approx(66.67)
    # rubric level counts of common vision: NE 1,2,4,3,2,1 + south 4,4,4,4 + west 2 x5
    assert _agg(data, "common-vision").stat.levels == (2, 7, 1, 5)
    # indicators with no data are suppressed, not zero
    assert _agg(data, "employer-partners").stat.suppressed

    rates = {r.region.slug: r for r in data.rates}
    assert (rates["northeast"].eligible, rates["northeast"].submitted) == (8, 6)
    assert rates["northeast"].rate == 75.0
    assert rates["south"].eligible == 4 and rates["south"].rate is None  # suppressed
    assert rates["west"].rate == 100.0

    heat = {attribute.number: cells for attribute, cells in data.heatmap}
    ne_cell = next(c for c in heat[2] if c.region.slug == "northeast")
    assert ne_cell.stat.n == 6 and ne_cell.stat.mean == 2.5
    south_cell = next(c for c in heat[2] if c.region.slug == "south")
    assert south_cell.stat.suppressed and south_cell.stat.mean is None
    # West (5) is hidden too: with only the south suppressed, the regions shown would
    # give the south away by subtraction; west is the smallest shown region
    west_cell = next(c for c in heat[2] if c.region.slug == "west")
    assert west_cell.stat.n == 5 and west_cell.stat.hidden and west_cell.stat.mean is None


def test_filters_by_region_and_cohort(network):
    south = network_dashboard(Filters(year=2024, region=network["south_region"]))
    assert _agg(south, "partner-organizations").stat.suppressed
    assert [r.region.slug for r in south.rates] == ["south"]
    # cohort 2020 is the northeast's six; the network minus them would be the south's
    # four, so the cohort's partner count is hidden (its rubric has west's 5 beside it)
    ne = network_dashboard(Filters(year=2024, cohort=2020))
    assert _agg(ne, "partner-organizations").stat.hidden
    assert _agg(ne, "partner-organizations").stat.n_display == "—"
    assert _agg(ne, "common-vision").stat.median == 2.0
    assert {r.region.slug: r.eligible for r in ne.rates}["south"] == 0
    northeast = network_dashboard(Filters(year=2024, region=network["ne"]))
    assert _agg(northeast, "common-vision").stat.median == 2.0  # south 4 + west 5 beside it
    assert _agg(northeast, "partner-organizations").stat.hidden  # network - NE = south
    older = network_dashboard(Filters(year=2023))
    assert _agg(older, "partner-organizations").stat.median == 17.5


def test_secondary_suppression_rules():
    from measurement.selectors import Disclosure

    ne, south, west = 1, 2, 3
    two = Disclosure(
        {"m": {(ne, 2020): 6, (south, 2021): 4}}, regions=[ne, south, west], cohorts=[2020, 2021]
    )
    assert two.allowed("m")  # the network: 10
    assert not two.allowed("m", region=south)  # 4: primary
    assert not two.allowed("m", region=ne)  # network - northeast = south
    three = Disclosure(
        {"m": {(ne, 2020): 6, (south, 2021): 4, (west, 2020): 5}},
        regions=[ne, south, west],
        cohorts=[2020, 2021],
    )
    assert three.allowed("m", region=ne)
    assert not three.allowed("m", region=west)  # the smallest shown region goes too
    assert three.allowed("m", cohort=2020) is False  # network - 2020 = the south's 4
    no_cohort = Disclosure(
        {"m": {(ne, 2020): 6, (ne, 2021): 6, (ne, None): 3}}, regions=[ne], cohorts=[2020, 2021]
    )
    assert not no_cohort.allowed("m", cohort=2020)  # 3 without a cohort cannot be shown
    assert no_cohort.allowed("m", cohort=2021)
    assert not no_cohort.allowed("m", region=ne, cohort=2020)


def test_reopened_reports_leave_the_aggregates(network):
    report = network["northeast"][0].indicator_reports.get(year=2024)
    report.status = "reopened"
    report.save()
    data = network_dashboard(Filters(year=2024))
    assert _agg(data, "partner-organizations").stat.n == 9


def test_lead_dashboard_compares_own_values_goals_and_medians(network):
    eco = network["northeast"][0]
    submitted_report(eco, 2022, {"partner-organizations": 2}, goals={"partner-organizations": 8})
    data = selectors.lead_dashboard(eco)
    series = next(s for s in data.series if s.indicator.code == "partner-organizations")
    assert series.years == [2022, 2023, 2024]
    assert series.own == {2022: 2.0, 2023: 5.0, 2024: 10.0}
    assert series.goals == {2023: 8.0}  # set in the 2022 report for 2023
    # the northeast's partner count would give the south's four away (network - NE)
    assert series.region[2024].hidden and series.region[2024].median is None
    assert series.network[2024].median == 15.0
    vision = next(s for s in data.series if s.indicator.code == "common-vision")
    assert vision.region[2024].median == 2.0  # 1 1 2 2 3 4; south and west beside it
    assert series.region[2022].suppressed  # only this ecosystem reported in 2022
    assert series.network[2022].median is None


def test_southern_lead_cannot_infer_a_small_region(network):
    data = selectors.lead_dashboard(network["south"][0])
    series = next(s for s in data.series if s.indicator.code == "partner-organizations")
    assert series.region[2024].suppressed and series.region[2024].median is None
    assert series.network[2024].median == 15.0


def test_onboarding_check_and_panel(network):
    eco_ids = {e.pk for e in network["northeast"]} | {
        Ecosystem.objects.filter(indicator_reports__isnull=True).first().pk
    }
    assert selectors.ecosystems_with_submitted_report(eco_ids) == {
        e.pk for e in network["northeast"]
    }
    from members.onboarding import automatic_progress

    assert "first_indicator_report" in automatic_progress(eco_ids)


def test_lead_benchmarks_are_cached_until_a_report_changes(network, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    eco = network["northeast"][0]

    def partners_median():
        data = selectors.lead_dashboard(eco)
        series = next(s for s in data.series if s.indicator.code == "partner-organizations")
        return series.network[2024].median

    assert partners_median() == 15.0
    with django_assert_max_num_queries(5):  # reports, indicators, own values, goals, version
        assert partners_median() == 15.0
    newcomer = EcosystemFactory(region=region("midwest"))
    submitted_report(newcomer, 2024, {"partner-organizations": 1000})
    assert partners_median() == 20.0  # 11 values now: the cache followed the new report


def test_panel_and_onboarding_check_run_one_query(network, django_assert_max_num_queries):
    eco = network["northeast"][0]
    with django_assert_max_num_queries(1):
        selectors.panel_context(ecosystem=eco, user=None)
    with django_assert_max_num_queries(1):
        selectors.ecosystems_with_submitted_report({e.pk for e in network["northeast"]})
