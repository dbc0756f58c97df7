"""The rep's day: a date in their own timezone, starting at their own hour.

Every rule that counts days (streaks, goals, time off) reads a call's day
through ``local_day``, and every query for one day's calls through
``day_bounds_utc``, so a late shift and a DST change mean the same thing
everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_day(occurred_at_utc: datetime, tz_name: str, day_start_hour: int = 0) -> date:
    """The rep's working day for an instant, in their timezone.

    With ``day_start_hour=4`` a call at 03:30 local time still belongs to the
    previous date, so a late-night session counts as one day. DST is handled
    by zoneinfo: the instant is converted first, then the day is read off the
    local wall clock.
    """
    if occurred_at_utc.tzinfo is None or occurred_at_utc.utcoffset() is None:
        raise ValueError("occurred_at_utc must be timezone-aware (UTC).")
    check_day_start_hour(day_start_hour)
    local = occurred_at_utc.astimezone(ZoneInfo(tz_name))
    # Shift the wall clock, not the instant: "before 04:00 local belongs to
    # yesterday" is a wall-clock rule, and a DST change must not move it.
    wall = local.replace(tzinfo=None) - timedelta(hours=day_start_hour)
    return wall.date()


def day_bounds_utc(day: date, tz_name: str, day_start_hour: int = 0) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of the rep's ``day``, for queries.

    A day is 23 or 25 hours long across a DST change. If the start hour does
    not exist that day (clocks jump over it) the day starts at the jump,
    which is exactly the first instant ``local_day`` puts on ``day``.
    """
    check_day_start_hour(day_start_hour)
    zone = ZoneInfo(tz_name)
    utc = ZoneInfo("UTC")

    def start_of(d: date) -> datetime:
        # fold=0: in a gap zoneinfo uses the offset from before the jump,
        # which lands on the jump itself for whole-hour starts; in an
        # overlap it picks the first occurrence, so no instant is skipped.
        return datetime.combine(d, time(day_start_hour), tzinfo=zone).astimezone(utc)

    return start_of(day), start_of(day + timedelta(days=1))


def check_day_start_hour(hour: int) -> None:
    """``ValueError`` unless ``hour`` is an hour of the clock (0 to 23)."""
    if not 0 <= hour <= 23:
        raise ValueError(f"day_start_hour must be between 0 and 23; got {hour}.")
