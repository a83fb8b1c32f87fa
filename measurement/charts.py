"""Server-rendered SVG charts: no JavaScript, no CDN, nothing to download.

Every chart is an `<svg role="img">` with a <title> and a <desc> that states the numbers
in words; the pages also print the same numbers in a data table. All text is escaped
here, the markup is built from numbers we computed, so the result is safe to mark safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe-Ito), also distinguished by dash pattern and marker.
OWN = "#0072B2"
GOAL = "#D55E00"
REGION = "#009E73"
NETWORK = "#555555"


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, float | None]
    colour: str
    dash: str = ""  # stroke-dasharray
    marker: str = "circle"  # circle | square | none


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 x 10^k)."""
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def fmt(number: float | None) -> str:
    if number is None:
        return "—"
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.1f}"


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of a label's width in the chart's sans-serif font (no font
    metrics on the server): room is reserved from it so no label is clipped."""
    return len(text) * font_size * 0.62


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{tip}</rect>"
        )
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'
    return ""


def line_chart(
    *,
    title: str,
    years: list[int],
    series: list[Series],
    y_max: float | None = None,
    y_min: float = 0.0,
    width: int = 560,
    height: int = 220,
    unit: str = "",
) -> SafeString:
    """Lines over `years` (gaps where a point is None, e.g. a suppressed median). The
    year labels are centred under their points, so the margins leave half a label's
    width on each side (the last year was cut to "202…")."""
    half_year = text_width(str(max(years, default=2000)), 11) / 2 + 2
    left, right, top, bottom = 56, max(12, round(half_year)), 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for s in series for v in s.points.values() if v is not None]
    top_value = y_max if y_max is not None else nice_max(max(known, default=0.0))
    span = (top_value - y_min) or 1.0

    def x_at(index: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(years) - 1)

    def y_at(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / span)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(describe(years, series, unit))}</desc>",
    ]
    for step in range(5):
        value = y_min + span * step / 4
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333333">{escape(fmt(value))}{escape(unit)}</text>'
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="11" fill="#333333">{year}</text>'
        )
    for s in series:
        segment: list[str] = []
        segments: list[list[str]] = []
        markers = []
        for index, year in enumerate(years):
            value = s.points.get(year)
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = x_at(index), y_at(value)
            segment.append(f"{x:.1f},{y:.1f}")
            markers.append(_marker(s.marker, x, y, s.colour, f"{s.label} {year}: {fmt(value)}"))
        if segment:
            segments.append(segment)
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{s.colour}" '
                    f'stroke-width="2"{dash}/>'
                )
        parts.extend(markers)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # text nodes escaped  # noqa: S308  # nosec B308, B703


def describe(years: list[int], series: list[Series], unit: str = "") -> str:
    """The chart in words, for screen readers."""
    lines = []
    for s in series:
        shown = [f"{y}: {fmt(s.points[y])}{unit}" for y in years if s.points.get(y) is not None]
        # outside the f-string, where makemessages finds it
        values = ", ".join(shown) if shown else _("no data")
        lines.append(f"{s.label}: {values}.")
    return " ".join(lines)


def bar_chart(
    *, title: str, bars: list[tuple[str, float | None, str]], max_value: float = 100.0
) -> SafeString:
    """Horizontal bars: (label, value or None when suppressed, text shown at the end).
    The text after the longest bar and the longest label get the room they need (a
    full bar's "95.2% (20 of 21)" was clipped at the chart's edge)."""
    row_h, width = 26, 560
    left = max(170, round(max((text_width(label, 12) for label, _v, _n in bars), default=0) + 12))
    note_room = max((text_width(note, 12) for _l, _v, note in bars), default=0) + 10
    height = row_h * len(bars) + 8
    plot_w = max(width - left - note_room, 100)
    width = max(width, round(left + plot_w + note_room))
    words = "; ".join(f"{label}: {note}" for label, _value, note in bars)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f"<desc>{escape(words)}</desc>"
    ]
    for index, (label, value, note) in enumerate(bars):
        y = 4 + index * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="#333333">{escape(label)}</text>'
        )
        bar_w = 0.0 if value is None else plot_w * min(value, max_value) / (max_value or 1)
        if value is not None:
            parts.append(
                f'<rect x="{left}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
                f'fill="{OWN}"/>'
            )
        parts.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="#333333">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # text nodes escaped  # noqa: S308  # nosec B308, B703


def box_chart(*, title: str, p25: float, median: float, p75: float, y_max: float) -> SafeString:
    """One horizontal box from the 25th to the 75th percentile with the median marked."""
    width, height, left, right = 240, 28, 6, 6
    plot_w = width - left - right

    def x_at(value: float) -> float:
        return left + plot_w * min(value, y_max) / (y_max or 1)

    words = _("25th percentile %(p25)s, median %(median)s, 75th percentile %(p75)s") % {
        "p25": fmt(p25),
        "median": fmt(median),
        "p75": fmt(p75),
    }
    return mark_safe(  # text escaped, the rest numbers  # noqa: S308  # nosec B308, B703
        f'<svg class="chart chart--box" viewBox="0 0 {width} {height}" width="{width}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f"<desc>{escape(words)}</desc>"
        f'<line x1="{left}" x2="{width - right}" y1="14" y2="14" stroke="#cccccc"/>'
        f'<rect x="{x_at(p25):.1f}" y="6" width="{max(x_at(p75) - x_at(p25), 1):.1f}" '
        f'height="16" fill="#cfe3f2" stroke="{OWN}"/>'
        f'<line x1="{x_at(median):.1f}" x2="{x_at(median):.1f}" y1="4" y2="24" '
        f'stroke="{GOAL}" stroke-width="3"/></svg>'
    )


def heat_colour(level: float | None) -> str:
    """Background for a rubric mean from 1 (light) to 4 (dark); grey when suppressed."""
    if level is None:
        return "#eeeeee"
    shade = max(0.0, min(1.0, (level - 1) / 3))
    red = int(230 - shade * 200)
    green = int(240 - shade * 150)
    blue = int(250 - shade * 70)
    return f"#{red:02x}{green:02x}{blue:02x}"


def heat_text_colour(level: float | None) -> str:
    return "#ffffff" if level is not None and level >= 2.8 else "#111111"
