"""What a tap and an undo write: the call, the day and lifetime sums, the rep's row, wins and badges."""

from __future__ import annotations

from sqlalchemy import bindparam, func, update

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.models import (
    Call,
    DailyTotal,
    EarnedBadge,
    HourlyActivity,
    PlayerTotals,
    ReviewWeek,
    User,
    Win,
)
from webapp.services.hot_sql.build import adding, binds, insert_for
from webapp.services.prepared import Statement

# ---- the call itself

CALL_COLUMNS = (
    "user_id",
    "client_id",
    "outcome",
    "occurred_at",
    "local_date",
    "points",
    "bounce_back",
    "created_at",
    "undone_at",
    "source",
)


def _insert_call(dialect: str):
    table = Call.__table__
    return (
        insert_for(dialect)(table)
        .values(binds(table, CALL_COLUMNS))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.client_id])
        .returning(table.c.id)
    )


# INSERT ... ON CONFLICT DO NOTHING RETURNING id: the unique (user, client id) decides if a tap is new.
INSERT_CALL = Statement("insert_call", _insert_call)


# ---- the day and lifetime aggregates

# ``dialer_calls``: of the day's dials, those logged by a dialer or through the API (``domain.call_sources``).
DAY_COUNTERS = ("dials", "points", *OUTCOME_CODES, "bounce_backs", "dialer_calls")
LIFETIME_COUNTERS = (
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


def _add_to_day(dialect: str):
    """Add every counter to a day row, keep the earliest call minute, and say whether the goal is met
    and whether the rep showed up (reached the day's minimum), each against the value the row recorded."""
    table = DailyTotal.__table__
    names = (
        "user_id",
        "local_date",
        "dial_target",
        "min_dials",
        "counted",
        "goal_met",
        "showed_up",
        "first_call_minute",
        *DAY_COUNTERS,
    )
    stmt = insert_for(dialect)(table).values(binds(table, names))
    earliest = func.least if dialect == "postgresql" else func.min
    first = table.c.first_call_minute
    new_first = stmt.excluded.first_call_minute
    dials_after = table.c.dials + stmt.excluded.dials
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.local_date],
        set_={
            **{n: table.c[n] + stmt.excluded[n] for n in DAY_COUNTERS},
            "goal_met": dials_after >= func.coalesce(table.c.dial_target, stmt.excluded.dial_target),
            "showed_up": dials_after >= func.coalesce(table.c.min_dials, stmt.excluded.min_dials),
            "first_call_minute": earliest(func.coalesce(first, new_first), func.coalesce(new_first, first)),
        },
    ).returning(*table.c)


ADD_TO_DAY = Statement("add_to_day", _add_to_day)
ADD_TO_LIFETIME = Statement(
    "add_to_lifetime", adding(PlayerTotals, ("user_id",), LIFETIME_COUNTERS, insert_only=("best_day_dials",))
)
ADD_TO_HOUR = Statement(
    "add_to_hour", adding(HourlyActivity, ("user_id", "weekday", "hour"), ("dials", "conversations"))
)
REVIEW_WEEK_COUNTERS = tuple(c.name for c in ReviewWeek.__table__.c if c.name not in ("user_id", "week_start"))
ADD_TO_REVIEW_WEEK = Statement(
    "add_to_review_week", adding(ReviewWeek, ("user_id", "week_start"), REVIEW_WEEK_COUNTERS)
)


# ---- the rep's own row

PLAYER_FIELDS = (
    "streak_as_of",
    "streak_current",
    "streak_longest",
    "streak_freezes",
    "streak_toward_freeze",
    "streak_broken",
    "streak_broken_on",
    "streak_repaired_on",
    "last_call_at",
    "last_call_outcome",
)


def _save_player(dialect: str):
    table = User.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("user_id"))
        .values(xp=table.c.xp + bindparam("points", type_=table.c.xp.type), **binds(table, PLAYER_FIELDS))
        .returning(table.c.xp)
    )


# XP is added in SQL (two taps may race); the streak checkpoint and latest call are set.
SAVE_PLAYER = Statement("save_player", _save_player)


# ---- the wins log and badges


def _insert_win(dialect: str):
    table = Win.__table__
    names = ("user_id", "kind", "ref", "title", "detail", "occurred_at", "local_date")
    return (
        insert_for(dialect)(table)
        .values(binds(table, names))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.ref])
    )


# A wins-log entry, unless one with the same ``ref`` exists (the unique key decides).
INSERT_WIN = Statement("insert_win", _insert_win)


def _insert_badge(dialect: str):
    table = EarnedBadge.__table__
    return (
        insert_for(dialect)(table)
        .values(binds(table, ("user_id", "code", "earned_at", "local_date")))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.code])
    )


# A badge earned, once: two taps racing to the same badge leave one row, and no error.
INSERT_BADGE = Statement("insert_badge", _insert_badge)
