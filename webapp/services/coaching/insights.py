"""The insights page and the coach's view of the team's reviews, from aggregate rows only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import func, select

from webapp.charts import Chart, bar_chart
from webapp.domain import best_times, funnel
from webapp.domain import insights as rules
from webapp.domain.outcomes import OUTCOME_CODES, POSITIVES
from webapp.domain.reviews import Objection, ReviewToggle
from webapp.extensions import db
from webapp.formats import calendar_names
from webapp.models import (
    DailyTotal,
    HourlyActivity,
    PlayerTotals,
    ReviewWeek,
    ToughCall,
    User,
)
from webapp.services.today import today_for

POSITIVE_CODES = tuple(o.value for o in POSITIVES)


OBJECTION_WEEKS_SHOWN = 6
TREND_WEEKS = 12


@dataclass(frozen=True)
class ObjectionWeeks:
    """The last few weeks of objections, as a small table: one row per objection met."""

    weeks: tuple[date, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Insights:
    """Everything the insights page shows, computed from aggregate rows."""

    objections: rules.ObjectionBreakdown
    objection_chart: Chart
    objection_weeks: ObjectionWeeks
    toggles: tuple[rules.ToggleRate, ...]
    best_times: best_times.BestTimes
    weekday_chart: Chart
    funnel: tuple[funnel.FunnelStage, ...]
    reviews: int
    resets: int
    bounce_backs: int
    bounce_backs_this_week: int
    tough_calls: int


REVIEW_WEEK_COUNTS = tuple(c.name for c in ReviewWeek.__table__.c if c.name not in ("user_id", "week_start"))
# Weeks the rules look at one by one: the two four-week trend windows of toggle_rates.
WEEKS_LOOKED_AT = 2 * rules.TREND_WINDOW_WEEKS


def _review_weeks(user_ids: list[int], today: date) -> list[dict]:
    """The weekly review aggregate of these reps, with weeks older than the trend windows folded into one.

    The totals stay exact; the rules only ever look at recent weeks one by
    one, so two years of history cost a dozen rows, not a hundred per rep.
    """
    if not user_ids:
        return []
    keep_from = rules.week_start(today) - timedelta(weeks=WEEKS_LOOKED_AT - 1)
    folded: dict[date, dict[str, int]] = {}
    for row in db.session.execute(select(ReviewWeek.__table__).where(ReviewWeek.user_id.in_(user_ids))):
        week = row.week_start if row.week_start >= keep_from else keep_from - timedelta(weeks=1)
        sums = folded.setdefault(week, dict.fromkeys(REVIEW_WEEK_COUNTS, 0))
        for name in REVIEW_WEEK_COUNTS:
            sums[name] += getattr(row, name)
    return [{"week_start": week, **sums} for week, sums in sorted(folded.items())]


def _objection_rows(weeks: list[dict]) -> list[tuple[date, Objection, int]]:
    return [(w["week_start"], o, w[o.value]) for w in weeks for o in Objection if w[o.value] > 0]


def _toggle_rows(weeks: list[dict]) -> list[tuple[date, ReviewToggle, int, int]]:
    return [
        (w["week_start"], t, w[f"{t.value}_yes"], w[f"{t.value}_answered"])
        for w in weeks
        for t in ReviewToggle
        if w[f"{t.value}_answered"] > 0
    ]


def _objection_summary(weeks: list[dict], today: date):
    """Totals over all time, plus the last few weeks laid out as a table."""
    # A zero row for this week stretches the weekly series up to today; zeros are never listed as met.
    breakdown = rules.objection_breakdown(_objection_rows(weeks) + [(rules.week_start(today), Objection.OTHER, 0)])
    shown = breakdown.weeks[-OBJECTION_WEEKS_SHOWN:]
    table = ObjectionWeeks(shown, tuple((s.label, s.counts[-len(shown) :]) for s in breakdown.series))
    chart = bar_chart([(t.label, t.count) for t in breakdown.totals], gettext("Objections met"), gettext("Times met"))
    return breakdown, chart, table


def insights_for(user: User, now: datetime | None = None) -> Insights:
    """The insights page: objections, review answers, best times, funnel, bounce backs."""
    today = today_for(user, now)
    weeks = _review_weeks([user.id], today)
    breakdown, chart, table = _objection_summary(weeks, today)
    hourly = db.session.execute(
        select(HourlyActivity.weekday, HourlyActivity.hour, HourlyActivity.dials, HourlyActivity.conversations).where(
            HourlyActivity.user_id == user.id
        )
    ).all()
    dials = {(r.weekday, r.hour): max(0, r.dials) for r in hourly}
    talks = {(r.weekday, r.hour): min(max(0, r.conversations), dials[(r.weekday, r.hour)]) for r in hourly}
    by_day = [0] * 7
    for (weekday, _), count in talks.items():
        by_day[weekday] += count
    lifetime = db.session.get(PlayerTotals, user.id)
    outcomes = lifetime.by_outcome() if lifetime else dict.fromkeys(OUTCOME_CODES, 0)
    week_bounces = db.session.scalar(
        select(func.coalesce(func.sum(DailyTotal.bounce_backs), 0)).where(
            DailyTotal.user_id == user.id, DailyTotal.local_date >= rules.week_start(today)
        )
    )
    tough = db.session.scalar(select(func.count()).select_from(ToughCall).where(ToughCall.user_id == user.id))
    return Insights(
        objections=breakdown,
        objection_chart=chart,
        objection_weeks=table,
        toggles=rules.toggle_rates(_toggle_rows(weeks), today),
        best_times=best_times.best_times(talks, dials),
        weekday_chart=bar_chart(
            list(zip(calendar_names().weekdays, by_day, strict=True)),  # in the rep's language
            gettext("Conversations by weekday"),
            gettext("Conversations"),
        ),
        funnel=funnel.funnel_from_outcomes({k: max(0, v) for k, v in outcomes.items()}),
        reviews=lifetime.reviews if lifetime else 0,
        resets=lifetime.resets if lifetime else 0,
        bounce_backs=lifetime.bounce_backs if lifetime else 0,
        bounce_backs_this_week=int(week_bounces),
        tough_calls=tough,
    )


@dataclass(frozen=True)
class TeamInsights:
    """What a coach sees of the team's reviews: objections met and how the answers are trending."""

    members: int
    reviews: int
    objections: rules.ObjectionBreakdown
    objection_chart: Chart
    objection_weeks: ObjectionWeeks
    toggles: tuple[rules.ToggleRate, ...]


def team_insights(user_ids: list[int], today: date) -> TeamInsights:
    """The team's objection breakdown and review trends, summed over the given reps' weekly aggregates."""
    weeks = _review_weeks(list(user_ids), today)
    breakdown, chart, table = _objection_summary(weeks, today)
    return TeamInsights(
        members=len(set(user_ids)),
        reviews=sum(max(0, w["reviews"]) for w in weeks),
        objections=breakdown,
        objection_chart=chart,
        objection_weeks=table,
        toggles=rules.toggle_rates(_toggle_rows(weeks), today),
    )
