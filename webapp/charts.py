"""Server-drawn SVG charts for the insights pages.

Pure functions: plain values in, a :class:`Chart` out. Each SVG scales to its
container (``viewBox`` and ``width="100%"``), names itself to screen readers
(``role="img"`` with ``<title>`` and ``<desc>``) and comes with the same data
as table rows, so a page can offer a real table next to the picture.

The app's Content-Security-Policy forbids inline styles, so there is no
``style`` attribute, ``<style>`` or script here: only presentation attributes
and CSS class names (``heat-0``..``heat-4``, ``bar``, ``trend-line``...) for
the stylesheet to colour, with a ``fill``/``stroke`` fallback that reads well
on a light background.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from flask_babel import format_number, gettext, ngettext

from webapp.domain.timing import WEEKDAY_LABELS

SVG_NS = "http://www.w3.org/2000/svg"
MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEAT_FILLS = ("#ebedf0", "#b7d7f5", "#6fa8dc", "#2f6fb5", "#123f73")
TEXT_FILL = "#444444"  # 9.7:1 on white
BAR_FILL = "#2f6fb5"
LINE_STROKE = "#c2410c"


@dataclass(frozen=True)
class Chart:
    """An SVG chart, a one-line caption, and its data as a table for screen readers."""

    svg: str
    caption: str
    table_headers: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: int, height: int, css_class: str, title: str, desc: str, body: list[str]) -> str:
    # The <title> must be the first child: that is what browsers read as the
    # image's accessible name when role="img".
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart {css_class}" font-family="system-ui, sans-serif" '
        f'font-size="11" fill="{TEXT_FILL}">'
        f"<title>{_text(title)}</title><desc>{_text(desc)}</desc>" + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class CalendarNames:
    """How a calendar reads in the rep's locale: the weekday its weeks start on (0 = Monday) and short names."""

    first_weekday: int = 0
    weekdays: tuple[str, ...] = WEEKDAY_LABELS  # 0 = Monday
    months: tuple[str, ...] = MONTH_LABELS  # 0 = January


ENGLISH_CALENDAR = CalendarNames()


def _dials(count: int) -> str:
    return ngettext("%(count)s dial", "%(count)s dials", count, count=format_number(count))


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count, count=format_number(count))


def _weeks(count: int) -> str:
    return ngettext("%(count)s week", "%(count)s weeks", count, count=format_number(count))


def _week_title(week: date, dials: int, positives: int) -> str:
    return gettext(
        "Week of %(date)s: %(dials)s, %(positives)s",
        date=week.isoformat(),
        dials=_dials(dials),
        positives=ngettext("%(count)s positive", "%(count)s positives", positives, count=format_number(positives)),
    )


def _positives(count: int) -> str:
    return ngettext("%(count)s positive outcome", "%(count)s positive outcomes", count, count=format_number(count))


def _short_date(day: date) -> str:
    return f"{day.day} {MONTH_LABELS[day.month - 1]}"


# --------------------------------------------------------------------------
# Calendar heatmap
# --------------------------------------------------------------------------

HEAT_CELL = 10
HEAT_STEP = 12  # cell plus a 2-unit gap
HEAT_LEFT = 34  # room for weekday labels
HEAT_TOP = 18  # room for month labels
# A year is scaled to about half size on a phone, so labels are drawn larger.
HEAT_FONT_SIZE = 14


def heat_thresholds(values: Sequence[int]) -> tuple[float, float, float]:
    """Quartile cut points of the non-zero values, used to bucket days into 1..4.

    Quantiles of the rep's own days, not fixed numbers, so a rep who makes 20
    dials a day and one who makes 200 both see a full range of shades.
    """
    active = sorted(v for v in values if v > 0)
    if not active:
        return (0.0, 0.0, 0.0)
    if len(active) == 1:
        return (active[0],) * 3
    q1, q2, q3 = statistics.quantiles(active, n=4, method="inclusive")
    return (q1, q2, q3)


def heat_bucket(value: int, thresholds: tuple[float, float, float]) -> int:
    """0 for a day without dials, otherwise 1..4 by which quartile the day falls in."""
    if value <= 0:
        return 0
    return 1 + sum(value > t for t in thresholds)


def calendar_heatmap(
    daily_dials: Mapping[date, int], today: date, weeks: int = 53, names: CalendarNames | None = None
) -> Chart:
    """A GitHub-style year of dials: weeks as columns, the week's first day on top, today last.

    One cell per day from the start of the week ``weeks - 1`` weeks before this
    one up to ``today``; weeks start where ``names`` says (Monday unless the
    rep's locale starts them on Sunday), with its weekday and month names.
    Each cell has a ``<title>`` like "2026-03-04: 42 dials".
    Cells sit in one group per shade (``class="heat-N"`` with a ``fill``
    fallback) because repeating both on every cell would double the size.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1.")
    names = names or ENGLISH_CALENDAR
    first = today - timedelta(days=(today.weekday() - names.first_weekday) % 7) - timedelta(weeks=weeks - 1)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    counts = {day: daily_dials.get(day, 0) for day in days}
    thresholds = heat_thresholds(list(counts.values()))

    groups: list[list[str]] = [[] for _ in HEAT_FILLS]
    for day in days:
        column = (day - first).days // 7
        x = HEAT_LEFT + column * HEAT_STEP
        y = HEAT_TOP + ((day.weekday() - names.first_weekday) % 7) * HEAT_STEP
        groups[heat_bucket(counts[day], thresholds)].append(
            f'<rect x="{x}" y="{y}" width="{HEAT_CELL}" height="{HEAT_CELL}">'
            f"<title>{day.isoformat()}: {_dials(counts[day])}</title></rect>"
        )

    body: list[str] = []
    # Month labels sit above the column holding the 1st of the month; the
    # first column gets one too unless a real label would crowd it.
    # A label in the last two columns would run off the right edge.
    month_columns = [
        ((day - first).days // 7, day.month) for day in days if day.day == 1 and (day - first).days // 7 <= weeks - 3
    ]
    if not month_columns or month_columns[0][0] >= 3:
        month_columns.insert(0, (0, first.month))
    for column, month in month_columns:
        body.append(
            f'<text x="{HEAT_LEFT + column * HEAT_STEP}" y="{HEAT_TOP - 5}" '
            f'font-size="{HEAT_FONT_SIZE}" class="chart-label">{_text(names.months[month - 1])}</text>'
        )
    for row in (0, 2, 4):
        weekday = names.weekdays[(names.first_weekday + row) % 7]
        body.append(
            f'<text x="0" y="{HEAT_TOP + row * HEAT_STEP + HEAT_CELL}" '
            f'font-size="{HEAT_FONT_SIZE}" class="chart-label">{_text(weekday)}</text>'
        )
    for bucket, cells in enumerate(groups):
        if cells:
            body.append(f'<g class="heat-{bucket}" fill="{HEAT_FILLS[bucket]}">' + "".join(cells) + "</g>")

    total = sum(counts.values())
    active_days = sum(1 for v in counts.values() if v > 0)
    caption = gettext(
        "Dials per day from %(first)s to %(last)s: %(dials)s on %(days)s.",
        first=first.isoformat(),
        last=today.isoformat(),
        dials=_dials(total),
        days=_days(active_days),
    )
    width = HEAT_LEFT + weeks * HEAT_STEP
    height = HEAT_TOP + 7 * HEAT_STEP
    svg = _svg(
        width,
        height,
        "chart-heatmap",
        gettext("Calling activity calendar"),
        caption + " " + gettext("Darker squares mean more dials."),
        body,
    )

    rows = []
    for column in range(weeks):
        monday = first + timedelta(weeks=column)  # the week's first day (a Monday unless the locale says Sunday)
        # ``days`` runs day by day from a week's start, so each week is a slice of seven (one pass, not 53).
        week_days = days[column * 7 : column * 7 + 7]
        rows.append(
            (
                monday.isoformat(),
                str(sum(counts[d] for d in week_days)),
                str(sum(1 for d in week_days if counts[d] > 0)),
            )
        )
    return Chart(svg, caption, (gettext("Week of"), gettext("Dials"), gettext("Days with calls")), tuple(rows))


# --------------------------------------------------------------------------
# Weekly trend: bars for dials, a line for positives
# --------------------------------------------------------------------------

TREND_WIDTH = 360  # drawn at phone width so the text stays legible unscaled
TREND_HEIGHT = 200
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 34, 30, 16, 30


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (and at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)  # unreachable; keeps type checkers calm


def weekly_trend_chart(points: Sequence[tuple[date, int, int]]) -> Chart:
    """Dials per week as bars (left scale) and positives as a line (right scale).

    ``points`` are ``(week_start, dials, positives)``, oldest first, as
    :func:`webapp.domain.insights.weekly_trend` returns them. Positives get
    their own scale because they are a small fraction of dials and would lie
    flat along the bottom otherwise.
    """
    title = gettext("Weekly dials and positive outcomes")
    headers = (gettext("Week of"), gettext("Dials"), gettext("Positives"))
    rows = tuple((w.isoformat(), str(d), str(p)) for w, d, p in points)
    if not points:
        caption = gettext("No weeks to show yet.")
        empty = _text(gettext("No calls yet"))
        body = [f'<text x="{TREND_WIDTH // 2}" y="{TREND_HEIGHT // 2}" text-anchor="middle">{empty}</text>']
        svg = _svg(TREND_WIDTH, TREND_HEIGHT, "chart-trend", title, caption, body)
        return Chart(svg, caption, headers, rows)

    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    base_y = TREND_TOP + plot_h
    dial_max = nice_ceiling(max(d for _, d, _ in points))
    pos_max = nice_ceiling(max(p for _, _, p in points))
    slot = plot_w / len(points)
    bar_w = max(1.0, slot * 0.7)

    def y_for(value: int, scale: int) -> float:
        return base_y - plot_h * value / scale

    body: list[str] = []
    # Axes and tick labels: left for dials, right for positives.
    for fraction in (0, 0.5, 1):
        y = base_y - plot_h * fraction
        body.append(
            f'<line x1="{TREND_LEFT}" y1="{y:g}" x2="{TREND_WIDTH - TREND_RIGHT}" y2="{y:g}" '
            f'class="chart-grid" stroke="#dddddd" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{TREND_LEFT - 4}" y="{y + 4:g}" text-anchor="end" '
            f'class="chart-label">{dial_max * fraction:g}</text>'
        )
        body.append(
            f'<text x="{TREND_WIDTH - TREND_RIGHT + 4}" y="{y + 4:g}" class="chart-label">{pos_max * fraction:g}</text>'
        )
    body.append(f'<text x="{TREND_LEFT}" y="10" class="chart-axis-title">{_text(headers[1])}</text>')
    body.append(
        f'<text x="{TREND_WIDTH}" y="10" text-anchor="end" class="chart-axis-title" '
        f'fill="{LINE_STROKE}">{_text(headers[2])}</text>'
    )

    bars = []
    line_points: list[tuple[float, float]] = []
    for i, (week, dials, positives) in enumerate(points):
        x = TREND_LEFT + i * slot + (slot - bar_w) / 2
        top = y_for(dials, dial_max)
        bars.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{base_y - top:.1f}">'
            f"<title>{_text(_week_title(week, dials, positives))}</title></rect>"
        )
        line_points.append((TREND_LEFT + (i + 0.5) * slot, y_for(positives, pos_max)))
    body.append(f'<g class="bar" fill="{BAR_FILL}">' + "".join(bars) + "</g>")
    body.append(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in line_points)}" '
        f'class="trend-line" fill="none" '
        f'stroke="{LINE_STROKE}" stroke-width="2"/>'
    )
    body.append(
        f'<g class="trend-dot" fill="{LINE_STROKE}">'
        + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in line_points)
        + "</g>"
    )
    # Date labels under a few weeks only: 12 labels would collide on a phone.
    label_every = max(1, math.ceil(len(points) / 4))
    for i in range(0, len(points), label_every):
        body.append(
            f'<text x="{TREND_LEFT + (i + 0.5) * slot:.1f}" y="{base_y + 14}" '
            f'text-anchor="middle" class="chart-label">{_short_date(points[i][0])}</text>'
        )
    body.append(
        f'<text x="{TREND_LEFT + plot_w / 2:.1f}" y="{TREND_HEIGHT - 2}" text-anchor="middle" '
        f'class="chart-axis-title">{_text(gettext("Week starting"))}</text>'
    )

    total_dials = sum(d for _, d, _ in points)
    total_pos = sum(p for _, _, p in points)
    caption = gettext(
        "%(dials)s and %(positives)s over %(weeks)s, from the week of %(first)s.",
        dials=_dials(total_dials),
        positives=_positives(total_pos),
        weeks=_weeks(len(points)),
        first=points[0][0].isoformat(),
    )
    svg = _svg(TREND_WIDTH, TREND_HEIGHT, "chart-trend", title, caption, body)
    return Chart(svg, caption, headers, rows)


# --------------------------------------------------------------------------
# Horizontal bar chart
# --------------------------------------------------------------------------

BAR_WIDTH = 360
BAR_ROW = 34  # label line above a bar: long labels never get squeezed on a phone
BAR_HEIGHT = 14
BAR_VALUE_ROOM = 40


def bar_chart(
    items: Sequence[tuple[str, int | float]],
    title: str | None = None,
    value_header: str | None = None,
) -> Chart:
    """Horizontal bars, one per ``(label, value)``, in the order given.

    Each label sits on its own line above its bar so that long objection
    names stay whole on a 360 px screen. Bars scale to the largest value;
    all zeros draw empty bars rather than dividing by zero.
    """
    for label, value in items:
        if value < 0:
            raise ValueError(f"Bar values cannot be negative; {label!r} has {value}.")
    title = title or gettext("Bar chart")
    headers = (gettext("Item"), value_header or gettext("Count"))
    rows = tuple((str(label), f"{value:g}") for label, value in items)
    if not items:
        caption = gettext("Nothing to show yet.")
        body = [f'<text x="180" y="20" text-anchor="middle">{_text(caption)}</text>']
        svg = _svg(BAR_WIDTH, 30, "chart-bars", title, caption, body)
        return Chart(svg, caption, headers, rows)

    biggest = max(value for _, value in items)
    track = BAR_WIDTH - BAR_VALUE_ROOM
    body: list[str] = []
    bars: list[str] = []
    for i, (label, value) in enumerate(items):
        top = i * BAR_ROW
        length = track * value / biggest if biggest else 0
        body.append(f'<text x="0" y="{top + 11}" class="chart-label">{_text(label)}</text>')
        bars.append(
            f'<rect x="0" y="{top + 15}" width="{length:.1f}" height="{BAR_HEIGHT}">'
            f"<title>{_text(label)}: {value:g}</title></rect>"
        )
        body.append(f'<text x="{length + 4:.1f}" y="{top + 26}" class="chart-value">{value:g}</text>')
    body.append(f'<g class="bar" fill="{BAR_FILL}">' + "".join(bars) + "</g>")
    caption = "; ".join(f"{label}: {value:g}" for label, value in items) + "."
    svg = _svg(BAR_WIDTH, len(items) * BAR_ROW, "chart-bars", title, caption, body)
    return Chart(svg, caption, headers, rows)
