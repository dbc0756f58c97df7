"""What an undo takes back: the milestones its calls made true, and no more.

A Sale tapped by mistake and undone must not leave "First sale" in the wins
log and the team feed forever, or the rep's real first sale is never
celebrated. So after an undo, every milestone the calls could have made
true is checked again on the numbers after it: badges (the rule is
``domain.badges.no_longer_earned``), level wins, goal wins, reward hits and
personal bests of the days the calls were on. What is no longer true is
withdrawn, with its wins-log entry (and so its feed item and high-fives), and
can be earned again. A streak reached or a review written cannot be undone
by a tap, and what they earned stays.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, func, select

from webapp.domain.badges import PlayerStats, no_longer_earned
from webapp.domain.celebrations import reward_value
from webapp.domain.goals import GoalTargets, goal_progress
from webapp.domain.levels import level_for
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.streaks import day_bounds_utc
from webapp.extensions import db
from webapp.models import Call, DailyTotal, EarnedBadge, Reward, RewardHit, User, Win
from webapp.services.game import totals
from webapp.services.game.wins import remove_win


def take_back(user: User, days: dict[date, object], lifetime, targets: GoalTargets, xp_after: int) -> None:
    """Withdraw what the undone calls had made true; ``days`` are their day rows after the undo."""
    minutes = {day: _first_call_minute(user, day) for day in days}
    for day, minute in minutes.items():
        db.session.execute(
            DailyTotal.__table__.update()
            .where(DailyTotal.user_id == user.id, DailyTotal.local_date == day)
            .values(first_call_minute=minute)
        )
    held_on = dict(
        db.session.execute(select(EarnedBadge.code, EarnedBadge.local_date).where(EarnedBadge.user_id == user.id)).all()
    )
    day_stats = {
        day: PlayerStats(
            today_dials=row.dials,
            today_meetings=row.meeting,
            earliest_dial_minute_today=minutes[day],
            best_previous_day_dials=_best_before(user, day),
        )
        for day, row in days.items()
        if day in held_on.values()
    }
    for badge in no_longer_earned(held_on, _lifetime_stats(lifetime), day_stats):
        db.session.execute(delete(EarnedBadge).where(EarnedBadge.user_id == user.id, EarnedBadge.code == badge.code))
        remove_win(user, f"badge:{badge.code}")
    _withdraw_levels(user, xp_after)
    for day, row in days.items():
        counts = totals.counts_of(row)
        day_targets = GoalTargets(row.dial_target or targets.dials, targets.conversations, targets.follow_ups)
        for ring in goal_progress(counts, day_targets):
            if not ring.met:
                remove_win(user, f"goal:{day}:{ring.kind.value}")
        _withdraw_rewards(user, day, counts)
        if row.dials <= _best_before(user, day):
            remove_win(user, f"best:{day}")


def _lifetime_stats(lifetime) -> PlayerStats:
    return PlayerStats(
        lifetime_dials=lifetime.dials,
        lifetime_outcomes={code: getattr(lifetime, code) for code in OUTCOME_CODES},
        bounce_backs=lifetime.bounce_backs,
        goal_days=lifetime.goal_days,
    )


def _first_call_minute(user: User, day: date) -> int | None:
    """The day's earliest live call, in local minutes after midnight (an undo may have taken the first)."""
    start, end = day_bounds_utc(day, user.timezone, user.day_start_hour or 0)
    # The stored local day decides; the time range, a day wider each side, lets the (user, time) index serve.
    first = db.session.scalar(
        select(func.min(Call.occurred_at)).where(
            Call.user_id == user.id,
            Call.occurred_at >= start - timedelta(days=1),
            Call.occurred_at < end + timedelta(days=1),
            Call.local_date == day,
            Call.undone_at.is_(None),
        )
    )
    return totals.local_minute(first, user.timezone) if first is not None else None


def _best_before(user: User, day: date) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(DailyTotal.dials), 0)).where(
            DailyTotal.user_id == user.id, DailyTotal.local_date < day
        )
    )


def _withdraw_levels(user: User, xp_after: int) -> None:
    """Level wins above the level the rep is at now (they can be reached again)."""
    level = level_for(max(0, xp_after))
    refs = db.session.scalars(select(Win.ref).where(Win.user_id == user.id, Win.kind == "level")).all()
    for ref in refs:
        if int(ref.split(":")[1]) > level:
            remove_win(user, ref)


def _withdraw_rewards(user: User, day: date, counts) -> None:
    """Rewards reached on ``day`` that its calls no longer reach: the hit and its win go."""
    rows = db.session.execute(
        select(Reward.id, Reward.metric, Reward.threshold)
        .join(RewardHit, RewardHit.reward_id == Reward.id)
        .where(Reward.user_id == user.id, RewardHit.local_date == day)
    ).all()
    for reward_id, metric, threshold in rows:
        if reward_value(metric, counts) < threshold:
            db.session.execute(delete(RewardHit).where(RewardHit.reward_id == reward_id, RewardHit.local_date == day))
            remove_win(user, f"reward:{reward_id}:{day}")


def take_points_back(user: User, points_by_day: dict[date, int], targets: GoalTargets) -> int:
    """Take points earned beside the calls (their reviews) off the days they were added to; the total."""
    for day, points in points_by_day.items():
        if points:
            totals.add_points_to_day(user, day, -points, targets)
    return sum(points_by_day.values())
