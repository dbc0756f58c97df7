"""Streaks: working days in a row on which the rep met the daily dial goal.

The rules, in the rep's words:

- Only working days count. A day off never breaks a streak, and meeting the
  goal on a day off is lovely but does not extend it either.
- Missing the goal on a working day breaks the streak, unless a freeze is
  banked. Every 5 goal days in a row bank one freeze (at most 2 banked); a
  freeze is spent automatically, one per missed working day. A missed day,
  even a frozen one, starts the count to the next freeze again.
- Today is never a miss while it is still going: until the goal is met the
  streak is "at risk", not broken.
- A day is the rep's own working day: in their timezone, starting at their
  ``day_start_hour`` (a call at 03:30 with a 04:00 start belongs to yesterday).

Bounded cost with late calls. Calls can sync up to 7 days late, and must count
on the day they happened, so the last few days are never final. The app keeps
a checkpoint (a ``StreakState`` settled through ``today - REPLAY_WINDOW_DAYS``)
and, on every tap, replays only the days after it with ``streak_today``. The
work per tap is at most ``REPLAY_WINDOW_DAYS + 1`` days whatever the history.
``roll_checkpoint`` moves the checkpoint forward as days become final.

Settings changes never take back an earned day. Each ``DayRecord`` carries
``counted``: whether that day was a working day when it was recorded. A
recorded answer always wins over the current working days; ``None`` (unknown)
falls back to them. So a day stamped as a working goal day keeps counting
after the rep changes their working days, and a day stamped as a day off
stays a day off. Days with no calls have no record and follow the current
setting, so before saving new working days the app should call
``stamp_working_days`` for the replay window with the *old* setting and store
the result. Likewise, the app stores each call's local day when it is
recorded (``local_day``), so a later timezone change never moves a past call
to another day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FREEZE_EVERY = 5  # goal days in a row that earn one freeze
MAX_FREEZES = 2  # a freeze bank, not a hoard: a long absence still ends a streak
REPLAY_WINDOW_DAYS = 8  # offline sync is accepted up to 7 days late, plus today
DEFAULT_WORKING_DAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday-Friday


# --- The rep's day ----------------------------------------------------------


def local_day(occurred_at_utc: datetime, tz_name: str, day_start_hour: int = 0) -> date:
    """The rep's working day for an instant, in their timezone.

    With ``day_start_hour=4`` a call at 03:30 local time still belongs to the
    previous date, so a late-night session counts as one day. DST is handled
    by zoneinfo: the instant is converted first, then the day is read off the
    local wall clock.
    """
    if occurred_at_utc.tzinfo is None or occurred_at_utc.utcoffset() is None:
        raise ValueError("occurred_at_utc must be timezone-aware (UTC).")
    _check_day_start_hour(day_start_hour)
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
    _check_day_start_hour(day_start_hour)
    zone = ZoneInfo(tz_name)
    utc = ZoneInfo("UTC")

    def start_of(d: date) -> datetime:
        # fold=0: in a gap zoneinfo uses the offset from before the jump,
        # which lands on the jump itself for whole-hour starts; in an
        # overlap it picks the first occurrence, so no instant is skipped.
        return datetime.combine(d, time(day_start_hour), tzinfo=zone).astimezone(utc)

    return start_of(day), start_of(day + timedelta(days=1))


def is_working_day(day: date, record: DayRecord | None, working_days: Collection[int]) -> bool:
    """Whether ``day`` counts for the streak: the recorded answer, else the setting."""
    if record is not None and record.counted is not None:
        return record.counted
    return day.weekday() in working_days


# --- State --------------------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    """What the streak needs to know about one day.

    ``goal_met``: the daily dial goal was met that day.
    ``counted``: whether it was a working day when recorded (``None``: unknown,
    use the current working days).
    """

    goal_met: bool = False
    counted: bool | None = None


@dataclass(frozen=True)
class StreakState:
    """A streak settled through ``as_of`` (inclusive): a replayable checkpoint.

    ``toward_freeze`` counts goal days in a row since the last freeze was
    earned (or since the last miss); at ``FREEZE_EVERY`` it banks a freeze.
    """

    as_of: date
    current: int = 0
    longest: int = 0
    freezes: int = 0
    toward_freeze: int = 0

    def __post_init__(self) -> None:
        if min(self.current, self.longest, self.freezes, self.toward_freeze) < 0:
            raise ValueError("Streak counters cannot be negative.")
        if self.freezes > MAX_FREEZES:
            raise ValueError(f"At most {MAX_FREEZES} freezes can be banked.")

    @classmethod
    def fresh(cls, first_day: date) -> StreakState:
        """The state of a new rep whose first day is ``first_day`` (nothing settled yet)."""
        return cls(as_of=first_day - timedelta(days=1))


@dataclass(frozen=True)
class StreakView:
    """The streak as the rep sees it right now, today included if already won.

    ``at_risk``: today is a working day, the goal is not met yet and there is
    a streak to keep (a banked freeze may still save it). ``dials_to_keep``:
    dials still needed today (0 when met or on a day off).
    """

    current: int
    longest: int
    freezes: int
    today_met: bool
    working_today: bool
    dials_to_keep: int
    at_risk: bool


# --- Replay -------------------------------------------------------------------


def advance_streak(
    state: StreakState,
    days: Mapping[date, DayRecord],
    through: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
) -> StreakState:
    """Replay days ``state.as_of + 1`` through ``through`` and return the new state.

    Only days in that range are read from ``days``; a missing day is a day
    without calls. Replaying in two chunks gives the same result as one.
    Returns ``state`` unchanged when ``through`` is not after ``state.as_of``.
    """
    _check_working_days(working_days)
    if through <= state.as_of:
        return state
    current, longest = state.current, state.longest
    freezes, toward = state.freezes, state.toward_freeze
    day = state.as_of + timedelta(days=1)
    while day <= through:
        record = days.get(day)
        if is_working_day(day, record, working_days):
            if record is not None and record.goal_met:
                current += 1
                longest = max(longest, current)
                toward += 1
                if toward == FREEZE_EVERY:
                    # A sixth, seventh... freeze past the cap is simply not
                    # earned; the count restarts either way.
                    toward = 0
                    freezes = min(MAX_FREEZES, freezes + 1)
            else:
                toward = 0
                if current > 0 and freezes > 0:
                    freezes -= 1  # the streak survives; one freeze per missed day
                else:
                    # No streak to save (current == 0) never costs a freeze.
                    current = 0
        # A day off: nothing moves, not even a goal met on it.
        day += timedelta(days=1)
    return StreakState(
        as_of=through,
        current=current,
        longest=longest,
        freezes=freezes,
        toward_freeze=toward,
    )


def checkpoint_day(today: date) -> date:
    """The last day that can no longer change: late calls are accepted for 7 days."""
    return today - timedelta(days=REPLAY_WINDOW_DAYS)


def roll_checkpoint(
    checkpoint: StreakState,
    days: Mapping[date, DayRecord],
    today: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
) -> StreakState:
    """Move the checkpoint forward to ``checkpoint_day(today)``, settling final days.

    Cheap to call on every tap: it does nothing once the checkpoint is current.
    """
    return advance_streak(checkpoint, days, checkpoint_day(today), working_days)


def streak_today(
    checkpoint: StreakState,
    recent_days: Mapping[date, DayRecord],
    today: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
    *,
    dials_today: int = 0,
    dial_target: int = 0,
) -> StreakView:
    """The live streak: settle through yesterday, then add today only if it is won.

    ``recent_days`` needs the days after ``checkpoint.as_of`` up to today.
    Today never breaks anything: an unfinished day is "at risk", not missed.
    ``dials_today`` and ``dial_target`` only feed ``dials_to_keep``.
    """
    if checkpoint.as_of >= today:
        raise ValueError("The checkpoint must be settled before today.")
    yesterday = today - timedelta(days=1)
    settled = advance_streak(checkpoint, recent_days, yesterday, working_days)
    record = recent_days.get(today)
    working = is_working_day(today, record, working_days)
    met = record is not None and record.goal_met
    shown = advance_streak(settled, recent_days, today, working_days) if met else settled
    needed = 0 if met or not working else max(1, dial_target - dials_today)
    return StreakView(
        current=shown.current,
        longest=shown.longest,
        freezes=shown.freezes,
        today_met=met,
        working_today=working,
        dials_to_keep=needed,
        at_risk=working and not met and settled.current > 0,
    )


def stamp_working_days(
    days: Mapping[date, DayRecord],
    first: date,
    last: date,
    working_days: Collection[int],
) -> dict[date, DayRecord]:
    """Records for every day ``first..last`` with ``counted`` filled in from ``working_days``.

    Call it with the *old* working days just before the rep changes them, and
    store the result: the replay window then keeps the meaning it had, so a
    new setting applies from today on and never breaks a streak backwards.
    Answers already recorded are kept as they are.
    """
    _check_working_days(working_days)
    stamped: dict[date, DayRecord] = {}
    day = first
    while day <= last:
        record = days.get(day, DayRecord())
        if record.counted is None:
            record = replace(record, counted=day.weekday() in working_days)
        stamped[day] = record
        day += timedelta(days=1)
    return stamped


def _check_day_start_hour(hour: int) -> None:
    if not 0 <= hour <= 23:
        raise ValueError(f"day_start_hour must be between 0 and 23; got {hour}.")


def _check_working_days(working_days: Collection[int]) -> None:
    invalid = [d for d in working_days if not (isinstance(d, int) and 0 <= d <= 6)]
    if invalid:
        raise ValueError(f"Working days are 0 (Monday) to 6 (Sunday); got {invalid}.")
