"""The ten-second review of a call: three toggles, the objection, one line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.domain import insights as rules
from webapp.domain.celebrations import Celebration
from webapp.domain.reviews import ReviewInput, ReviewToggle, review_points, validate_review
from webapp.extensions import db
from webapp.models import (
    Call,
    CallReview,
    User,
    utcnow,
)
from webapp.services.coaching.aggregates import count_review
from webapp.services.coaching.calls import CoachingError, hold_live, own_call
from webapp.services.game.progress import award_activity
from webapp.services.game.stats import objections_reviewed
from webapp.services.teams.version import bump_for_member
from webapp.services.today import today_for
from webapp.services.transaction import writes

# What the weekly aggregate counts of a review.
_COUNTED = ("user_id", "week_start", "objection", *(t.value for t in ReviewToggle))


def review_of(user: User, call: Call) -> CallReview | None:
    """The rep's review of this call, if there is one."""
    return db.session.scalar(select(CallReview).where(CallReview.call_id == call.id, CallReview.user_id == user.id))


@dataclass(frozen=True)
class ReviewSaved:
    """A saved review, the points it earned (0 for an edit) and any celebration.

    ``replayed``: this very review (the same ``review_id``) was saved before, and nothing changed.
    """

    review: CallReview
    points: int
    created: bool
    celebrations: tuple[Celebration, ...] = ()
    replayed: bool = False


def parse_review(form) -> ReviewInput:
    """A review from form fields (missing toggles are skipped), or ``CoachingError``."""
    toggles = {t.value: form.get(t.value) for t in ReviewToggle if t.value in form}
    try:
        return validate_review(toggles, form.get("objection"), form.get("next_time"))
    except ValueError as error:
        raise CoachingError(gettext(str(error))) from None


def parse_review_id(raw: str | None) -> uuid.UUID | None:
    """The id a device gave a review when the rep saved it (none from a plain form), or ``CoachingError``."""
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise CoachingError(gettext("This review's id is not one this app makes.")) from None


@writes
def save_review(
    user: User,
    client_id: str,
    answers: ReviewInput,
    *,
    review_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> ReviewSaved:
    """Save (or edit) the review of one of the rep's calls.

    A first review with any answer earns ``review_points`` and counts toward
    the review badges; an edit earns nothing again. An empty first review is
    refused, so Save is never a points button. Raises ``NotFound`` or
    ``CoachingError`` and writes nothing then.

    ``review_id`` is the id the device made when the rep saved the review,
    before sending it: a review the device sends again (its answer was lost,
    or it waited in the outbox) is a replay and changes nothing, not even
    an edit made since on another device. Plain edits keep the id.
    """
    now = now or utcnow()
    call = own_call(user, client_id)
    hold_live(call)
    review = review_of(user, call)
    if review is not None and review_id is not None and review.client_id == review_id:
        return ReviewSaved(review, 0, False, replayed=True)
    if review is None and answers.is_empty:
        raise CoachingError(gettext("Nothing to save yet: tap an answer or an objection, or skip the review."))
    created = review is None
    if created:
        review = CallReview(
            user_id=user.id, call_id=call.id, week_start=rules.week_start(call.local_date), created_at=now
        )
        db.session.add(review)
        before = None
    else:
        before = SimpleNamespace(**{name: getattr(review, name) for name in _COUNTED})
    for toggle in ReviewToggle:
        setattr(review, toggle.value, answers.answer(toggle))
    review.objection = answers.objection.value if answers.objection else None
    review.next_time = answers.next_time
    review.updated_at = now
    if review_id is not None:
        review.client_id = review_id
    try:
        db.session.flush()
    except IntegrityError:
        # The same review arrived twice at once; the first one counts.
        db.session.rollback()
        first = review_of(user, call)
        return ReviewSaved(first, 0, False, replayed=review_id is not None and first.client_id == review_id)
    cheers: tuple[Celebration, ...] = ()
    if created:
        review.points = review_points(answers)
        review.credited_on = today_for(user, now)
        # This review is counted in the weekly aggregate below, after the game: add its objection here.
        seen = objections_reviewed(user.id) | ({review.objection} if review.objection else set())
        cheers = award_activity(
            user, now, points=review.points, counters={"reviews": 1}, distinct_objections_reviewed=len(seen)
        ).celebrations
        bump_for_member(user.id)
    # The weekly aggregate last, as the write path does: rows are locked in one order.
    if before is not None:
        count_review(before, -1)
    count_review(review, +1)
    return ReviewSaved(review, review.points if created else 0, created, cheers)


def review_values(review: CallReview | None) -> dict[str, str]:
    """A saved review as the form's values ("yes", "no" or ""), to fill the edit form."""
    if review is None:
        return {}
    values = {t.value: {True: "yes", False: "no", None: ""}[getattr(review, t.value)] for t in ReviewToggle}
    return {**values, "objection": review.objection or "", "next_time": review.next_time or ""}
