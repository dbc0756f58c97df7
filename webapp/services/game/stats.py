"""Every counter a badge can ask about, gathered from aggregates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from webapp.domain.badges import PlayerStats
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.reviews import Objection
from webapp.domain.streaks import StreakView
from webapp.extensions import db
from webapp.models import DailyTotal, PlayerTotals, ReviewWeek, User


def best_previous_day(user: User, lifetime, today: date, *, remember: bool = False, stale: bool = False) -> int:
    """The best day's dials before today.

    The max is kept on the lifetime row with the day it was read on, so the
    write path reads it once a day, not on every tap (``remember`` stores
    it; pages only read). ``stale``: calls on an earlier day just changed
    (an offline batch synced late, an undo of yesterday's call), so the kept
    max is read again, and the team's personal bests never show a day that
    is no longer there.
    """
    if lifetime.best_day_as_of == today and not stale:
        return lifetime.best_day_dials
    best = db.session.scalar(
        select(func.coalesce(func.max(DailyTotal.dials), 0)).where(
            DailyTotal.user_id == user.id, DailyTotal.local_date < today
        )
    )
    if remember:
        db.session.execute(
            update(PlayerTotals)
            .where(PlayerTotals.user_id == user.id)
            .values(best_day_dials=best, best_day_as_of=today)
        )
    return best


def objections_reviewed(user_id: int) -> set[str]:
    """Kinds of objection the rep has reviewed, from the weekly aggregate (a hundred rows, not every review)."""
    columns = [func.coalesce(func.sum(getattr(ReviewWeek, o.value)), 0) for o in Objection]
    sums = db.session.execute(select(*columns).where(ReviewWeek.user_id == user_id)).one()
    return {o.value for o, total in zip(Objection, sums, strict=True) if total > 0}


def distinct_objections(user_id: int) -> int:
    """How many kinds of objection the rep has reviewed."""
    return len(objections_reviewed(user_id))


def player_stats(
    user: User,
    lifetime,
    today_row,
    streak: StreakView,
    today: date,
    *,
    distinct_objections_reviewed: int | None = None,
    remember_best: bool = False,
    best_is_stale: bool = False,
) -> PlayerStats:
    """Every counter a badge can ask about, from aggregates (``best_previous_day`` says what
    ``remember_best`` and ``best_is_stale`` do)."""
    return PlayerStats(
        lifetime_dials=lifetime.dials,
        lifetime_outcomes={c: getattr(lifetime, c) for c in OUTCOME_CODES},
        today_dials=today_row.dials if today_row else 0,
        today_meetings=today_row.meeting if today_row else 0,
        bounce_backs=lifetime.bounce_backs,
        goal_days=lifetime.goal_days,
        current_streak=streak.current,
        longest_streak=streak.longest,
        earliest_dial_minute_today=today_row.first_call_minute if today_row else None,
        best_previous_day_dials=best_previous_day(user, lifetime, today, remember=remember_best, stale=best_is_stale),
        reviews=lifetime.reviews,
        resets=lifetime.resets,
        high_fives_given=lifetime.high_fives_given,
        messages_posted=lifetime.messages_posted,
        challenges_reached=lifetime.challenges_reached,
        distinct_objections_reviewed=(
            distinct_objections(user.id) if distinct_objections_reviewed is None else distinct_objections_reviewed
        ),
    )
