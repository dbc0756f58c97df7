"""The long view of a rep's days: personal bests and the weekly trend.

``today`` is always passed in, already in the rep's own timezone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from webapp.domain.insights import require_count, week_start, weeks_between


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
        require_count("dials", dials)
        require_count("positives", positives)
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
    return tuple(WeekPoint(w, dials[w], positives[w]) for w in weeks_between(first, last))
