"""Turn selector results into charts, tables and CSV rows. Suppressed statistics (fewer
than 5 ecosystems) become "suppressed" here, in one place, for every output."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import charts
from .models import Indicator
from .selectors import MIN_GROUP_SIZE, LeadDashboard, NetworkDashboard, Stat

Kind = Indicator.Kind


def suppressed_note() -> str:
    return _("suppressed (fewer than %d ecosystems)") % MIN_GROUP_SIZE


def axis(indicator: Indicator) -> tuple[float | None, float, str]:
    """(y max, y min, unit) of an indicator's charts; yes/no is charted as % answering yes."""
    if indicator.kind in (Kind.PERCENTAGE, Kind.YES_NO):
        return 100.0, 0.0, "%"
    if indicator.kind == Kind.RUBRIC:
        return 4.0, 0.0, ""
    return None, 0.0, ""


def hidden_note() -> str:
    return _("suppressed (would reveal a group of fewer than %d)") % MIN_GROUP_SIZE


def stat_text(stat: Stat, attr: str = "median") -> str:
    if stat.n < MIN_GROUP_SIZE:
        return suppressed_note()
    return hidden_note() if stat.hidden else charts.fmt(getattr(stat, attr))


def lead_charts(data: LeadDashboard) -> list[dict]:
    out = []
    for s in data.series:
        if not s.has_data:
            continue
        y_max, y_min, unit = axis(s.indicator)
        own_label = _("%s (yours)") % data.ecosystem.name
        if s.indicator.kind == Kind.YES_NO:
            own_label = _("%s (yours, 100 = yes)") % data.ecosystem.name
        series = [
            charts.Series(own_label, s.own, charts.OWN),
            charts.Series(_("Goal"), s.goals, charts.GOAL, dash="6 4", marker="square"),
            charts.Series(
                _("%s median") % data.ecosystem.region,
                {y: st.median for y, st in s.region.items()},
                charts.REGION,
                dash="2 3",
            ),
            charts.Series(
                _("Network median"),
                {y: st.median for y, st in s.network.items()},
                charts.NETWORK,
                dash="1 0",
                marker="none",
            ),
        ]
        if s.indicator.kind == Kind.YES_NO:
            series[2] = charts.Series(
                _("%s: %% answering yes") % data.ecosystem.region,
                {y: st.mean for y, st in s.region.items()},
                charts.REGION,
                dash="2 3",
            )
            series[3] = charts.Series(
                _("Network: % answering yes"),
                {y: st.mean for y, st in s.network.items()},
                charts.NETWORK,
                marker="none",
            )
            series.pop(1)  # yes/no indicators take no goal
        out.append(
            {
                "indicator": s.indicator,
                "svg": charts.line_chart(
                    title=str(s.indicator),
                    years=s.years,
                    series=series,
                    y_max=y_max,
                    y_min=y_min,
                    unit=unit,
                ),
                "legend": [(x.label, x.colour, x.dash) for x in series],
                "rows": [
                    {
                        "year": y,
                        "own": charts.fmt(s.own.get(y)),
                        "goal": charts.fmt(s.goals.get(y)),
                        "region": stat_text(
                            s.region[y], "mean" if s.indicator.kind == Kind.YES_NO else "median"
                        ),
                        "network": stat_text(
                            s.network[y], "mean" if s.indicator.kind == Kind.YES_NO else "median"
                        ),
                    }
                    for y in s.years
                ],
            }
        )
    return out


def network_charts(data: NetworkDashboard) -> dict:
    rates = [
        (
            str(r.region),
            r.rate,
            suppressed_note()
            if r.suppressed
            else _("%(rate)s%% (%(submitted)d of %(eligible)d)")
            % {"rate": charts.fmt(r.rate), "submitted": r.submitted, "eligible": r.eligible},
        )
        for r in data.rates
    ]
    distribution = []
    for agg in data.aggregates:
        stat = agg.stat
        y_max, _y_min, unit = axis(agg.indicator)
        box = None
        if not stat.suppressed and agg.indicator.kind != Kind.YES_NO:
            top = y_max or charts.nice_max(stat.p75 * 1.2 if stat.p75 else 1.0)
            box = charts.box_chart(
                title=str(agg.indicator), p25=stat.p25, median=stat.median, p75=stat.p75, y_max=top
            )
        trend_points = {
            y: (st.mean if agg.indicator.kind == Kind.YES_NO else st.median)
            for y, st in agg.trend.items()
        }
        trend = None
        if any(v is not None for v in trend_points.values()):
            trend = charts.line_chart(
                title=_("%s: network median by year") % agg.indicator,
                years=data.years,
                series=[charts.Series(_("Median"), trend_points, charts.OWN)],
                y_max=y_max,
                unit=unit,
                width=320,
                height=140,
            )
        distribution.append(
            {
                "aggregate": agg,
                "box": box,
                "trend": trend,
                "unit": unit,
                "yes_share": None
                if stat.suppressed or agg.indicator.kind != Kind.YES_NO
                else charts.fmt(stat.mean),
                "levels": list(zip((1, 2, 3, 4), stat.levels, strict=True)) if stat.levels else [],
            }
        )
    heat = [
        (
            attribute,
            [
                {
                    "region": cell.region,
                    "stat": cell.stat,
                    "text": stat_text(cell.stat, "mean"),
                    "bg": charts.heat_colour(None if cell.stat.suppressed else cell.stat.mean),
                    "fg": charts.heat_text_colour(None if cell.stat.suppressed else cell.stat.mean),
                }
                for cell in cells
            ],
        )
        for attribute, cells in data.heatmap
    ]
    return {
        "rates": charts.bar_chart(
            title=_("Reporting rate by region, %d") % data.year, bars=rates, max_value=100
        ),
        "rate_rows": rates,
        "distribution": distribution,
        "heat": heat,
    }


CSV_HEADER = [
    "indicator_code",
    "indicator",
    "attribute",
    "type",
    "year",
    "region",
    "cohort",
    "ecosystems",
    "p25",
    "median",
    "p75",
    "mean",
    "rubric_level_counts",
    "suppressed",
]


def csv_rows(data: NetworkDashboard) -> list[list]:
    """The aggregate table (every indicator x year for the filters). Suppressed rows keep
    only "<5" and the flag: no number computed from fewer than 5 ecosystems leaves."""
    f = data.filters
    rows: list[list] = [CSV_HEADER]
    for agg in data.aggregates:
        for year, stat in sorted(agg.trend.items()):
            numbers = (
                ["", "", "", "", ""]
                if stat.suppressed
                else [
                    stat.p25,
                    stat.median,
                    stat.p75,
                    stat.mean,
                    "/".join(str(n) for n in stat.levels),
                ]
            )
            rows.append(
                [
                    agg.indicator.code,
                    agg.indicator.name,
                    agg.indicator.attribute.name,
                    agg.indicator.kind,
                    year,
                    f.region.name if f.region else "all",
                    f.cohort or "all",
                    stat.n_display,
                    *numbers,
                    "yes" if stat.suppressed else "no",
                ]
            )
    return rows


def read_only_sections(sections, values, goals) -> list:
    """The report as text, attribute by attribute, for readers and submitted reports."""
    out = []
    for attribute, entries in sections:
        items = []
        for indicator, _field, _goal in entries:
            value = values.get(indicator.pk)
            items.append(
                {
                    "indicator": indicator,
                    "value": value.display if value else "",
                    "rubric_text": getattr(indicator, f"rubric_{value.rubric_value}")
                    if value and value.kind == Kind.RUBRIC
                    else "",
                    "goal": charts.fmt(float(goals[indicator.pk])) if indicator.pk in goals else "",
                }
            )
        out.append((attribute, items))
    return out
