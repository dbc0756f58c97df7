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
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from webapp.domain.outcomes import CONVERSATIONS, POSITIVES, Outcome, parse_outcome
from webapp.domain.resilience import (
    OBJECTION_LABELS,
    TOGGLE_LABELS,
    Objection,
    ReviewToggle,
)
from webapp.domain.timing import WEEKDAY_LABELS


def week_start(day: date) -> date:
    """The Monday of the week that ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def _require_monday(day: date) -> None:
    if day.weekday() != 0:
        raise ValueError(f"week_start must be a Monday; {day.isoformat()} is a {WEEKDAY_LABELS[day.weekday()]}.")


def _require_count(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} cannot be negative; got {value}.")


def _weeks_between(first: date, last: date) -> tuple[date, ...]:
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
        _require_monday(week)
        _require_count("count", count)
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
    weeks = _weeks_between(min(all_weeks), max(all_weeks))
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


def _rate(yes: int, answered: int) -> float | None:
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
        _require_monday(week)
        _require_count("yes_count", yes)
        _require_count("answered_count", answered)
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
        recent_rate = _rate(*t["recent"])
        earlier_rate = _rate(*t["earlier"])
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
                rate=_rate(*t["all"]),
                recent_rate=recent_rate,
                earlier_rate=earlier_rate,
                trend=trend,
            )
        )
    return tuple(result)


# --------------------------------------------------------------------------
# Best times to call
# --------------------------------------------------------------------------

# Below this many dials, "your best hour" would be a guess dressed up as a fact.
MIN_DIALS_FOR_BEST_TIMES = 50


@dataclass(frozen=True)
class TimeSlot:
    """One hour of the day or one weekday, with its conversations and dials."""

    key: int  # hour 0-23 or weekday 0=Monday..6=Sunday
    label: str  # "10-11" or "Tue"
    conversations: int
    dials: int
    rate: float | None  # conversations per dial


@dataclass(frozen=True)
class BestTimes:
    """The hours and weekdays with the most conversations, best first."""

    enough_history: bool
    hours: tuple[TimeSlot, ...]
    weekdays: tuple[TimeSlot, ...]


def hour_label(hour: int) -> str:
    """A one-hour slot as the rep reads it: 10 -> "10-11", 23 -> "23-24"."""
    return f"{hour}-{hour + 1}"


def _top_slots(
    conversations: Mapping[int, int], dials: Mapping[int, int], label: Callable[[int], str], top: int
) -> tuple[TimeSlot, ...]:
    slots = [
        TimeSlot(key, label(key), conversations[key], dials.get(key, 0), _rate(conversations[key], dials.get(key, 0)))
        for key in conversations
        if conversations[key] > 0
    ]
    # Most conversations first; then the better rate; then the earlier slot, for a stable order.
    slots.sort(key=lambda s: (-s.conversations, -(s.rate or 0.0), s.key))
    return tuple(slots[:top])


def best_times(
    conversations: Mapping[tuple[int, int], int],
    dials: Mapping[tuple[int, int], int],
    top: int = 3,
) -> BestTimes:
    """The top hours and weekdays by conversations, with their conversation rate.

    Both mappings are keyed by ``(weekday, hour)``, weekday 0 being Monday,
    hours in the rep's timezone. Slots without a conversation are left out.
    ``enough_history`` is False under :data:`MIN_DIALS_FOR_BEST_TIMES` dials
    so the page can say the picture is still forming.
    """
    by_hour_conv: dict[int, int] = defaultdict(int)
    by_hour_dials: dict[int, int] = defaultdict(int)
    by_day_conv: dict[int, int] = defaultdict(int)
    by_day_dials: dict[int, int] = defaultdict(int)
    for source, by_hour, by_day in (
        (conversations, by_hour_conv, by_day_conv),
        (dials, by_hour_dials, by_day_dials),
    ):
        for (weekday, hour), count in source.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday); got {weekday}.")
            if not 0 <= hour <= 23:
                raise ValueError(f"hour must be 0 to 23; got {hour}.")
            _require_count("count", count)
            by_hour[hour] += count
            by_day[weekday] += count
    for key, count in conversations.items():
        if count > dials.get(key, 0):
            raise ValueError(
                f"Every conversation is a dial, but slot {key} has {count} conversations and {dials.get(key, 0)} dials."
            )
    return BestTimes(
        enough_history=sum(by_hour_dials.values()) >= MIN_DIALS_FOR_BEST_TIMES,
        hours=_top_slots(by_hour_conv, by_hour_dials, hour_label, top),
        weekdays=_top_slots(by_day_conv, by_day_dials, lambda d: WEEKDAY_LABELS[d], top),
    )


# --------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    """One stage of the lifetime funnel and the share of the stage above that reached it."""

    key: str
    label: str
    count: int
    conversion_pct: float | None  # None for the first stage or when the stage above is 0


_FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("dials", "Dials"),
    ("conversations", "Conversations"),
    ("follow_ups", "Follow-ups"),
    ("meetings", "Meetings"),
    ("sales", "Sales"),
)


def funnel(dials: int, conversations: int, follow_ups: int, meetings: int, sales: int) -> tuple[FunnelStage, ...]:
    """The lifetime funnel with the conversion from each stage to the next.

    Counts are cumulative, "or better": conversations include follow-ups,
    meetings and sales, and so on, so each stage is at most the one above
    (``ValueError`` otherwise). A stage below a zero stage has no conversion
    (``None``) rather than a division by zero. Percentages have one decimal.
    """
    counts = (dials, conversations, follow_ups, meetings, sales)
    stages = []
    previous: int | None = None
    for (key, label), count in zip(_FUNNEL_STAGES, counts, strict=True):
        _require_count(key, count)
        if previous is not None and count > previous:
            raise ValueError(
                f"{label} ({count}) cannot exceed the stage above ({previous}); "
                "funnel counts include every better outcome."
            )
        pct = None if not previous else round(100 * count / previous, 1)
        stages.append(FunnelStage(key, label, count, pct))
        previous = count
    return tuple(stages)


def funnel_from_outcomes(outcome_counts: Mapping[Outcome | str, int]) -> tuple[FunnelStage, ...]:
    """The funnel built from a tally of calls per outcome code."""
    tally: dict[Outcome, int] = defaultdict(int)
    for code, count in outcome_counts.items():
        _require_count(str(code), count)
        tally[parse_outcome(str(code))] += count

    def at_least(outcomes: Collection[Outcome]) -> int:
        return sum(tally[o] for o in outcomes)

    return funnel(
        dials=sum(tally.values()),
        conversations=at_least(CONVERSATIONS),
        follow_ups=at_least(POSITIVES),
        meetings=at_least({Outcome.MEETING, Outcome.SALE}),
        sales=tally[Outcome.SALE],
    )


# --------------------------------------------------------------------------
# Daily rows: personal bests and weekly trend
# --------------------------------------------------------------------------


class DailyRow(NamedTuple):
    """One day's totals, as the app's daily aggregate query returns them."""

    day: date
    dials: int
    points: int
    positives: int


class WeekPoint(NamedTuple):
    """One week of the trend: its Monday, dials and positive outcomes."""

    week_start: date
    dials: int
    positives: int


def _sum_by_day(daily_rows: Iterable[tuple[date, int, int, int]]) -> dict[date, DailyRow]:
    days: dict[date, DailyRow] = {}
    for day, dials, points, positives in daily_rows:
        _require_count("dials", dials)
        _require_count("positives", positives)
        if day in days:
            old = days[day]
            days[day] = DailyRow(day, old.dials + dials, old.points + points, old.positives + positives)
        else:
            days[day] = DailyRow(day, dials, points, positives)
    return days


@dataclass(frozen=True)
class PersonalBests:
    """The rep's records. Each is ``None`` until there is a day with calls."""

    best_day_by_dials: tuple[date, int] | None
    best_day_by_points: tuple[date, int] | None
    best_week_by_dials: tuple[date, int] | None  # (Monday, dials)
    longest_run_days: int
    longest_run: tuple[date, date] | None  # first and last day with calls


def personal_bests(
    daily_rows: Iterable[tuple[date, int, int, int]],
    days_off: Collection[int] = (5, 6),
) -> PersonalBests:
    """Best day by dials and by points, best week by dials, and the longest run of calling days.

    ``daily_rows`` are ``(date, dials, points, positives)``. On ties the
    earliest wins: a record is set the first time, and matching it is not a
    new one. In a run, a day off (weekday numbers in ``days_off``, Saturday
    and Sunday by default) without calls neither extends nor breaks it, the
    same promise the streak makes; a day off with calls extends it.
    """
    days = {d: row for d, row in _sum_by_day(daily_rows).items() if row.dials > 0}
    if not days:
        return PersonalBests(None, None, None, 0, None)

    ordered = sorted(days.values(), key=lambda r: r.day)
    best_dials = max(ordered, key=lambda r: r.dials)  # max keeps the first of equals
    best_points = max(ordered, key=lambda r: r.points)

    weeks: dict[date, int] = defaultdict(int)
    for row in ordered:
        weeks[week_start(row.day)] += row.dials
    best_week = max(sorted(weeks), key=lambda w: weeks[w])

    off = frozenset(days_off)
    best_len, best_span = 0, None
    run_len, previous = 0, None
    run_start = ordered[0].day
    for row in ordered:
        if previous is not None and _only_days_off_between(previous, row.day, off):
            run_len += 1
        else:
            run_len, run_start = 1, row.day
        if run_len > best_len:
            best_len, best_span = run_len, (run_start, row.day)
        previous = row.day

    return PersonalBests(
        best_day_by_dials=(best_dials.day, best_dials.dials),
        best_day_by_points=(best_points.day, best_points.points),
        best_week_by_dials=(best_week, weeks[best_week]),
        longest_run_days=best_len,
        longest_run=best_span,
    )


def _only_days_off_between(earlier: date, later: date, days_off: frozenset[int]) -> bool:
    gap = (later - earlier).days
    return all((earlier + timedelta(days=i)).weekday() in days_off for i in range(1, gap))


def weekly_trend(
    daily_rows: Iterable[tuple[date, int, int, int]], today: date, weeks: int = 12
) -> tuple[WeekPoint, ...]:
    """Dials and positives per week for the last ``weeks`` weeks, oldest first.

    The current (unfinished) week is the last point. Weeks without calls are
    zero, not missing, so a quiet week shows as a gap and not as a jump.
    Rows outside the range, including any after ``today``, are ignored.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1.")
    last = week_start(today)
    first = last - timedelta(weeks=weeks - 1)
    dials: dict[date, int] = defaultdict(int)
    positives: dict[date, int] = defaultdict(int)
    for row in _sum_by_day(daily_rows).values():
        if first <= row.day <= today:
            dials[week_start(row.day)] += row.dials
            positives[week_start(row.day)] += row.positives
    return tuple(WeekPoint(w, dials[w], positives[w]) for w in _weeks_between(first, last))
