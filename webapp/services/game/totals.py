"""The day and lifetime sums a call moves, written in the call's own transaction.

Pages read these sums instead of scanning calls, so they must never drift:
every change goes through an adding upsert in SQL, so two taps racing on one
row never lose a count.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from webapp.domain.call_sources import logged_by_dialer
from webapp.domain.goals import DayCounts, GoalTargets
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.extensions import db
from webapp.models import Call, DailyTotal, PlayerTotals, User
from webapp.services import hot_sql, prepared
from webapp.services.game.streak import minimum_of


def counts_of(row) -> DayCounts:
    """A day's tally as the rules see it (from a model or a returned row)."""
    if row is None:
        return DayCounts()
    return DayCounts(dials=row.dials, by_outcome={code: getattr(row, code) for code in OUTCOME_CODES})


def by_day(calls: list[Call]) -> dict[date, list[Call]]:
    """Calls grouped by their local day, in order."""
    grouped: dict[date, list[Call]] = {}
    for call in calls:
        grouped.setdefault(call.local_date, []).append(call)
    return grouped


def local_minute(moment: datetime, tz_name: str) -> int:
    """An instant as minutes after local midnight in the rep's timezone."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return local.hour * 60 + local.minute


def _day_params(user: User, day: date, targets: GoalTargets) -> dict:
    params = dict.fromkeys(hot_sql.DAY_COUNTERS, 0)
    params.update(
        user_id=user.id,
        local_date=day,
        dial_target=targets.dials,
        min_dials=minimum_of(user),
        counted=day.weekday() in user.working_day_set,
        goal_met=False,
        showed_up=False,
        first_call_minute=None,
    )
    return params


def add_calls_to_day(user: User, calls: list[Call], sign: int, targets: GoalTargets):
    """Add (or take out) calls of one day in that day's row; returns the row after."""
    params = _day_params(user, calls[0].local_date, targets)
    if sign > 0:
        params["first_call_minute"] = min(local_minute(call.occurred_at, user.timezone) for call in calls)
    params.update(
        goal_met=sign > 0 and len(calls) >= targets.dials,
        showed_up=sign > 0 and len(calls) >= params["min_dials"],
        dials=sign * len(calls),
        points=sign * sum(call.points for call in calls),
        bounce_backs=sign * sum(call.bounce_back for call in calls),
        dialer_calls=sign * sum(logged_by_dialer(call.source) for call in calls),
    )
    for call in calls:
        params[call.outcome] += sign
    return prepared.run(hot_sql.ADD_TO_DAY, params).one()


def add_points_to_day(user: User, day: date, points: int, targets: GoalTargets):
    """Add points earned outside a call (a review, a reset) to a day's row; returns the row after."""
    params = _day_params(user, day, targets)
    params["points"] = points
    return prepared.run(hot_sql.ADD_TO_DAY, params).one()


def add_to_lifetime(user_id: int, increments: dict[str, int]):
    """Add to the rep's lifetime counters (creating the row on first use); returns the row after."""
    params = dict.fromkeys(hot_sql.LIFETIME_COUNTERS, 0)
    params.update(increments, user_id=user_id, best_day_dials=0)
    return prepared.run(hot_sql.ADD_TO_LIFETIME, params).one()


def day_row(user: User, day: date) -> DailyTotal | None:
    """The rep's row for one day, if they have one."""
    return db.session.get(DailyTotal, (user.id, day))


def lifetime_of(user: User) -> PlayerTotals:
    """The rep's lifetime totals, or zeros for a rep who has not dialled yet (not added to the session)."""
    row = db.session.get(PlayerTotals, user.id)
    if row is None:
        row = PlayerTotals(user_id=user.id, best_day_as_of=None)
        for column in PlayerTotals.__table__.c:
            if column.name not in ("user_id", "best_day_as_of"):
                setattr(row, column.name, 0)
    return row
