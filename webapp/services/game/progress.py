"""The game's part of the one write path: totals, streak, goals, badges, wins, rewards, celebrations.

``apply_calls`` runs inside the transaction of ``record_calls`` and
``undo_calls`` (a tap, a synced batch or undos alike); ``award_activity``
inside that of a review, a reset, a high-five or a post. Both read only
aggregates (the day rows of the replay window, the lifetime totals, the
badges held), so a tap costs the same with ten calls of history as with a
hundred thousand. Neither calls out to the team or coaching: the write path
that called them does that next, with what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain import celebrations as cheer
from webapp.domain.badges import newly_earned
from webapp.domain.goals import DayCounts, goal_progress, goals_newly_met
from webapp.domain.levels import level_progress, levels_crossed
from webapp.domain.streaks import StreakState
from webapp.extensions import db
from webapp.models import Call, RewardHit, User
from webapp.services import hot_sql, prepared
from webapp.services.game import totals, wins, withdraw
from webapp.services.game.badges import held_badges
from webapp.services.game.rewards import rewards_today
from webapp.services.game.state import GameState, targets_for
from webapp.services.game.stats import player_stats
from webapp.services.game.streak import checkpoint, live_streak, minimum_of
from webapp.services.today import DaySummary, today_for


@dataclass(frozen=True)
class GameChange:
    """What the game made of a change: the state to show, the celebrations, and the rep's team."""

    state: GameState
    celebrations: tuple[cheer.Celebration, ...] = ()
    team_id: int | None = None


@dataclass(frozen=True)
class _Ties:
    """What the rep is tied to that a tap may touch: their team, their rewards, their badges."""

    team_id: int | None
    rewards: int
    badges: frozenset[str]

    @classmethod
    def of(cls, row) -> _Ties:
        """From a row of ``REPLAY_DAYS_AND_TIES`` (badge codes come comma-joined)."""
        return cls(row.team_id, row.rewards or 0, frozenset(filter(None, (row.badges or "").split(","))))


def apply_calls(
    user: User, calls: list[Call], sign: int, now: datetime, *, review_points: dict[date, int] | None = None
) -> GameChange:
    """Move every game number by some calls at once (a tap is one; a synced batch, many).

    Aggregates move per call day in one statement each; the streak, badges,
    level and celebrations are evaluated once for the whole set, so a batch
    of a thousand offline taps costs a few statements more than one tap.
    An undo (``sign`` -1) also takes back the points its calls' reviews
    earned (``review_points``, by the day they were added to) and every
    milestone it made untrue (``withdraw.take_back``).
    """
    today = today_for(user, now)
    targets = targets_for(user)
    points = sign * sum(call.points for call in calls)
    if sign < 0 and review_points:
        points -= withdraw.take_points_back(user, review_points, targets)
    days, goal_changed = {}, 0
    for _, day_calls in sorted(totals.by_day(calls).items()):  # rows locked in one order: no deadlock
        row = totals.add_calls_to_day(user, day_calls, sign, targets)
        days[row.local_date] = row
        target = row.dial_target or targets.dials
        goal_changed += int(bool(row.goal_met)) - int(row.dials - sign * len(day_calls) >= target)
    increments = {
        "dials": sign * len(calls),
        "goal_days": goal_changed,
        "bounce_backs": sign * sum(call.bounce_back for call in calls),
    }
    for call in calls:
        increments[call.outcome] = increments.get(call.outcome, 0) + sign
    lifetime = totals.add_to_lifetime(user.id, increments)
    # One query for the streak's replay days and the rep's ties (team, rewards, badges).
    rows = prepared.rows(hot_sql.REPLAY_DAYS_AND_TIES, user_id=user.id, since=checkpoint(user, today).as_of)
    streak_state, streak = live_streak(user, today, rows)
    last_at, last_outcome = _latest_call(user, calls, sign)
    # The XP the database holds after this change (another tap may have moved it since the rep was loaded).
    xp_after = save_player(user, points, streak_state, last_at, last_outcome)
    xp_before = xp_after - points
    ties = _Ties.of(rows[0])
    held = set(ties.badges)
    today_row = days.get(today) or totals.day_row(user, today)
    # Calls never change the objection count: review badges are awarded by the review itself.
    # An earlier day that moved (a late sync, an undo of yesterday's call) may have moved the best before today.
    stale_best = any(day < today for day in days)
    stats = player_stats(
        user,
        lifetime,
        today_row,
        streak,
        today,
        distinct_objections_reviewed=0,
        remember_best=True,
        best_is_stale=stale_best,
    )
    awarded = [b for b in newly_earned(stats, held) if b.metric != "distinct_objections_reviewed"] if sign > 0 else []
    _award_badges(user, awarded, now, today)
    for call in calls:
        wins.log_call_wins(user, call, sign)
    _log_levels(user, xp_before, xp_after, now, today)
    if sign < 0:
        withdraw.take_back(user, days, lifetime, targets, xp_after)
    if stats.best_previous_day_dials and today in days:
        wins.log_personal_best(user, stats, sign, now, today)
    # A rep who hides their streak is not shown it in the wins log or the team feed either.
    if sign > 0 and streak.today_met and not streak.hidden and streak.current in wins.STREAK_MILESTONES:
        wins.log_win(
            user,
            "streak",
            f"streak:{streak.current}:{today}",
            f"{streak.current}-day streak",
            "Working days in a row you showed up",
            now,
            today,
        )

    after_counts = totals.counts_of(today_row)
    celebrations: list[cheer.Celebration] = []
    if sign > 0:
        todays = [call for call in calls if call.local_date == today]
        before_counts = _without(after_counts, todays, sign)
        rewards, hits = rewards_today(user, today) if todays and ties.rewards else ([], set())
        before = cheer.TapSnapshot(xp_before, before_counts, targets, frozenset(held))
        after = cheer.TapSnapshot(xp_after, after_counts, targets, frozenset(held | {b.code for b in awarded}))
        for reward in cheer.rewards_reached(rewards, before.counts, after.counts, hits):
            db.session.add(RewardHit(reward_id=reward.id, local_date=today))
            wins.log_win(user, "reward", f"reward:{reward.id}:{today}", f"Reward: {reward.label}", "", now, today)
        # The tap that makes today count for the streak may reach a milestone (and only that tap).
        counts_from = min(today_row.min_dials or minimum_of(user), targets.dials) if today_row else 0
        made_today_count = streak.today_met and before_counts.dials < counts_from <= after_counts.dials
        streak_reached = streak.current if made_today_count and not streak.hidden else None
        celebrations = cheer.celebrations_for_tap(before, after, rewards, hits, streak_reached=streak_reached)
        for ring in goals_newly_met(before.counts, after.counts, targets):
            wins.log_win(
                user,
                "goal",
                f"goal:{today}:{ring.kind.value}",
                f"{ring.label} goal met",
                f"{ring.done} of {ring.target}",
                now,
                today,
            )
    summary = DaySummary(today, today_row.dials, today_row.points, dict(after_counts.by_outcome)) if today_row else None
    state = GameState(level_progress(max(0, user.xp)), streak, goal_progress(after_counts, targets), targets, summary)
    return GameChange(state, tuple(celebrations), ties.team_id)


def award_activity(
    user: User,
    now: datetime,
    *,
    points: int = 0,
    counters: dict[str, int] | None = None,
    distinct_objections_reviewed: int | None = None,
) -> GameChange:
    """Credit something that is not a call (a review, a reset, a high-five...) to the game.

    Adds ``points`` to today's aggregate and the rep's XP and ``counters`` to
    the lifetime totals (for example ``{"reviews": 1}``), then awards any
    badge now earned, inside the caller's transaction. The caller moves the
    team's version when points changed (a live points board shows them).
    """
    today = today_for(user, now)
    targets = targets_for(user)
    counters = {k: v for k, v in (counters or {}).items() if v}
    today_row = totals.add_points_to_day(user, today, points, targets) if points else totals.day_row(user, today)
    lifetime = totals.add_to_lifetime(user.id, counters)
    streak_state, streak = live_streak(user, today)
    xp_before = save_player(user, points, streak_state, user.last_call_at, user.last_call_outcome) - points
    held = held_badges(user.id)
    stats = player_stats(
        user,
        lifetime,
        today_row,
        streak,
        today,
        distinct_objections_reviewed=distinct_objections_reviewed,
        remember_best=True,
    )
    awarded = newly_earned(stats, held)
    _award_badges(user, awarded, now, today)
    _log_levels(user, xp_before, user.xp or 0, now, today)
    counts = totals.counts_of(today_row)
    before = cheer.TapSnapshot(xp_before, counts, targets, frozenset(held))
    after = cheer.TapSnapshot(user.xp or 0, counts, targets, frozenset(held | {b.code for b in awarded}))
    state = GameState(level_progress(max(0, user.xp or 0)), streak, goal_progress(counts, targets), targets)
    return GameChange(state, tuple(cheer.celebrations_for_tap(before, after)))


def save_player(
    user: User, points: int, streak: StreakState, last_call_at: datetime | None, last_call_outcome: str | None
) -> int:
    """The one write of the rep's row: XP (added in SQL, two taps may race), streak checkpoint, latest call.

    Returns the XP after, as the database holds it.
    """
    values = {
        "streak_as_of": streak.as_of,
        "streak_current": streak.current,
        "streak_longest": streak.longest,
        "streak_freezes": streak.freezes,
        "streak_toward_freeze": streak.toward_freeze,
        "streak_broken": streak.broken,
        "streak_broken_on": streak.broken_on,
        "streak_repaired_on": streak.repaired_on,
        "last_call_at": last_call_at,
        "last_call_outcome": last_call_outcome,
    }
    xp = prepared.run(hot_sql.SAVE_PLAYER, {"user_id": user.id, "points": points, **values}).scalar_one()
    # The row changed in SQL; keep the loaded object in step without a reload.
    for name, value in values.items():
        set_committed_value(user, name, value)
    set_committed_value(user, "xp", xp)
    return xp


def _latest_call(user: User, calls: list[Call], sign: int) -> tuple[datetime | None, str | None]:
    """The rep's latest call after this change, as the bounce back needs it."""
    latest = max(calls, key=lambda call: call.occurred_at)
    if sign > 0 and (user.last_call_at is None or latest.occurred_at >= user.last_call_at):
        return latest.occurred_at, latest.outcome
    if sign < 0 and user.last_call_at == latest.occurred_at:
        return user.last_call_at, None  # an undone no sets up no bounce back
    return user.last_call_at, user.last_call_outcome


def _award_badges(user: User, awarded, now: datetime, today: date) -> None:
    for badge in awarded:
        prepared.run(
            hot_sql.INSERT_BADGE, {"user_id": user.id, "code": badge.code, "earned_at": now, "local_date": today}
        )
        wins.log_win(user, "badge", f"badge:{badge.code}", f"Badge: {badge.name}", badge.description, now, today)


def _log_levels(user: User, xp_before: int, xp_after: int, now: datetime, today: date) -> None:
    for level in levels_crossed(xp_before, xp_after):
        wins.log_win(user, "level", f"level:{level}", f"Reached level {level}", "", now, today)


def _without(counts: DayCounts, calls: list[Call], sign: int) -> DayCounts:
    """The tally as it was before these calls were added (or removed)."""
    by_outcome = dict(counts.by_outcome)
    for call in calls:
        by_outcome[call.outcome] = by_outcome.get(call.outcome, 0) - sign
    return DayCounts(dials=counts.dials - sign * len(calls), by_outcome=by_outcome)
