"""Every statement of the hot path, in one place: what a tap, an undo and the screen after them run.

Each is a ``prepared.Statement``: a module constant built from ordinary
SQLAlchemy constructs, so it reads like any other query, and run by
``prepared.run`` (compiled once on the driver, or plainly through the session
with ``PLAIN_SQL``). Statements take named parameters only, and never an
expanding ``IN`` (a compiled string cannot grow one).

The adding upserts insert a row or add to its counters atomically in SQL,
so two taps racing on one row never lose a count.
"""

from __future__ import annotations

from sqlalchemy import Date, String, and_, bindparam, cast, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.domain.outcomes import CONVERSATIONS, OUTCOME_CODES, POSITIVES
from webapp.models import (
    Call,
    DailyTotal,
    EarnedBadge,
    HourlyActivity,
    PlayerTotals,
    ReviewWeek,
    Reward,
    RewardHit,
    Team,
    TeamMember,
    TimeOff,
    User,
    Win,
)
from webapp.services.prepared import Statement

POSITIVE_CODES = tuple(o.value for o in POSITIVES)
CONVERSATION_CODES = frozenset(o.value for o in CONVERSATIONS)


def _insert(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _binds(table, names) -> dict:
    return {n: bindparam(n, type_=table.c[n].type) for n in names}


def _adding(model, keys: tuple[str, ...], counters: tuple[str, ...], insert_only: tuple[str, ...] = ()):
    """An upsert that inserts the row or adds ``counters`` to it; returns the row after."""
    table = model.__table__

    def build(dialect: str):
        stmt = _insert(dialect)(table).values(_binds(table, (*keys, *insert_only, *counters)))
        return stmt.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={c: table.c[c] + stmt.excluded[c] for c in counters},
        ).returning(*table.c)

    return build


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
)


def _insert_call(dialect: str):
    table = Call.__table__
    return (
        _insert(dialect)(table)
        .values(_binds(table, CALL_COLUMNS))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.client_id])
        .returning(table.c.id)
    )


# INSERT ... ON CONFLICT DO NOTHING RETURNING id: the unique (user, client id) decides if a tap is new.
INSERT_CALL = Statement("insert_call", _insert_call)


# ---- the day and lifetime aggregates

DAY_COUNTERS = ("dials", "points", *OUTCOME_CODES, "bounce_backs")
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
    stmt = _insert(dialect)(table).values(_binds(table, names))
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
    "add_to_lifetime", _adding(PlayerTotals, ("user_id",), LIFETIME_COUNTERS, insert_only=("best_day_dials",))
)
ADD_TO_HOUR = Statement(
    "add_to_hour", _adding(HourlyActivity, ("user_id", "weekday", "hour"), ("dials", "conversations"))
)
REVIEW_WEEK_COUNTERS = tuple(c.name for c in ReviewWeek.__table__.c if c.name not in ("user_id", "week_start"))
ADD_TO_REVIEW_WEEK = Statement(
    "add_to_review_week", _adding(ReviewWeek, ("user_id", "week_start"), REVIEW_WEEK_COUNTERS)
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
        .values(xp=table.c.xp + bindparam("points", type_=table.c.xp.type), **_binds(table, PLAYER_FIELDS))
        .returning(table.c.xp)
    )


# XP is added in SQL (two taps may race); the streak checkpoint and latest call are set.
SAVE_PLAYER = Statement("save_player", _save_player)


# ---- what the game reads


REPLAY_DAY_COLUMNS = ("local_date", "goal_met", "showed_up", "counted", "dials", "min_dials")


def _iso(dialect: str, column):
    """A date column as ISO text ("2026-11-02") whatever the server's date style."""
    return func.to_char(column, "YYYY-MM-DD") if dialect == "postgresql" else cast(column, String)


def _time_off_since(dialect: str, user_id, since):
    """The rep's time off ending after ``since``, as "first:last" ISO dates joined by commas."""
    span = _iso(dialect, TimeOff.first_day) + ":" + _iso(dialect, TimeOff.last_day)
    return (
        select(func.aggregate_strings(span, ","))
        .where(TimeOff.user_id == user_id, TimeOff.last_day > since)
        .scalar_subquery()
        .label("time_off")
    )


def _replay(*ties):
    """The replay window's day rows, each carrying ``ties`` (one row of ties and no day when the
    window is empty: the outer join keeps it)."""

    def build(dialect: str):
        user_id, since = bindparam("user_id"), bindparam("since", type_=Date())
        head = select(_time_off_since(dialect, user_id, since), *(tie(user_id) for tie in ties)).subquery("ties")
        days = and_(DailyTotal.user_id == user_id, DailyTotal.local_date > since)
        columns = (DailyTotal.__table__.c[name] for name in REPLAY_DAY_COLUMNS)
        return select(*head.c, *columns).select_from(head.outerjoin(DailyTotal, days))

    return build


def _team_tie(user_id):
    return select(TeamMember.team_id).where(TeamMember.user_id == user_id).scalar_subquery().label("team_id")


def _rewards_tie(user_id):
    return select(func.count(Reward.id)).where(Reward.user_id == user_id).scalar_subquery().label("rewards")


def _badges_tie(user_id):
    return (
        select(func.aggregate_strings(EarnedBadge.code, ","))
        .where(EarnedBadge.user_id == user_id)
        .scalar_subquery()
        .label("badges")
    )


# The streak's replay days and the rep's time off in them; with the rep's ties
# (team, reward count, badges held) for a tap, so a tap reads all of it at once.
REPLAY_DAYS = Statement("replay_days", _replay())
REPLAY_DAYS_AND_TIES = Statement("replay_days_and_ties", _replay(_team_tie, _rewards_tie, _badges_tie))
BADGES_HELD = Statement(
    "badges_held", lambda d: select(EarnedBadge.code).where(EarnedBadge.user_id == bindparam("user_id"))
)


def _insert_win(dialect: str):
    table = Win.__table__
    names = ("user_id", "kind", "ref", "title", "detail", "occurred_at", "local_date")
    return (
        _insert(dialect)(table)
        .values(_binds(table, names))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.ref])
    )


# A wins-log entry, unless one with the same ``ref`` exists (the unique key decides).
INSERT_WIN = Statement("insert_win", _insert_win)


def _insert_badge(dialect: str):
    table = EarnedBadge.__table__
    return (
        _insert(dialect)(table)
        .values(_binds(table, ("user_id", "code", "earned_at", "local_date")))
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.code])
    )


# A badge earned, once: two taps racing to the same badge leave one row, and no error.
INSERT_BADGE = Statement("insert_badge", _insert_badge)


def _rewards_and_hits(dialect: str):
    today = bindparam("today", type_=RewardHit.local_date.type)
    return (
        select(Reward.id, Reward.label, Reward.metric, Reward.threshold, RewardHit.local_date)
        .outerjoin(RewardHit, (RewardHit.reward_id == Reward.id) & (RewardHit.local_date == today))
        .where(Reward.user_id == bindparam("user_id"))
    )


REWARDS_AND_HITS = Statement("rewards_and_hits", _rewards_and_hits)


# ---- the screen after a tap


def _latest_calls(dialect: str):
    columns = ("client_id", "outcome", "occurred_at", "points", "bounce_back", "undone_at")
    return (
        select(*(Call.__table__.c[name] for name in columns))
        .where(Call.user_id == bindparam("user_id"))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(bindparam("limit"))
    )


LATEST_CALLS = Statement("latest_calls", _latest_calls)


def _latest_outcomes(dialect: str):
    return (
        select(Call.outcome)
        .where(Call.user_id == bindparam("user_id"), Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(bindparam("limit"))
    )


LATEST_OUTCOMES = Statement("latest_outcomes", _latest_outcomes)


def _window_dials_and_positives(dialect: str):
    positives_sum = sum((getattr(DailyTotal, code) for code in POSITIVE_CODES), start=0)
    return select(func.coalesce(func.sum(DailyTotal.dials), 0), func.coalesce(func.sum(positives_sum), 0)).where(
        DailyTotal.user_id == bindparam("user_id"),
        DailyTotal.local_date >= bindparam("since", type_=Date()),
        DailyTotal.local_date <= bindparam("today", type_=Date()),
    )


WINDOW_DIALS_AND_POSITIVES = Statement("window_dials_and_positives", _window_dials_and_positives)


def _last_positive(dialect: str):
    positive = or_(*(Call.outcome == code for code in POSITIVE_CODES))
    return (
        select(Call.occurred_at)
        .where(
            Call.user_id == bindparam("user_id"),
            Call.undone_at.is_(None),
            positive,
            Call.local_date >= bindparam("since", type_=Date()),
        )
        .order_by(Call.occurred_at.desc())
        .limit(1)
    )


LAST_POSITIVE = Statement("last_positive", _last_positive)


def _dials_since(dialect: str):
    return (
        select(func.count())
        .select_from(Call)
        .where(
            Call.user_id == bindparam("user_id"),
            Call.undone_at.is_(None),
            Call.occurred_at > bindparam("since", type_=Call.occurred_at.type),
        )
    )


DIALS_SINCE = Statement("dials_since", _dials_since)


# ---- the rep's team

BUMP_TEAM = Statement(
    "bump_team", lambda d: update(Team).where(Team.id == bindparam("team_id")).values(version=Team.version + 1)
)
MEMBER_TEAM = Statement(
    "member_team",
    lambda d: (
        select(Team.id, Team.name, Team.timezone)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == bindparam("user_id"))
    ),
)
