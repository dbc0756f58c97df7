"""The insights aggregates calls move: per hour of the week, and the weekly review sums."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select

from webapp.domain.reviews import ReviewToggle
from webapp.extensions import db
from webapp.models import Call, CallReview, User
from webapp.services import hot_sql, prepared


def calls_changed(user: User, calls: list[Call], sign: int) -> None:
    """Coaching's part of the write path, after a tap, a synced batch or an undo, in its transaction.

    Moves the per-hour aggregate (one statement per hour touched); an undo
    also takes the calls' reviews out of the weekly review aggregate (the
    review rows themselves stay).
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
        ids = [call.id for call in calls]
        for review in db.session.scalars(select(CallReview).where(CallReview.call_id.in_(ids))):
            count_review(review, -1)


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
