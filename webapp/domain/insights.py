"""Summaries for the insights page, computed from aggregate rows.

The app's queries hand over small aggregates (counts per week, per hour, per
day); these functions turn them into what the rep reads: which objections
come up, whether the review answers are improving, when conversations
happen, the lifetime funnel, personal bests and the weekly trend.

Weeks start on Monday. ``today`` is always passed in, already in the rep's
own timezone, so nothing here reads a clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from webapp.domain.reviews import OBJECTION_LABELS, TOGGLE_LABELS, Objection, ReviewToggle
from webapp.domain.timing import WEEKDAY_LABELS


def week_start(day: date) -> date:
    """The Monday of the week that ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def require_monday(day: date) -> None:
    if day.weekday() != 0:
        raise ValueError(f"week_start must be a Monday; {day.isoformat()} is a {WEEKDAY_LABELS[day.weekday()]}.")


def require_count(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} cannot be negative; got {value}.")


def weeks_between(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1))


# --------------------------------------------------------------------------
# Objections
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionTotal:
    """How often one objection came up overall, and its share of all objections."""

    objection: Objection
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class ObjectionSeries:
    """Weekly counts of one objection, aligned with :attr:`ObjectionBreakdown.weeks`."""

    objection: Objection
    label: str
    counts: tuple[int, ...]


@dataclass(frozen=True)
class ObjectionBreakdown:
    """Objection totals (largest first) and a per-week series for each one met."""

    totals: tuple[ObjectionTotal, ...]
    weeks: tuple[date, ...]
    series: tuple[ObjectionSeries, ...]


def objection_breakdown(
    rows: Iterable[tuple[date, Objection | str, int]],
) -> ObjectionBreakdown:
    """Total each objection and lay out its weekly counts.

    ``rows`` are ``(week_start, objection, count)``; repeated keys are added.
    Only objections that came up are listed, largest first; ties keep the
    picker's order so the page doesn't reshuffle between visits. Weeks with
    no objections between the first and last week are filled with zeros.
    """
    by_week: dict[tuple[date, Objection], int] = defaultdict(int)
    for week, code, count in rows:
        require_monday(week)
        require_count("count", count)
        try:
            objection = Objection(code)
        except ValueError:
            raise ValueError(f"Unknown objection {code!r}.") from None
        by_week[(week, objection)] += count

    totals_by_objection: dict[Objection, int] = defaultdict(int)
    for (_, objection), count in by_week.items():
        totals_by_objection[objection] += count
    grand_total = sum(totals_by_objection.values())
    order = list(Objection)
    met = sorted(
        (o for o, c in totals_by_objection.items() if c > 0),
        key=lambda o: (-totals_by_objection[o], order.index(o)),
    )
    totals = tuple(
        ObjectionTotal(o, OBJECTION_LABELS[o], totals_by_objection[o], totals_by_objection[o] / grand_total)
        for o in met
    )
    if not by_week:
        return ObjectionBreakdown(totals, (), ())
    all_weeks = [week for week, _ in by_week]
    weeks = weeks_between(min(all_weeks), max(all_weeks))
    series = tuple(ObjectionSeries(o, OBJECTION_LABELS[o], tuple(by_week.get((w, o), 0) for w in weeks)) for o in met)
    return ObjectionBreakdown(totals, weeks, series)


# --------------------------------------------------------------------------
# Review toggles
# --------------------------------------------------------------------------

TREND_WINDOW_WEEKS = 4
# Fewer answers than this in either window and the trend is noise, so we say nothing.
MIN_ANSWERS_FOR_TREND = 5
# A change smaller than this (as a fraction: 0.10 = 10 points) reads as "steady".
TREND_MIN_CHANGE = 0.10


@dataclass(frozen=True)
class ToggleRate:
    """How often the rep answered "yes" to one review question, and which way it is going."""

    toggle: ReviewToggle
    label: str
    yes_count: int
    answered_count: int
    rate: float | None
    recent_rate: float | None
    earlier_rate: float | None
    trend: str | None  # "up", "down", "steady", or None with too little data


def rate(yes: int, answered: int) -> float | None:
    return yes / answered if answered else None


def toggle_rates(
    rows: Iterable[tuple[date, ReviewToggle | str, int, int]],
    today: date,
) -> tuple[ToggleRate, ...]:
    """Yes-rate per review question overall, with a trend.

    ``rows`` are ``(week_start, toggle, yes_count, answered_count)``. The
    trend compares the last 4 weeks (this week included) with the 4 before;
    it is ``None`` unless both windows have at least
    :data:`MIN_ANSWERS_FOR_TREND` answers, and "steady" when the rates differ
    by less than 10 points. Every question is listed, in the order asked.
    """
    this_week = week_start(today)
    recent_from = this_week - timedelta(weeks=TREND_WINDOW_WEEKS - 1)
    earlier_from = recent_from - timedelta(weeks=TREND_WINDOW_WEEKS)

    # [yes, answered] overall, in the recent window and in the earlier one.
    totals = {t: {"all": [0, 0], "recent": [0, 0], "earlier": [0, 0]} for t in ReviewToggle}
    for week, code, yes, answered in rows:
        require_monday(week)
        require_count("yes_count", yes)
        require_count("answered_count", answered)
        if yes > answered:
            raise ValueError(f"yes_count ({yes}) cannot exceed answered_count ({answered}).")
        try:
            toggle = ReviewToggle(code)
        except ValueError:
            raise ValueError(f"Unknown review question {code!r}.") from None
        buckets = ["all"]
        if recent_from <= week <= this_week:
            buckets.append("recent")
        elif earlier_from <= week < recent_from:
            buckets.append("earlier")
        for bucket in buckets:
            totals[toggle][bucket][0] += yes
            totals[toggle][bucket][1] += answered

    result = []
    for toggle in ReviewToggle:
        t = totals[toggle]
        recent_rate = rate(*t["recent"])
        earlier_rate = rate(*t["earlier"])
        trend = None
        enough = t["recent"][1] >= MIN_ANSWERS_FOR_TREND and t["earlier"][1] >= MIN_ANSWERS_FOR_TREND
        if enough and recent_rate is not None and earlier_rate is not None:
            change = recent_rate - earlier_rate
            # Compare with a small tolerance so 0.7 - 0.6 counts as a 10-point change.
            if change >= TREND_MIN_CHANGE - 1e-9:
                trend = "up"
            elif change <= -TREND_MIN_CHANGE + 1e-9:
                trend = "down"
            else:
                trend = "steady"
        result.append(
            ToggleRate(
                toggle=toggle,
                label=TOGGLE_LABELS[toggle],
                yes_count=t["all"][0],
                answered_count=t["all"][1],
                rate=rate(*t["all"]),
                recent_rate=recent_rate,
                earlier_rate=earlier_rate,
                trend=trend,
            )
        )
    return tuple(result)
