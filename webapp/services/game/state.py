"""What the screen shows of the game right now: level, streak, goal rings, targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from webapp.domain.goals import DEFAULT_TARGETS, GoalProgress, GoalTargets, goal_progress, suggested_targets
from webapp.domain.levels import LevelProgress, level_progress
from webapp.domain.streaks import StreakView
from webapp.extensions import db
from webapp.models import DailyTotal, User
from webapp.services.game.streak import live_streak
from webapp.services.game.totals import counts_of, day_row
from webapp.services.today import DaySummary, today_for


@dataclass(frozen=True)
class GameState:
    """What the main screen shows of the game right now."""

    level: LevelProgress
    streak: StreakView
    goals: list[GoalProgress]
    targets: GoalTargets
    today: DaySummary | None = None  # today's tally, when the write path already read it


def targets_for(user: User) -> GoalTargets:
    """The rep's daily targets, defaults where unset."""
    return GoalTargets(
        dials=user.goal_dials or DEFAULT_TARGETS.dials,
        conversations=user.goal_conversations or DEFAULT_TARGETS.conversations,
        follow_ups=user.goal_follow_ups or DEFAULT_TARGETS.follow_ups,
    )


def game_state(user: User, now: datetime | None = None) -> GameState:
    """The game as the main screen shows it, read from aggregates only (writes nothing)."""
    today = today_for(user, now)
    targets = targets_for(user)
    _, streak = live_streak(user, today)
    return GameState(
        level_progress(max(0, user.xp or 0)), streak, goal_progress(counts_of(day_row(user, today)), targets), targets
    )


def suggestions_for(user: User, now: datetime | None = None) -> GoalTargets:
    """Suggested targets from the rep's last ten working days with calls."""
    today = today_for(user, now)
    rows = db.session.scalars(
        select(DailyTotal)
        .where(DailyTotal.user_id == user.id, DailyTotal.local_date < today, DailyTotal.dials > 0)
        .order_by(DailyTotal.local_date.desc())
        .limit(30)
    ).all()
    working = user.working_day_set
    days = [counts_of(r) for r in rows if (r.counted if r.counted is not None else r.local_date.weekday() in working)]
    return suggested_targets(list(reversed(days[:10])))
