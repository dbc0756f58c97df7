"""Coach signals: who may need a hand today, why in words, and one kind thing to do about it.

Four flags per member, for today only, each from the member's own numbers
(never against a teammate's):

- **not started**: a working day, no dial yet, and the team's start time
  (set by the coach) has passed;
- **run of no's**: as many no's in a row as the rep's own reset threshold, or
  more, and no reset taken since the run began;
- **below their usual pace**: fewer than half the dials they usually have by
  this time of day (the median of their recent working days at this minute);
- **streak about to break**: a streak to keep, the daily minimum not reached,
  and less than three hours of the rep's day left.

Each flag suggests one action: a kind word, preset here, that the coach can
send as it is or rewrite. Pure: the service passes plain numbers and the
minute of the day, so the rules test as tables over a frozen clock. The words
are English, marked for the catalogue (``wording``); the coach's page
translates them as it renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from webapp.domain.wording import N_, N_plural, Worded, worded

STREAK_WARNING_MINUTES = 180  # the last three hours of the rep's day
PACE_SHARE = 0.5  # "below their usual pace": under half of their usual dials by now
PACE_MIN_USUAL = 6  # a usual pace of a handful of dials says too little to flag
PACE_MIN_DAYS = 3  # working days of history before a usual pace is known


class Flag(StrEnum):
    """What a coach signal is about."""

    NOT_STARTED = "not_started"
    NO_RUN = "no_run"
    BELOW_PACE = "below_pace"
    STREAK_AT_RISK = "streak_at_risk"


FLAG_LABELS = {
    Flag.NOT_STARTED: N_("Not started"),
    Flag.NO_RUN: N_("Run of no's"),
    Flag.BELOW_PACE: N_("Below their pace"),
    Flag.STREAK_AT_RISK: N_("Streak at risk"),
}

KIND_WORDS = {
    Flag.NOT_STARTED: N_("Morning! The first dial is the hardest one. You've got this."),
    Flag.NO_RUN: N_("Tough run. That's the numbers, not you. A two-minute reset, then the next one?"),
    Flag.BELOW_PACE: N_(
        "Slow days happen to everyone. Pick one easy call to get rolling. I'm here if you want a hand."
    ),
    Flag.STREAK_AT_RISK: N_("A few dials keep your streak alive today. Go get them!"),
}


@dataclass(frozen=True)
class MemberToday:
    """A member's day as the signals read it (team-local minutes; plain numbers)."""

    minute_now: int  # minutes after midnight in the team's timezone
    start_by_minute: int  # the coach's start time, same clock
    working_today: bool  # a working day for the rep, and not time off
    dials_today: int
    no_run: int  # no's in a row just now
    reset_after: int  # the rep's own reset threshold
    reset_since_run: bool  # a reset was taken since the run began
    usual_by_now: int | None  # median dials by this minute on recent working days (None: not known)
    streak: int
    streak_at_risk: bool  # a streak to keep and today's minimum not reached
    dials_to_keep: int
    minutes_left: int  # minutes until the rep's day ends


@dataclass(frozen=True)
class Signal:
    """One flag, why in words (worded, to be translated with its numbers), and the kind word it suggests."""

    flag: Flag
    why: Worded
    kind_word: str

    @property
    def label(self) -> str:
        """The flag in words."""
        return FLAG_LABELS[self.flag]


def clock(minute: int) -> str:
    """Minutes after midnight as "09:30"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def signals_for(day: MemberToday) -> list[Signal]:
    """The flags a member raises right now, in a fixed order (the most urgent first)."""
    found: list[Signal] = []

    def flag(kind: Flag, why: Worded) -> None:
        found.append(Signal(kind, why, KIND_WORDS[kind]))

    if day.no_run >= max(1, day.reset_after) and not day.reset_since_run:
        flag(
            Flag.NO_RUN,
            N_plural(
                "%(num)s no in a row (their reset comes at %(after)s), and no reset yet.",
                "%(num)s no's in a row (their reset comes at %(after)s), and no reset yet.",
                day.no_run,
                after=day.reset_after,
            ),
        )
    if day.working_today and day.dials_today == 0 and day.minute_now >= day.start_by_minute:
        flag(
            Flag.NOT_STARTED,
            worded(
                N_("No dial yet at %(now)s; the team starts by %(start)s."),
                now=clock(day.minute_now),
                start=clock(day.start_by_minute),
            ),
        )
    elif is_below_pace(day):
        flag(
            Flag.BELOW_PACE,
            N_plural(
                "%(num)s dial by %(now)s; on a usual day they have %(usual)s by now.",
                "%(num)s dials by %(now)s; on a usual day they have %(usual)s by now.",
                day.dials_today,
                now=clock(day.minute_now),
                usual=day.usual_by_now,
            ),
        )
    if day.streak_at_risk and day.streak > 0 and day.minutes_left <= STREAK_WARNING_MINUTES:
        streak = N_plural("A %(num)s-day streak", "A %(num)s-day streak", day.streak)
        flag(
            Flag.STREAK_AT_RISK,
            N_plural(
                "%(streak)s needs %(num)s more dial, with about %(hours)s h of their day left.",
                "%(streak)s needs %(num)s more dials, with about %(hours)s h of their day left.",
                day.dials_to_keep,
                streak=streak,
                hours=max(1, round(day.minutes_left / 60)),
            ),
        )
    return found


def is_below_pace(day: MemberToday) -> bool:
    """Under half the usual dials by this time, when the usual pace is known and worth comparing."""
    usual = day.usual_by_now
    if not day.working_today or usual is None or usual < PACE_MIN_USUAL:
        return False
    return day.dials_today < usual * PACE_SHARE


def usual_by_now(days: Sequence[Sequence[int]], minute: int) -> int | None:
    """The median number of dials made before ``minute`` on each past working day.

    ``days`` holds each day's call times (team-local minutes). Fewer than
    :data:`PACE_MIN_DAYS` days of history: not known yet (``None``).
    """
    if len(days) < PACE_MIN_DAYS:
        return None
    return int(median(sum(1 for at in times if at < minute) for times in days))


def flags_first(rows: Sequence[tuple[int, str]]) -> list[int]:
    """Indexes of ``(flag count, name)`` rows, the most flags first, then by name: the coach's default order."""
    return sorted(range(len(rows)), key=lambda i: (-rows[i][0], rows[i][1].casefold()))
