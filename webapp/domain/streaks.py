"""Streaks that reward showing up, and forgive: working days in a row on which the rep showed up.

The rules, in the rep's words:

- A working day counts when I reach my daily *minimum* (10 dials unless I
  set another), or my whole dial goal. Showing up is the habit; the goal is
  the stretch.
- Only working days count. A day off, or a day I marked as time off
  (holiday, sick, training), neither breaks a streak nor extends it, even if
  I dialled on it.
- Meeting the whole goal earns goal days, and every 5 goal days (since the
  last freeze, or the last missed day) bank one streak freeze, at most 2. A
  freeze is spent automatically, one per missed working day.
- A missed working day with no freeze breaks the streak. The next working
  day I can win it back by reaching twice my minimum (once a calendar
  month): the missed day is forgiven and the streak goes on from where it
  was. After that day the chance is gone.
- Today is never a miss while it is still going: until the minimum is
  reached the streak is "at risk", not broken.
- A day is the rep's own working day (see ``webapp.domain.days``).

Bounded cost with late calls. Calls can sync up to 7 days late, and must count
on the day they happened, so the last few days are never final. The app keeps
a checkpoint (a ``StreakState`` settled through ``today - REPLAY_WINDOW_DAYS``)
and, on every tap, replays only the days after it with ``streak_today``. The
work per tap is at most ``REPLAY_WINDOW_DAYS + 1`` days whatever the history.
``roll_checkpoint`` moves the checkpoint forward as days become final. Time
off may likewise be marked up to ``REPLAY_WINDOW_DAYS - 1`` days back: the
days the replay still reads.

Settings changes never take back an earned day. Each ``DayRecord`` carries
what was true when it was recorded: ``counted`` (a working day then), its
``minimum`` and whether the rep ``showed_up`` by it. A recorded answer always
wins over the current settings; ``counted=None`` (unknown) falls back to the
current working days. Days with no calls have no record and follow the
current setting, so before saving new working days the app calls
``stamp_working_days`` for the replay window with the *old* setting.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

# Kept importable from here: the write path and the day summary read the rep's day by these names.
from webapp.domain.days import day_bounds_utc as day_bounds_utc
from webapp.domain.days import local_day as local_day

FREEZE_EVERY = 5  # goal days (since the last freeze or miss) that earn one freeze
MAX_FREEZES = 2  # a freeze bank, not a hoard: a long absence still ends a streak
REPLAY_WINDOW_DAYS = 8  # offline sync is accepted up to 7 days late, plus today
DEFAULT_WORKING_DAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday-Friday
DEFAULT_MINIMUM_DIALS = 10  # a small daily minimum: showing up, not the whole goal
REPAIR_FACTOR = 2  # the day after a miss, twice the minimum wins the streak back
NO_TIME_OFF: frozenset[date] = frozenset()


# --- State --------------------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    """What the streak needs to know about one day, as it was recorded.

    ``showed_up``: the day's ``minimum`` was reached. ``goal_met``: the whole
    dial goal was met. ``counted``: whether it was a working day when
    recorded (``None``: unknown, use the current working days). ``dials``
    and ``minimum`` decide a repair (twice the minimum).
    """

    goal_met: bool = False
    counted: bool | None = None
    showed_up: bool = False
    dials: int = 0
    minimum: int = DEFAULT_MINIMUM_DIALS

    @property
    def kept(self) -> bool:
        """The day counts for the streak: the minimum reached, or the whole goal met."""
        return self.showed_up or self.goal_met

    @property
    def doubled(self) -> bool:
        """Twice the minimum reached: what wins a broken streak back."""
        return self.kept and self.dials >= REPAIR_FACTOR * max(1, self.minimum)


@dataclass(frozen=True)
class StreakState:
    """A streak settled through ``as_of`` (inclusive): a replayable checkpoint.

    ``toward_freeze`` counts goal days since the last freeze was earned (or
    since the last miss); at ``FREEZE_EVERY`` it banks a freeze. ``broken``
    is the streak the last working day's miss (``broken_on``) broke, which the
    next working day may win back; 0 when there is none. ``repaired_on`` is
    the last day a streak was won back (once a calendar month).
    """

    as_of: date
    current: int = 0
    longest: int = 0
    freezes: int = 0
    toward_freeze: int = 0
    broken: int = 0
    broken_on: date | None = None
    repaired_on: date | None = None

    def __post_init__(self) -> None:
        if min(self.current, self.longest, self.freezes, self.toward_freeze, self.broken) < 0:
            raise ValueError("Streak counters cannot be negative.")
        if self.freezes > MAX_FREEZES:
            raise ValueError(f"At most {MAX_FREEZES} freezes can be banked.")
        if (self.broken > 0) != (self.broken_on is not None):
            raise ValueError("A broken streak needs the day that broke it, and only then.")

    @classmethod
    def fresh(cls, first_day: date) -> StreakState:
        """The state of a new rep whose first day is ``first_day`` (nothing settled yet)."""
        return cls(as_of=first_day - timedelta(days=1))


@dataclass(frozen=True)
class StreakView:
    """The streak as the rep sees it right now, today included if already won.

    - ``current``, ``longest``, ``freezes``: the streak, the best one, freezes banked.
    - ``today_met``: today already counts (the minimum reached, or the whole goal).
    - ``working_today``: today is a working day and not time off; ``time_off_today``:
      the rep marked today as time off.
    - ``minimum``: today's minimum (as today's row recorded it, else the setting).
    - ``dials_to_keep``: dials still needed today to reach the minimum (0 when
      met, on a day off or on time off). ``at_risk``: a working day, the
      minimum not reached yet and a streak to keep (a freeze may still save it).
    - ``missed_on``: the working day whose miss broke the streak, when today is
      the day that may win it back (the morning after); else ``None``.
      ``missed_when``: that day as the screen says it ("Yesterday", "Friday").
    - ``repair_streak``: the streak a repair wins back (or won back today);
      ``repair_dials``: the dials today that win it (twice the minimum);
      ``repair_dials_needed``: dials still needed for it. All 0 when no repair
      is on offer (nothing broken, a freeze saved it, or this month's repair
      is used). ``repaired_today``: today's dials won the streak back.
    - ``hidden``: the rep hides the streak counter (and their own rank).
    """

    current: int
    longest: int
    freezes: int
    today_met: bool
    working_today: bool
    dials_to_keep: int
    at_risk: bool
    minimum: int = DEFAULT_MINIMUM_DIALS
    time_off_today: bool = False
    missed_on: date | None = None
    missed_when: str = ""
    repair_streak: int = 0
    repair_dials: int = 0
    repair_dials_needed: int = 0
    repaired_today: bool = False
    hidden: bool = False

    @property
    def repair_offered(self) -> bool:
        """Twice the minimum today would still win a broken streak back."""
        return self.repair_dials_needed > 0


def daily_minimum(setting: int | None, dial_goal: int) -> int:
    """The dials that keep the streak on a day: the rep's minimum, never more than their whole dial goal."""
    return max(1, min(setting or DEFAULT_MINIMUM_DIALS, dial_goal))


# --- Replay -------------------------------------------------------------------


def is_working_day(day: date, record: DayRecord | None, working_days: Collection[int]) -> bool:
    """Whether ``day`` was a working day: the recorded answer, else the setting."""
    if record is not None and record.counted is not None:
        return record.counted
    return day.weekday() in working_days


def counts_for_streak(
    day: date, record: DayRecord | None, working_days: Collection[int], time_off: Collection[date] = NO_TIME_OFF
) -> bool:
    """Whether ``day`` can keep or break the streak: a working day that is not time off."""
    return day not in time_off and is_working_day(day, record, working_days)


def can_repair(repaired_on: date | None, day: date) -> bool:
    """Whether a repair on ``day`` is allowed: none yet in that calendar month."""
    return repaired_on is None or (repaired_on.year, repaired_on.month) != (day.year, day.month)


def advance_streak(
    state: StreakState,
    days: Mapping[date, DayRecord],
    through: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
    time_off: Collection[date] = NO_TIME_OFF,
) -> StreakState:
    """Replay days ``state.as_of + 1`` through ``through`` and return the new state.

    Only days in that range are read from ``days`` and ``time_off``; a
    missing day is a day without calls. Replaying in two chunks gives the
    same result as one. Returns ``state`` unchanged when ``through`` is not
    after ``state.as_of``.
    """
    _check_working_days(working_days)
    if through <= state.as_of:
        return state
    # Plain locals, not a new state per day: this runs three times on every tap.
    current, longest, freezes, toward = state.current, state.longest, state.freezes, state.toward_freeze
    broken, broken_on, repaired_on = state.broken, state.broken_on, state.repaired_on
    for offset in range(1, (through - state.as_of).days + 1):
        day = state.as_of + timedelta(days=offset)
        record = days.get(day)
        if not counts_for_streak(day, record, working_days, time_off):
            continue  # a day off or time off: nothing moves, not even calls made on it
        if record is not None and record.kept:
            # Showed up: the streak grows, or is won back (the missed day forgiven).
            if broken > 0 and record.doubled and can_repair(repaired_on, day):
                current, repaired_on = broken + 1, day
            else:
                current += 1
            longest = max(longest, current)
            broken, broken_on = 0, None
            if record.goal_met:
                toward += 1
                if toward == FREEZE_EVERY:
                    # A third freeze past the cap is simply not earned; the count restarts either way.
                    toward, freezes = 0, min(MAX_FREEZES, freezes + 1)
        elif current > 0 and freezes > 0:
            # Missed, and a freeze covers it: the streak survives, one freeze per missed day.
            freezes, toward, broken, broken_on = freezes - 1, 0, 0, None
        elif current > 0:
            # Missed: the streak breaks, and the next working day may win it back.
            current, toward, broken, broken_on = 0, 0, current, day
        else:
            # No streak to save never costs a freeze; a second miss ends the chance to win one back.
            toward, broken, broken_on = 0, 0, None
    return StreakState(through, current, longest, freezes, toward, broken, broken_on, repaired_on)


def checkpoint_day(today: date) -> date:
    """The last day that can no longer change: late calls are accepted for 7 days."""
    return today - timedelta(days=REPLAY_WINDOW_DAYS)


def roll_checkpoint(
    checkpoint: StreakState,
    days: Mapping[date, DayRecord],
    today: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
    time_off: Collection[date] = NO_TIME_OFF,
) -> StreakState:
    """Move the checkpoint forward to ``checkpoint_day(today)``, settling final days.

    Cheap to call on every tap: it does nothing once the checkpoint is current.
    """
    return advance_streak(checkpoint, days, checkpoint_day(today), working_days, time_off)


def streak_today(
    checkpoint: StreakState,
    recent_days: Mapping[date, DayRecord],
    today: date,
    working_days: Collection[int] = DEFAULT_WORKING_DAYS,
    *,
    minimum: int = DEFAULT_MINIMUM_DIALS,
    time_off: Collection[date] = NO_TIME_OFF,
) -> StreakView:
    """The live streak: settle through yesterday, then add today only if it is won.

    ``recent_days`` needs the days after ``checkpoint.as_of`` up to today.
    Today never breaks anything: an unfinished day is "at risk", not missed.
    ``minimum`` is the rep's setting, used while today has no record yet.
    """
    if checkpoint.as_of >= today:
        raise ValueError("The checkpoint must be settled before today.")
    settled = advance_streak(checkpoint, recent_days, today - timedelta(days=1), working_days, time_off)
    record = recent_days.get(today)
    working = counts_for_streak(today, record, working_days, time_off)
    kept = record is not None and record.kept
    shown = advance_streak(settled, recent_days, today, working_days, time_off) if kept else settled
    dials = record.dials if record is not None else 0
    minimum = record.minimum if record is not None else minimum
    view = StreakView(
        current=shown.current,
        longest=shown.longest,
        freezes=shown.freezes,
        today_met=kept,
        working_today=working,
        dials_to_keep=0 if kept or not working else max(1, minimum - dials),
        at_risk=working and not kept and settled.current > 0,
        minimum=minimum,
        time_off_today=today in time_off,
    )
    if not (working and settled.broken > 0 and can_repair(settled.repaired_on, today)):
        return view
    repaired = shown.repaired_on == today
    target = REPAIR_FACTOR * max(1, minimum)
    return replace(
        view,
        missed_on=settled.broken_on,
        missed_when=_when(settled.broken_on, today),
        repair_streak=settled.broken,
        repair_dials=target,
        repair_dials_needed=0 if repaired else max(1, target - dials),
        repaired_today=repaired,
    )


def _when(day: date | None, today: date) -> str:
    """A past day as a rep says it: "Yesterday", a weekday this past week ("Friday"), else "3 Nov"."""
    if day is None:
        return ""
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%A}" if (today - day).days < 7 else f"{day.day} {day:%b}"


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


def _check_working_days(working_days: Collection[int]) -> None:
    invalid = [d for d in working_days if not (isinstance(d, int) and 0 <= d <= 6)]
    if invalid:
        raise ValueError(f"Working days are 0 (Monday) to 6 (Sunday); got {invalid}.")
