"""The insights aggregates calls move: per hour of the week, and the weekly review sums."""

from __future__ import annotations

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from webapp.domain.reviews import ReviewToggle
from webapp.extensions import db
from webapp.models import Call, CallReview, User
from webapp.services import hot_sql, prepared


def reviews_of(calls: list[Call]) -> list[CallReview]:
    """The reviews of these calls (one query)."""
    ids = [call.id for call in calls]
    return list(db.session.scalars(select(CallReview).where(CallReview.call_id.in_(ids)))) if ids else []


def review_points_by_day(reviews: list[CallReview], calls: list[Call]) -> dict[date, int]:
    """The points these reviews earned, by the rep's day they were added to."""
    call_day = {call.id: call.local_date for call in calls}
    points: dict[date, int] = {}
    for review in reviews:
        if review.points:
            day = review.credited_on or call_day[review.call_id]
            points[day] = points.get(day, 0) + review.points
    return points


def calls_changed(user: User, calls: list[Call], sign: int, reviews: list[CallReview] = ()) -> None:
    """Coaching's part of the write path, after a tap, a synced batch or an undo, in its transaction.

    Moves the per-hour aggregate (one statement per hour touched). An undo
    also takes the calls' ``reviews`` out of the weekly review aggregate, and
    their points go (the game took them off the board): the review rows stay,
    as what the rep wrote, earning nothing.
    """
    zone = ZoneInfo(user.timezone)
    dials: Counter[tuple[int, int]] = Counter()
    talks: Counter[tuple[int, int]] = Counter()
    for call in calls:
        local = call.occurred_at.astimezone(zone)
        slot = (local.weekday(), local.hour)
        dials[slot] += sign
        talks[slot] += sign if call.outcome in hot_sql.CONVERSATION_CODES else 0
    for (weekday, hour), count in dials.items():
        prepared.run(
            hot_sql.ADD_TO_HOUR,
            {
                "user_id": user.id,
                "weekday": weekday,
                "hour": hour,
                "dials": count,
                "conversations": talks[(weekday, hour)],
            },
        )
    if sign < 0:
        for review in reviews:
            count_review(review, -1)
            review.points = 0


def count_review(review: CallReview, sign: int) -> None:
    """Add a review to (or take it out of) its week's aggregate row."""
    increments = dict.fromkeys(hot_sql.REVIEW_WEEK_COUNTERS, 0)
    increments["reviews"] = sign
    if review.objection:
        increments[review.objection] = sign
    for toggle in ReviewToggle:
        answer = getattr(review, toggle.value)
        if answer is not None:
            increments[f"{toggle.value}_answered"] = sign
            increments[f"{toggle.value}_yes"] = sign if answer else 0
    prepared.run(hot_sql.ADD_TO_REVIEW_WEEK, {"user_id": review.user_id, "week_start": review.week_start, **increments})
