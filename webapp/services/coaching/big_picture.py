"""The bigger picture: a year of days, the weekly trend, the lifetime funnel, personal bests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from webapp.charts import CalendarNames, Chart, calendar_heatmap, weekly_trend_chart
from webapp.domain import funnel, history
from webapp.domain.outcomes import OUTCOME_CODES, POSITIVES
from webapp.extensions import db
from webapp.models import (
    DailyTotal,
    PlayerTotals,
    User,
)
from webapp.services.today import today_for

POSITIVE_CODES = tuple(o.value for o in POSITIVES)
TREND_WEEKS = 12


@dataclass(frozen=True)
class BigPicture:
    """The long view: a year of days, weekly trend, lifetime funnel and personal bests."""

    heatmap: Chart
    trend: Chart
    funnel: tuple[funnel.FunnelStage, ...]
    bests: history.PersonalBests
    dials: int
    points: int
    days_active: int
    first_day: date | None
    reviews: int
    resets: int
    bounce_backs: int


def big_picture_for(user: User, now: datetime | None = None, calendar: CalendarNames | None = None) -> BigPicture:
    """The bigger-picture page, from the day aggregates and the lifetime totals; ``calendar``: the rep's locale's."""
    today = today_for(user, now)
    positives = sum((getattr(DailyTotal, code) for code in POSITIVE_CODES), start=0)
    rows = [
        history.DailyRow._make(r)
        for r in db.session.execute(
            select(DailyTotal.local_date, DailyTotal.dials, DailyTotal.points, positives).where(
                DailyTotal.user_id == user.id, DailyTotal.local_date <= today
            )
        )
    ]
    year_ago = today - timedelta(weeks=53)
    heatmap = calendar_heatmap({r.day: r.dials for r in rows if r.day > year_ago}, today, names=calendar)
    trend = weekly_trend_chart(history.weekly_trend(rows, today, TREND_WEEKS))
    lifetime = db.session.get(PlayerTotals, user.id)
    outcomes = lifetime.by_outcome() if lifetime else dict.fromkeys(OUTCOME_CODES, 0)
    active = [r.day for r in rows if r.dials > 0]
    return BigPicture(
        heatmap=heatmap,
        trend=trend,
        funnel=funnel.funnel_from_outcomes({k: max(0, v) for k, v in outcomes.items()}),
        bests=history.personal_bests(rows, days_off=set(range(7)) - user.working_day_set),
        dials=lifetime.dials if lifetime else 0,
        points=sum(r.points for r in rows),
        days_active=len(active),
        first_day=min(active) if active else None,
        reviews=lifetime.reviews if lifetime else 0,
        resets=lifetime.resets if lifetime else 0,
        bounce_backs=lifetime.bounce_backs if lifetime else 0,
    )
