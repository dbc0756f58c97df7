"""The live streak: the checkpoint stored on the rep, rolled forward, with the last days replayed."""

from __future__ import annotations

from datetime import date, timedelta

from webapp.domain.goals import GoalTargets
from webapp.domain.streaks import DayRecord, StreakState, StreakView, checkpoint_day, roll_checkpoint, streak_today
from webapp.models import User
from webapp.services import hot_sql, prepared


def checkpoint(user: User, today: date) -> StreakState:
    """The streak as stored on the rep: settled through ``as_of``."""
    if user.streak_as_of is None:
        return StreakState.fresh(checkpoint_day(today) + timedelta(days=1))
    return StreakState(
        user.streak_as_of, user.streak_current, user.streak_longest, user.streak_freezes, user.streak_toward_freeze
    )


def live_streak(user: User, today: date, targets: GoalTargets, rows=None) -> tuple[StreakState, StreakView]:
    """The rolled checkpoint and today's view of the streak.

    ``rows`` are the day rows after the checkpoint, when the caller read them already.
    """
    working = user.working_day_set
    state = checkpoint(user, today)
    if rows is None:
        rows = prepared.rows(hot_sql.REPLAY_DAYS, user_id=user.id, since=state.as_of)
    records = {r.local_date: DayRecord(bool(r.goal_met), r.counted) for r in rows if r.local_date is not None}
    dials = {r.local_date: r.dials for r in rows if r.local_date is not None}
    state = roll_checkpoint(state, records, today, working)
    view = streak_today(state, records, today, working, dials_today=dials.get(today, 0), dial_target=targets.dials)
    return state, view
