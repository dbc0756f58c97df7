"""The live streak: the checkpoint stored on the rep, rolled forward, with the last days replayed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from webapp.domain.goals import DEFAULT_TARGETS
from webapp.domain.streaks import (
    DayRecord,
    StreakState,
    StreakView,
    checkpoint_day,
    daily_minimum,
    roll_checkpoint,
    streak_today,
)
from webapp.domain.time_off import days_off
from webapp.models import User
from webapp.services import hot_sql, prepared


def checkpoint(user: User, today: date) -> StreakState:
    """The streak as stored on the rep: settled through ``as_of``."""
    if user.streak_as_of is None:
        return StreakState.fresh(checkpoint_day(today) + timedelta(days=1))
    broken = (user.streak_broken or 0) if user.streak_broken_on is not None else 0
    return StreakState(
        user.streak_as_of,
        user.streak_current,
        user.streak_longest,
        user.streak_freezes,
        user.streak_toward_freeze,
        broken,
        user.streak_broken_on if broken else None,
        user.streak_repaired_on,
    )


def minimum_of(user: User) -> int:
    """The dials that keep the rep's streak today: their minimum, at most their dial goal."""
    return daily_minimum(user.min_dials, user.goal_dials or DEFAULT_TARGETS.dials)


def day_record(row, minimum: int) -> DayRecord:
    """A day row (a model or a returned row) as the streak rules see it."""
    return DayRecord(
        goal_met=bool(row.goal_met),
        counted=row.counted,
        showed_up=bool(row.showed_up),
        dials=row.dials or 0,
        minimum=row.min_dials or minimum,
    )


def time_off_in(packed: str | None, after: date, through: date) -> frozenset[date]:
    """The days of time off from ``after`` (exclusive) to ``through``, from the replay query's packed text."""
    ranges = []
    for span in filter(None, (packed or "").split(",")):
        first, last = span.split(":")
        ranges.append((date.fromisoformat(first), date.fromisoformat(last)))
    return days_off(ranges, after + timedelta(days=1), through)


def live_streak(user: User, today: date, rows=None) -> tuple[StreakState, StreakView]:
    """The rolled checkpoint and today's view of the streak.

    ``rows`` are the rows of ``REPLAY_DAYS`` (or ``REPLAY_DAYS_AND_TIES``)
    after the checkpoint, when the caller read them already; the first row
    always exists and carries the rep's time off.
    """
    working = user.working_day_set
    minimum = minimum_of(user)
    state = checkpoint(user, today)
    if rows is None:
        rows = prepared.rows(hot_sql.REPLAY_DAYS, user_id=user.id, since=state.as_of)
    records = {r.local_date: day_record(r, minimum) for r in rows if r.local_date is not None}
    time_off = time_off_in(rows[0].time_off if rows else None, state.as_of, today)
    state = roll_checkpoint(state, records, today, working, time_off)
    view = streak_today(state, records, today, working, minimum=minimum, time_off=time_off)
    return state, replace(view, hidden=bool(user.hide_streak))
