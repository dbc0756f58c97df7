"""Time off: date ranges a rep marks (holiday, sick, training) that neither keep nor break a streak.

A range is checked here, from the form's raw text, against the rep's
``today`` and the ranges they already have; every refusal has a message the
rep can act on. A range may start up to ``MAX_DAYS_BACK`` days back, the days
the streak still replays (a late call is accepted for 7 days too); older days
are settled, so marking them would change nothing the rep could see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from webapp.domain.streaks import REPLAY_WINDOW_DAYS
from webapp.domain.wording import N_

MAX_RANGE_DAYS = 60
MAX_DAYS_BACK = REPLAY_WINDOW_DAYS - 1
MAX_DAYS_AHEAD = 366


class TimeOffKind(StrEnum):
    """Why the rep is away; shown in their list, never judged."""

    HOLIDAY = "holiday"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"


KIND_LABELS = {
    TimeOffKind.HOLIDAY: N_("Holiday"),
    TimeOffKind.SICK: N_("Sick"),
    TimeOffKind.TRAINING: N_("Training"),
    TimeOffKind.OTHER: N_("Other"),
}


@dataclass(frozen=True)
class TimeOffRange:
    """Days ``first`` to ``last``, both included."""

    first: date
    last: date
    kind: TimeOffKind = TimeOffKind.HOLIDAY

    @property
    def days(self) -> int:
        """How many days the range covers."""
        return (self.last - self.first).days + 1

    def overlaps(self, first: date, last: date) -> bool:
        """Whether the range shares a day with ``first..last``."""
        return self.first <= last and first <= self.last


class TimeOffRefused(ValueError):
    """A range that was not accepted: field name to message, meant for the rep.

    A message with numbers or dates in it also has a reason (field name to a
    code and its values: ``TOO_LONG``, ``TOO_FAR_BACK``, ``OVERLAPS``), so the
    page can word it again in the rep's language, with plurals; the other
    messages are N_-marked and translated as they are.
    """

    def __init__(self, errors: dict[str, str], reasons: dict[str, tuple[str, dict[str, int | date]]] | None = None):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.reasons = reasons or {}


TOO_LONG, TOO_FAR_BACK, OVERLAPS = "too_long", "too_far_back", "overlaps"


def short_date(day: date) -> str:
    """A date as a rep reads it, like "3 Nov 2026"."""
    return f"{day.day} {day.strftime('%b %Y')}"


def parse_time_off(
    first_raw: str | None,
    last_raw: str | None,
    kind_raw: str | None,
    today: date,
    existing: Iterable[TimeOffRange] = (),
) -> TimeOffRange:
    """A new range from the form, or ``TimeOffRefused`` saying what to change.

    One day off is a range whose last day is its first (an empty last day
    means the same).
    """
    errors: dict[str, str] = {}
    try:
        kind = TimeOffKind((kind_raw or "holiday").strip())
    except ValueError:
        errors["kind"] = N_("Choose holiday, sick, training or other.")
        kind = TimeOffKind.OTHER
    first = _date_or_none(first_raw)
    last = _date_or_none(last_raw) if (last_raw or "").strip() else first
    if first is None:
        errors["first"] = N_("Enter the first day, like 2026-11-02.")
    if last is None and first is not None:
        errors["last"] = N_("Enter the last day, like 2026-11-06, or leave it empty for one day.")
    if errors or first is None or last is None:
        raise TimeOffRefused(errors)
    earliest, latest = today - timedelta(days=MAX_DAYS_BACK), today + timedelta(days=MAX_DAYS_AHEAD)
    reasons: dict[str, tuple[str, dict[str, int | date]]] = {}
    if last < first:
        errors["last"] = N_("The last day comes before the first day.")
    elif (last - first).days + 1 > MAX_RANGE_DAYS:
        errors["last"] = f"Time off is at most {MAX_RANGE_DAYS} days at a time."
        reasons["last"] = (TOO_LONG, {"days": MAX_RANGE_DAYS})
    elif first < earliest:
        errors["first"] = (
            f"Time off can start at most {MAX_DAYS_BACK} days back, on {short_date(earliest)} or later: "
            "older days are already counted."
        )
        reasons["first"] = (TOO_FAR_BACK, {"days": MAX_DAYS_BACK, "earliest": earliest})
    elif last > latest:
        errors["last"] = N_("Time off can be planned up to a year ahead.")
    else:
        clash = next((r for r in sorted(existing, key=lambda r: r.first) if r.overlaps(first, last)), None)
        if clash is not None:
            errors["first"] = f"This overlaps your time off from {short_date(clash.first)} to {short_date(clash.last)}."
            reasons["first"] = (OVERLAPS, {"first": clash.first, "last": clash.last})
    if errors:
        raise TimeOffRefused(errors, reasons)
    return TimeOffRange(first, last, kind)


def days_off(ranges: Iterable[tuple[date, date]], start: date, end: date) -> frozenset[date]:
    """Every day from ``start`` to ``end`` (inclusive) that one of the ``(first, last)`` ranges covers."""
    found: set[date] = set()
    for first, last in ranges:
        day = max(first, start)
        while day <= min(last, end):
            found.add(day)
            day += timedelta(days=1)
    return frozenset(found)


def _date_or_none(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
