"""What the game and the screen after a tap read: the streak's days and ties, rewards, latest calls, closer-to-yes."""

from __future__ import annotations

from sqlalchemy import Date, String, and_, bindparam, cast, func, or_, select

from webapp.models import (
    Call,
    DailyTotal,
    EarnedBadge,
    Reward,
    RewardHit,
    TeamMember,
    TimeOff,
)
from webapp.services.hot_sql.build import POSITIVE_CODES
from webapp.services.prepared import Statement

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
