"""The game side of the one write path: totals, streak, goals, badges, wins, rewards.

``apply_calls`` runs inside the transaction of ``record_calls`` and
``undo_calls``, for a tap, a synced batch or undos alike. It reads only
aggregates (the day rows of the replay window, the lifetime totals, the
badges held), so a tap costs the same with ten calls of history as with a
hundred thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain import celebrations as cheer
from webapp.domain.badges import PlayerStats, badge_by_code, newly_earned
from webapp.domain.goals import (
    DEFAULT_TARGETS,
    DayCounts,
    GoalProgress,
    GoalTargets,
    goal_progress,
    goals_newly_met,
    suggested_targets,
)
from webapp.domain.levels import LevelProgress, level_progress, levels_crossed
from webapp.domain.outcomes import OUTCOME_CODES, Outcome
from webapp.domain.streaks import (
    DayRecord,
    StreakState,
    StreakView,
    checkpoint_day,
    roll_checkpoint,
    streak_today,
)
from webapp.extensions import db
from webapp.models import (
    Call,
    DailyTotal,
    EarnedBadge,
    PlayerTotals,
    Reward,
    RewardHit,
    TeamMember,
    User,
    Win,
)
from webapp.services import resilience, statements, teams
from webapp.services.today import DaySummary, today_for

# Streak lengths that go into the wins log (and the team feed).
STREAK_MILESTONES = frozenset({3, 5, 10, 20, 30, 60, 100, 200})
# Outcomes that go into the wins log on their own.
_WIN_OUTCOMES = {Outcome.MEETING.value: "Meeting booked", Outcome.SALE.value: "Sale"}


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


def counts_of(row) -> DayCounts:
    """A day's tally as the rules see it (from a model or a returned row)."""
    if row is None:
        return DayCounts()
    return DayCounts(dials=row.dials, by_outcome={code: getattr(row, code) for code in OUTCOME_CODES})


upsert = statements.upsert


def apply_calls(user: User, calls: list[Call], sign: int, now: datetime) -> tuple[GameState, list[cheer.Celebration]]:
    """Move every game number by some calls at once (a tap is one; a synced batch, many).

    Aggregates move per call day in one statement each; the streak, badges,
    level and celebrations are evaluated once for the whole set, so a batch
    of a thousand offline taps costs a few statements more than one tap.
    """
    today = today_for(user, now)
    targets = targets_for(user)
    points = sign * sum(call.points for call in calls)
    days, goal_changed = {}, 0
    for day_calls in _by_day(calls).values():
        row = _add_calls_to_day(user, day_calls, sign, targets)
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
    lifetime = add_to_lifetime(user.id, increments)
    xp_before = user.xp or 0
    xp_after = xp_before + points

    # One query for the streak's replay days and the rep's ties (team, rewards, badges).
    rows = statements.rows(_replay_days_and_ties, user_id=user.id, since=_checkpoint(user, today).as_of)
    streak_state, streak = _streak(user, today, targets, rows)
    ties = _Ties.of(rows[0])
    held = set(ties.badges)
    today_row = days.get(today) or db.session.get(DailyTotal, (user.id, today))
    stats = _player_stats(user, lifetime, today_row, streak, today, distinct_objections=0)
    # Calls never change the objection count: review badges are awarded by the review itself.
    awarded = [b for b in newly_earned(stats, held) if b.metric != "distinct_objections_reviewed"] if sign > 0 else []
    for badge in awarded:
        db.session.add(EarnedBadge(user_id=user.id, code=badge.code, earned_at=now, local_date=today))
        _log_win(user, "badge", f"badge:{badge.code}", f"Badge: {badge.name}", badge.description, now, today)
    for call in calls:
        _log_call_wins(user, call, sign, now)
    for level in levels_crossed(xp_before, xp_after):
        _log_win(user, "level", f"level:{level}", f"Reached level {level}", "", now, today)
    if stats.best_previous_day_dials and today in days:
        _log_personal_best(user, stats, sign, now, today)
    if sign > 0 and streak.today_met and streak.current in STREAK_MILESTONES:
        _log_win(
            user,
            "streak",
            f"streak:{streak.current}:{today}",
            f"{streak.current}-day streak",
            "Working days in a row with the dial goal met",
            now,
            today,
        )

    after_counts = counts_of(today_row)
    todays = [call for call in calls if call.local_date == today]
    before_counts = _without(after_counts, todays, sign)
    celebrations: list[cheer.Celebration] = []
    if sign > 0:
        rewards, hits = _rewards_today(user, today) if todays and ties.rewards else ([], set())
        before = cheer.TapSnapshot(xp_before, before_counts, targets, frozenset(held))
        after = cheer.TapSnapshot(xp_after, after_counts, targets, frozenset(held | {b.code for b in awarded}))
        for reward in cheer.rewards_reached(rewards, before.counts, after.counts, hits):
            db.session.add(RewardHit(reward_id=reward.id, local_date=today))
            _log_win(user, "reward", f"reward:{reward.id}:{today}", f"Reward: {reward.label}", "", now, today)
        celebrations = cheer.celebrations_for_tap(before, after, rewards, hits)
        for ring in goals_newly_met(before.counts, after.counts, targets):
            _log_win(
                user,
                "goal",
                f"goal:{today}:{ring.kind.value}",
                f"{ring.label} goal met",
                f"{ring.done} of {ring.target}",
                now,
                today,
            )
    teams.on_calls_change(user, calls, sign, ties.team_id)
    for call in calls:
        resilience.on_call_change(user, call, sign)
    _save_player(user, points, streak_state, calls, sign)
    summary = DaySummary(today, today_row.dials, today_row.points, dict(after_counts.by_outcome)) if today_row else None
    state = GameState(level_progress(max(0, user.xp)), streak, goal_progress(after_counts, targets), targets, summary)
    return state, celebrations


def _by_day(calls: list[Call]) -> dict[date, list[Call]]:
    grouped: dict[date, list[Call]] = {}
    for call in calls:
        grouped.setdefault(call.local_date, []).append(call)
    return grouped


# The counters a call moves in a day row and in the lifetime row.
_DAY_COUNTERS = ("dials", "points", *OUTCOME_CODES, "bounce_backs")
_LIFETIME_COUNTERS = (
    "dials",
    *OUTCOME_CODES,
    "bounce_backs",
    "goal_days",
    "reviews",
    "resets",
    "high_fives_given",
    "messages_posted",
    "challenges_reached",
)


def _day_statement(dialect: str):
    """Upsert of a day row that adds every counter and keeps the earliest call minute.

    Compiled once per database kind (``statements.run``): a tap's statement
    only differs in its parameters.
    """
    table = DailyTotal.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ("user_id", "local_date", "dial_target", "counted", "goal_met", "first_call_minute", *_DAY_COUNTERS)
    stmt = insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names})
    earliest = func.least if dialect == "postgresql" else func.min
    first = table.c.first_call_minute
    new_first = stmt.excluded.first_call_minute
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.local_date],
        set_={
            **{n: table.c[n] + stmt.excluded[n] for n in _DAY_COUNTERS},
            "goal_met": (table.c.dials + stmt.excluded.dials)
            >= func.coalesce(table.c.dial_target, stmt.excluded.dial_target),
            "first_call_minute": earliest(func.coalesce(first, new_first), func.coalesce(new_first, first)),
        },
    ).returning(*table.c)


def _add_calls_to_day(user: User, calls: list[Call], sign: int, targets: GoalTargets):
    """Add (or take out) calls of one day in that day's row; returns the row after."""
    day = calls[0].local_date
    minute = None
    if sign > 0:
        zone = ZoneInfo(user.timezone)
        minute = min(_local_minute(call.occurred_at, zone) for call in calls)
    params = dict.fromkeys(_DAY_COUNTERS, 0)
    params.update(
        user_id=user.id,
        local_date=day,
        dial_target=targets.dials,
        counted=day.weekday() in user.working_day_set,
        goal_met=sign > 0 and len(calls) >= targets.dials,
        first_call_minute=minute,
        dials=sign * len(calls),
        points=sign * sum(call.points for call in calls),
        bounce_backs=sign * sum(call.bounce_back for call in calls),
    )
    for call in calls:
        params[call.outcome] += sign
    return statements.run(_day_statement, params).one()


def _local_minute(moment: datetime, zone: ZoneInfo) -> int:
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute


def _lifetime_statement(dialect: str):
    table = PlayerTotals.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ("user_id", "best_day_dials", *_LIFETIME_COUNTERS)
    stmt = insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names})
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={n: table.c[n] + stmt.excluded[n] for n in _LIFETIME_COUNTERS},
    ).returning(*table.c)


def add_to_lifetime(user_id: int, increments: dict[str, int]):
    """Add to the rep's lifetime counters (creating the row on first use); returns the row after."""
    params = dict.fromkeys(_LIFETIME_COUNTERS, 0)
    params.update(increments, user_id=user_id, best_day_dials=0)
    return statements.run(_lifetime_statement, params).one()


_PLAYER_FIELDS = (
    "streak_as_of",
    "streak_current",
    "streak_longest",
    "streak_freezes",
    "streak_toward_freeze",
    "last_call_at",
    "last_call_outcome",
)


def _player_update(dialect: str):
    table = User.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("user_id"))
        .values(
            xp=table.c.xp + bindparam("points", type_=table.c.xp.type),
            **{n: bindparam(n, type_=table.c[n].type) for n in _PLAYER_FIELDS},
        )
        .returning(table.c.xp)
    )


def _save_player(user: User, points: int, streak: StreakState, calls: list[Call], sign: int) -> None:
    """One UPDATE of the rep's row: XP (added in SQL, two taps may race), streak checkpoint, latest call."""
    values = {
        "streak_as_of": streak.as_of,
        "streak_current": streak.current,
        "streak_longest": streak.longest,
        "streak_freezes": streak.freezes,
        "streak_toward_freeze": streak.toward_freeze,
        "last_call_at": user.last_call_at,
        "last_call_outcome": user.last_call_outcome,
    }
    latest = max(calls, key=lambda call: call.occurred_at)
    if sign > 0 and (user.last_call_at is None or latest.occurred_at >= user.last_call_at):
        values.update(last_call_at=latest.occurred_at, last_call_outcome=latest.outcome)
    elif sign < 0 and user.last_call_at == latest.occurred_at:
        values["last_call_outcome"] = None  # an undone no sets up no bounce back
    xp = statements.run(_player_update, {"user_id": user.id, "points": points, **values}).scalar_one()
    # The row changed in SQL; keep the loaded object in step without a reload.
    for name, value in values.items():
        set_committed_value(user, name, value)
    set_committed_value(user, "xp", xp)


def award_activity(
    user: User, now: datetime, *, points: int = 0, counters: dict[str, int] | None = None
) -> tuple[GameState, list[cheer.Celebration]]:
    """Credit something that is not a call (a review, a reset, a high-five...) to the game.

    Adds ``points`` to today's aggregate and the rep's XP and ``counters`` to
    the lifetime totals (for example ``{"reviews": 1}``), then awards any
    badge now earned. Runs inside the caller's transaction; the caller commits.
    Returns the new game state and the level and badge celebrations.
    """
    today = today_for(user, now)
    targets = targets_for(user)
    counters = {k: v for k, v in (counters or {}).items() if v}
    if points:
        upsert(
            DailyTotal,
            {"user_id": user.id, "local_date": today},
            {
                "dial_target": targets.dials,
                "counted": today.weekday() in user.working_day_set,
                "goal_met": False,
                "dials": 0,
                **{c: 0 for c in OUTCOME_CODES},
            },
            {"points": points},
        )
    lifetime = add_to_lifetime(user.id, counters)
    xp_before = _add_xp(user, points) if points else (user.xp or 0)
    if points:
        teams.on_points_change(user)
    streak = _streak_view(user, today, targets)
    held = held_badges(user.id)
    today_row = db.session.get(DailyTotal, (user.id, today))
    awarded = newly_earned(_player_stats(user, lifetime, today_row, streak, today), held)
    for badge in awarded:
        db.session.add(EarnedBadge(user_id=user.id, code=badge.code, earned_at=now, local_date=today))
        _log_win(user, "badge", f"badge:{badge.code}", f"Badge: {badge.name}", badge.description, now, today)
    for level in levels_crossed(xp_before, user.xp or 0):
        _log_win(user, "level", f"level:{level}", f"Reached level {level}", "", now, today)
    counts = counts_of(today_row)
    before = cheer.TapSnapshot(xp_before, counts, targets, frozenset(held))
    after = cheer.TapSnapshot(user.xp or 0, counts, targets, frozenset(held | {b.code for b in awarded}))
    state = GameState(level_progress(max(0, user.xp or 0)), streak, goal_progress(counts, targets), targets)
    return state, cheer.celebrations_for_tap(before, after)


def _add_xp(user: User, points: int) -> int:
    """Add points to the rep's XP in SQL (two taps may race); return the XP before."""
    xp_after = db.session.execute(
        update(User).where(User.id == user.id).values(xp=User.xp + points).returning(User.xp)
    ).scalar_one()
    # Keep the loaded object in step without a reload.
    set_committed_value(user, "xp", xp_after)
    return xp_after - points


def game_state(user: User, now: datetime | None = None) -> GameState:
    """The game as the main screen shows it, read from aggregates only."""
    today = today_for(user, now)
    targets = targets_for(user)
    row = db.session.get(DailyTotal, (user.id, today))
    return GameState(
        level_progress(max(0, user.xp or 0)),
        _streak_view(user, today, targets, save=False),
        goal_progress(counts_of(row), targets),
        targets,
    )


def _without(counts: DayCounts, calls: list[Call], sign: int) -> DayCounts:
    """The tally as it was before these calls were added (or removed)."""
    by_outcome = dict(counts.by_outcome)
    for call in calls:
        by_outcome[call.outcome] = by_outcome.get(call.outcome, 0) - sign
    return DayCounts(dials=counts.dials - sign * len(calls), by_outcome=by_outcome)


def _replay_days(dialect: str):
    return select(DailyTotal.local_date, DailyTotal.goal_met, DailyTotal.counted, DailyTotal.dials).where(
        DailyTotal.user_id == bindparam("user_id"), DailyTotal.local_date > bindparam("since")
    )


def _checkpoint(user: User, today: date) -> StreakState:
    """The streak as stored on the rep: settled through ``as_of``."""
    if user.streak_as_of is None:
        return StreakState.fresh(checkpoint_day(today) + timedelta(days=1))
    return StreakState(
        user.streak_as_of, user.streak_current, user.streak_longest, user.streak_freezes, user.streak_toward_freeze
    )


def _streak(user: User, today: date, targets: GoalTargets, rows=None) -> tuple[StreakState, StreakView]:
    """The live streak: roll the stored checkpoint forward, then replay the last days.

    ``rows`` are the day rows after the checkpoint when the caller read them already.
    """
    working = user.working_day_set
    state = _checkpoint(user, today)
    if rows is None:
        rows = statements.rows(_replay_days, user_id=user.id, since=state.as_of)
    records = {r.local_date: DayRecord(bool(r.goal_met), r.counted) for r in rows if r.local_date is not None}
    dials = {r.local_date: r.dials for r in rows if r.local_date is not None}
    state = roll_checkpoint(state, records, today, working)
    view = streak_today(state, records, today, working, dials_today=dials.get(today, 0), dial_target=targets.dials)
    return state, view


def _streak_view(user: User, today: date, targets: GoalTargets, *, save: bool = True) -> StreakView:
    """The live streak; with ``save``, the rolled checkpoint is stored on the rep."""
    state, view = _streak(user, today, targets)
    if save:
        user.streak_as_of, user.streak_current, user.streak_longest = state.as_of, state.current, state.longest
        user.streak_freezes, user.streak_toward_freeze = state.freezes, state.toward_freeze
    return view


def _best_previous_day(user: User, lifetime, today: date) -> int:
    """Best day's dials before today; the max is read once a day, not on every tap."""
    if lifetime.best_day_as_of == today:
        return lifetime.best_day_dials
    best = db.session.scalar(
        select(func.coalesce(func.max(DailyTotal.dials), 0)).where(
            DailyTotal.user_id == user.id, DailyTotal.local_date < today
        )
    )
    db.session.execute(
        PlayerTotals.__table__.update()
        .where(PlayerTotals.user_id == user.id)
        .values(best_day_dials=best, best_day_as_of=today)
    )
    return best


def _lifetime(user: User) -> PlayerTotals:
    """The rep's lifetime totals, or zeros for a rep who has not dialled yet."""
    row = db.session.get(PlayerTotals, user.id)
    if row is None:
        row = PlayerTotals(user_id=user.id, best_day_as_of=None)
        for column in PlayerTotals.__table__.c:
            if column.name not in ("user_id", "best_day_as_of"):
                setattr(row, column.name, 0)
    return row


def _player_stats(
    user: User, lifetime, today_row, streak: StreakView, today: date, distinct_objections: int | None = None
) -> PlayerStats:
    """Every counter a badge can ask about, from aggregates."""
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
        best_previous_day_dials=_best_previous_day(user, lifetime, today),
        reviews=lifetime.reviews,
        resets=lifetime.resets,
        high_fives_given=lifetime.high_fives_given,
        messages_posted=lifetime.messages_posted,
        challenges_reached=lifetime.challenges_reached,
        distinct_objections_reviewed=(
            _distinct_objections(user) if distinct_objections is None else distinct_objections
        ),
    )


def _distinct_objections(user: User) -> int:
    """Kinds of objection the rep has met in their call reviews (from the weekly review aggregate)."""
    return resilience.distinct_objections(user.id)


@dataclass(frozen=True)
class _Ties:
    """What the rep is tied to that a tap may touch: their team, their rewards, their badges."""

    team_id: int | None
    rewards: int
    badges: frozenset[str]

    @classmethod
    def of(cls, row) -> _Ties:
        """From a row of ``_replay_days_and_ties`` (badge codes come comma-joined)."""
        return cls(row.team_id, row.rewards or 0, frozenset(filter(None, (row.badges or "").split(","))))


def _replay_days_and_ties(dialect: str):
    """The replay window's day rows, each carrying the rep's ties; one row of ties and no day
    when the window is empty (the outer join keeps it)."""
    user_id = bindparam("user_id")
    ties = select(
        select(TeamMember.team_id).where(TeamMember.user_id == user_id).scalar_subquery().label("team_id"),
        select(func.count(Reward.id)).where(Reward.user_id == user_id).scalar_subquery().label("rewards"),
        select(func.aggregate_strings(EarnedBadge.code, ","))
        .where(EarnedBadge.user_id == user_id)
        .scalar_subquery()
        .label("badges"),
    ).subquery("ties")
    days = and_(DailyTotal.user_id == user_id, DailyTotal.local_date > bindparam("since", type_=Date()))
    return select(
        ties.c.team_id,
        ties.c.rewards,
        ties.c.badges,
        DailyTotal.local_date,
        DailyTotal.goal_met,
        DailyTotal.counted,
        DailyTotal.dials,
    ).select_from(ties.outerjoin(DailyTotal, days))


def _badges_held(dialect: str):
    return select(EarnedBadge.code).where(EarnedBadge.user_id == bindparam("user_id"))


def held_badges(user_id: int) -> set[str]:
    """Codes of the badges the rep holds."""
    return {row.code for row in statements.rows(_badges_held, user_id=user_id)}


def _log_win(user: User, kind: str, ref: str, title: str, detail: str, now: datetime, day: date) -> None:
    """Add a wins-log entry unless one with the same ``ref`` exists (the unique key decides)."""
    statements.run(
        _win_insert,
        {
            "user_id": user.id,
            "kind": kind,
            "ref": ref,
            "title": title,
            "detail": detail,
            "occurred_at": now,
            "local_date": day,
        },
    )


def _win_insert(dialect: str):
    table = Win.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ("user_id", "kind", "ref", "title", "detail", "occurred_at", "local_date")
    return (
        insert(table)
        .values({n: bindparam(n, type_=table.c[n].type) for n in names})
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.ref])
    )


def _log_call_wins(user: User, call: Call, sign: int, now: datetime) -> None:
    """Meetings and sales go into the wins log; their undo takes them out."""
    if call.outcome not in _WIN_OUTCOMES:
        return
    ref = f"call:{call.client_id}"
    if sign > 0:
        _log_win(user, call.outcome, ref, _WIN_OUTCOMES[call.outcome], "", call.occurred_at, call.local_date)
    else:
        db.session.execute(delete(Win).where(Win.user_id == user.id, Win.ref == ref))


def _log_personal_best(user: User, stats: PlayerStats, sign: int, now: datetime, today: date) -> None:
    """A new best day goes into the wins log once; undoing below it takes it out."""
    ref = f"best:{today}"
    if stats.today_dials > stats.best_previous_day_dials:
        _log_win(
            user,
            "best",
            ref,
            "New personal best day",
            f"{stats.today_dials} dials (was {stats.best_previous_day_dials})",
            now,
            today,
        )
    elif sign < 0:
        db.session.execute(delete(Win).where(Win.user_id == user.id, Win.ref == ref))


def _rewards_and_hits(dialect: str):
    today = bindparam("today", type_=RewardHit.local_date.type)
    return (
        select(Reward.id, Reward.label, Reward.metric, Reward.threshold, RewardHit.local_date)
        .outerjoin(RewardHit, (RewardHit.reward_id == Reward.id) & (RewardHit.local_date == today))
        .where(Reward.user_id == bindparam("user_id"))
    )


def _rewards_today(user: User, today: date) -> tuple[list[cheer.Reward], set[int]]:
    """The rep's rewards, and those already reached today."""
    rows = statements.rows(_rewards_and_hits, user_id=user.id, today=today)
    rewards = [cheer.Reward(r.id, r.label, r.metric, r.threshold) for r in rows]
    return rewards, {r.id for r in rows if r.local_date is not None}


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


@dataclass(frozen=True)
class BadgeCard:
    """One badge on the badges page: earned or locked, with progress."""

    badge: object
    earned_on: date | None
    current: int
    target: int

    @property
    def earned(self) -> bool:
        """Whether the rep holds this badge."""
        return self.earned_on is not None


def badge_board(user: User, now: datetime | None = None) -> list[BadgeCard]:
    """Every badge, earned ones with their date, locked ones with progress toward them."""
    from webapp.domain.badges import BADGES, badge_progress

    today = today_for(user, now)
    lifetime = _lifetime(user)
    streak = _streak_view(user, today, targets_for(user), save=False)
    stats = _player_stats(user, lifetime, db.session.get(DailyTotal, (user.id, today)), streak, today)
    earned = dict(
        db.session.execute(select(EarnedBadge.code, EarnedBadge.local_date).where(EarnedBadge.user_id == user.id)).all()
    )
    cards = []
    for badge in BADGES:
        current, target = badge_progress(badge, stats)
        cards.append(BadgeCard(badge, earned.get(badge.code), target if badge.code in earned else current, target))
    return cards


def earned_badges(user: User) -> list[tuple[str, str, date]]:
    """Badges the rep holds: (code, name, date earned), oldest first."""
    rows = db.session.execute(
        select(EarnedBadge.code, EarnedBadge.local_date)
        .where(EarnedBadge.user_id == user.id)
        .order_by(EarnedBadge.earned_at, EarnedBadge.id)
    ).all()
    return [(code, badge_by_code(code).name, day) for code, day in rows]


def wins_log(user: User, limit: int = 100) -> list[Win]:
    """The rep's wins, newest first."""
    return list(
        db.session.scalars(
            select(Win).where(Win.user_id == user.id).order_by(Win.occurred_at.desc(), Win.id.desc()).limit(limit)
        )
    )


class SettingsError(ValueError):
    """Field-by-field messages for game settings that were not accepted."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def update_game_settings(
    user: User, working_days: list[str], day_start_hour: str, goals: dict[str, str], now: datetime | None = None
) -> None:
    """Save working days, day start and goal targets, or raise ``SettingsError`` and change nothing.

    The days in the replay window are stamped with the *old* working days
    first, so a new setting applies from today on and never takes back a
    streak day already earned.
    """
    errors: dict[str, str] = {}
    try:
        days = sorted({int(d) for d in working_days})
        if not days or any(d < 0 or d > 6 for d in days):
            raise ValueError
    except ValueError:
        errors["working_days"] = "Choose at least one working day."
        days = []
    try:
        hour = int(day_start_hour)
        if not 0 <= hour <= 12:
            raise ValueError
    except ValueError:
        errors["day_start_hour"] = "The day starts at an hour from 0 to 12."
        hour = 0
    targets = {}
    for kind in ("dials", "conversations", "follow_ups"):
        raw = (goals.get(kind) or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            errors[f"goal_{kind}"] = "Enter a whole number from 1 to 1000."
        else:
            targets[kind] = int(raw)
    if errors:
        raise SettingsError(errors)
    today = today_for(user, now)
    first = checkpoint_day(today) + timedelta(days=1)
    old_working = user.working_day_set
    for row in db.session.scalars(
        select(DailyTotal).where(DailyTotal.user_id == user.id, DailyTotal.local_date >= first)
    ):
        if row.counted is None:
            row.counted = row.local_date.weekday() in old_working
    user.working_days = ",".join(str(d) for d in days)
    user.day_start_hour = hour
    user.goal_dials, user.goal_conversations, user.goal_follow_ups = (
        targets["dials"],
        targets["conversations"],
        targets["follow_ups"],
    )
    db.session.commit()


def add_reward(user: User, label: str, metric: str, threshold: str) -> Reward:
    """Create a personal reward, or raise ``SettingsError`` with a clear message."""
    label = (label or "").strip()
    errors = {}
    if not label or len(label) > 80:
        errors["reward_label"] = 'Name the reward in 1 to 80 characters, like "coffee".'
    if metric not in {m.value for m in cheer.RewardMetric}:
        errors["reward_metric"] = "Choose dials, conversations, follow-ups or points."
    if not (threshold or "").strip().isdigit() or not 1 <= int(threshold) <= 10000:
        errors["reward_threshold"] = "Enter a whole number from 1 to 10000."
    if errors:
        raise SettingsError(errors)
    reward = Reward(user_id=user.id, label=label, metric=metric, threshold=int(threshold))
    db.session.add(reward)
    db.session.commit()
    return reward


def delete_reward(user: User, reward_id: int) -> bool:
    """Remove one of the rep's own rewards; False when there is no such reward of theirs."""
    result = db.session.execute(delete(Reward).where(Reward.id == reward_id, Reward.user_id == user.id))
    db.session.commit()
    return result.rowcount > 0


def rewards_of(user: User) -> list[Reward]:
    """The rep's personal rewards."""
    return list(db.session.scalars(select(Reward).where(Reward.user_id == user.id).order_by(Reward.id)))


def summary_json(user: User, now: datetime | None = None) -> dict:
    """The shape of ``GET /api/v1/me/summary``."""
    state = game_state(user, now)
    return {
        "level": state.level.level,
        "xp": state.level.xp,
        "xp_to_next_level": state.level.xp_to_next,
        "streak": {
            "current": state.streak.current,
            "longest": state.streak.longest,
            "freezes_banked": state.streak.freezes,
            "today_met": state.streak.today_met,
            "dials_to_keep": state.streak.dials_to_keep,
        },
        "goals": {ring.kind.value: {"done": ring.done, "target": ring.target, "met": ring.met} for ring in state.goals},
        "badges": [
            {"code": code, "name": name, "earned_on": day.isoformat()} for code, name, day in earned_badges(user)
        ],
    }
