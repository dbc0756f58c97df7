"""The "% of own goal" board's scores: a member's dials against the goal of the days they owed.

A day is owed when it is one of the rep's working days, on or after the day
they joined the team (in the rep's own day), and not marked as time off.
Dials before the join day are left out too: they were not made for this team.
Most members joined long ago and have no time off, so their score costs
nothing beyond the board's own query; the few others cost one small query
each kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import select

from webapp.domain import ranking
from webapp.domain.days import local_day
from webapp.domain.goals import DEFAULT_TARGETS
from webapp.domain.time_off import days_off
from webapp.extensions import db
from webapp.models import DailyTotal, TeamMember, TimeOff


def goal_scorer(team_id: int, rows: Sequence, start: date, through: date) -> Callable[[object], int]:
    """How a member's row of the goal board becomes their percentage, for the period ``start..through``."""
    joined = {row.user_id: local_day(row.joined_at, row.timezone, row.day_start_hour or 0) for row in rows}
    late = {uid: day for uid, day in joined.items() if day > start}
    before_joining = _dials_before_joining(late, start)
    away = _time_off(team_id, start, through)
    days_for: dict[str, int] = {}  # most reps share a working week and owe every day: count its days once

    def goal(row) -> int:
        key = row.working_days or ""
        working = {int(d) for d in key.split(",") if d != ""}
        if row.user_id in late or row.user_id in away:
            owed = ranking.working_days_between(
                max(start, joined[row.user_id]), through, working, away.get(row.user_id, frozenset())
            )
        else:
            if key not in days_for:
                days_for[key] = ranking.working_days_between(start, through, working)
            owed = days_for[key]
        dials = row.value - before_joining.get(row.user_id, 0)
        return ranking.goal_percent(dials, row.goal_dials or DEFAULT_TARGETS.dials, owed)

    return goal


def _dials_before_joining(joined: dict[int, date], start: date) -> dict[int, int]:
    """Dials each member who joined during the period made from ``start`` until the day they joined."""
    if not joined:
        return {}
    rows = db.session.execute(
        select(DailyTotal.user_id, DailyTotal.local_date, DailyTotal.dials).where(
            DailyTotal.user_id.in_(joined), DailyTotal.local_date >= start, DailyTotal.local_date < max(joined.values())
        )
    )
    before: dict[int, int] = defaultdict(int)
    for user_id, day, dials in rows:
        if day < joined[user_id]:
            before[user_id] += dials
    return before


def _time_off(team_id: int, start: date, through: date) -> dict[int, frozenset[date]]:
    """Each member's days of time off from ``start`` to ``through``."""
    rows = db.session.execute(
        select(TimeOff.user_id, TimeOff.first_day, TimeOff.last_day)
        .join(TeamMember, TeamMember.user_id == TimeOff.user_id)
        .where(TeamMember.team_id == team_id, TimeOff.last_day >= start, TimeOff.first_day <= through)
    )
    ranges: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for user_id, first, last in rows:
        ranges[user_id].append((first, last))
    return {uid: days_off(spans, start, through) for uid, spans in ranges.items()}
