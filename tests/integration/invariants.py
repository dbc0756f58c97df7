"""What must hold after any mix of taps, undos, replays, reviews and resets: every sum equals its calls.

``problems()`` reads the whole database and lists each disagreement in
words; an empty list means every day row, lifetime total, hourly and weekly
aggregate and XP equals the sum over the live (not undone) calls, reviews
and resets (a day's dialer calls: its live calls a dialer or the API logged),
and no count is negative. Used by the property tests and the
multi-server test.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select

from webapp.domain.badges import LIFETIME_CALL_METRICS, PlayerStats, badge_by_code, is_met
from webapp.domain.call_sources import logged_by_dialer
from webapp.domain.outcomes import CONVERSATIONS, OUTCOME_CODES
from webapp.extensions import db
from webapp.models import (
    Call,
    CallReview,
    DailyTotal,
    EarnedBadge,
    HourlyActivity,
    PlayerTotals,
    Reset,
    ReviewWeek,
    User,
)

_TALKS = {o.value for o in CONVERSATIONS}


def problems() -> list[str]:
    """Every way the aggregates disagree with the rows they sum, in words."""
    found: list[str] = []
    calls = db.session.scalars(select(Call)).all()
    live = [c for c in calls if c.undone_at is None]
    live_ids = {c.id for c in live}
    reviews = db.session.scalars(select(CallReview)).all()
    resets = db.session.scalars(select(Reset)).all()

    day_points: Counter = Counter()
    day_calls: dict = defaultdict(list)
    for call in live:
        day_calls[(call.user_id, call.local_date)].append(call)
        day_points[(call.user_id, call.local_date)] += call.points
    for review in reviews:
        if review.points and review.call_id not in live_ids:
            found.append(f"review {review.id} of an undone call still holds {review.points} points")
        if review.points:
            day_points[(review.user_id, review.credited_on)] += review.points
    for reset in resets:
        day_points[(reset.user_id, reset.local_date)] += reset.points or 0

    rows = {(r.user_id, r.local_date): r for r in db.session.scalars(select(DailyTotal))}
    for key in set(rows) | set(day_calls) | {k for k, v in day_points.items() if v}:
        row, mine = rows.get(key), day_calls.get(key, [])
        if row is None:
            found.append(f"no day row for {key} with {len(mine)} calls")
            continue
        counts = Counter(c.outcome for c in mine)
        expected = {
            "dials": len(mine),
            "points": day_points[key],
            "bounce_backs": sum(c.bounce_back for c in mine),
            "dialer_calls": sum(logged_by_dialer(c.source) for c in mine),
        }
        expected.update({code: counts[code] for code in OUTCOME_CODES})
        for name, value in expected.items():
            if getattr(row, name) != value:
                found.append(f"day {key}: {name} is {getattr(row, name)}, the calls say {value}")

    for user in db.session.scalars(select(User)):
        mine = [c for c in live if c.user_id == user.id]
        xp = (
            sum(c.points for c in mine)
            + sum(r.points for r in reviews if r.user_id == user.id)
            + sum(r.points or 0 for r in resets if r.user_id == user.id)
        )
        if user.xp != xp:
            found.append(f"user {user.id}: xp is {user.xp}, calls, reviews and resets earned {xp}")
        totals = db.session.get(PlayerTotals, user.id)
        counts = Counter(c.outcome for c in mine)
        if totals is None:
            if mine:
                found.append(f"user {user.id}: no lifetime row for {len(mine)} calls")
            continue
        expected = {"dials": len(mine), "bounce_backs": sum(c.bounce_back for c in mine)}
        expected.update({code: counts[code] for code in OUTCOME_CODES})
        for name, value in expected.items():
            if getattr(totals, name) != value:
                found.append(f"user {user.id}: lifetime {name} is {getattr(totals, name)}, the calls say {value}")
        stats = PlayerStats(
            lifetime_dials=totals.dials,
            lifetime_outcomes=totals.by_outcome(),
            bounce_backs=totals.bounce_backs,
            goal_days=totals.goal_days,
        )
        for code in db.session.scalars(select(EarnedBadge.code).where(EarnedBadge.user_id == user.id)):
            badge = badge_by_code(code)
            if badge.metric in LIFETIME_CALL_METRICS and not is_met(badge, stats):
                found.append(f"user {user.id} holds {code}, which the live calls no longer earn")

    hourly = db.session.scalars(select(HourlyActivity)).all()
    for user_id in {c.user_id for c in calls}:
        mine = [c for c in live if c.user_id == user_id]
        dials = sum(h.dials for h in hourly if h.user_id == user_id)
        talks = sum(h.conversations for h in hourly if h.user_id == user_id)
        if dials != len(mine) or talks != sum(c.outcome in _TALKS for c in mine):
            found.append(f"user {user_id}: hourly aggregate {dials}/{talks} for {len(mine)} live calls")
        week_reviews = sum(
            w.reviews for w in db.session.scalars(select(ReviewWeek).where(ReviewWeek.user_id == user_id))
        )
        live_reviews = sum(1 for r in reviews if r.user_id == user_id and r.call_id in live_ids)
        if week_reviews != live_reviews:
            found.append(f"user {user_id}: weekly review aggregate {week_reviews}, live reviews {live_reviews}")

    for model in (DailyTotal, PlayerTotals, HourlyActivity, ReviewWeek):
        for row in db.session.scalars(select(model)):
            negative = [
                c.name for c in model.__table__.c if isinstance(getattr(row, c.name), int) and getattr(row, c.name) < 0
            ]
            if negative:
                found.append(f"{model.__tablename__} row has negative {', '.join(negative)}")
    return found
