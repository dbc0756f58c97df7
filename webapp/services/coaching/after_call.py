"""What the main screen offers after a call: a kind word, the closer-to-yes meter, a review, a reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from webapp.domain.encouragement import Moment
from webapp.domain.outcomes import POSITIVES, REJECTIONS
from webapp.domain.resilience import (
    ESTIMATE_WINDOW_DAYS,
    MIN_DIALS_FOR_ESTIMATE,
    RESET_OFFER_THRESHOLD,
    CloserToYes,
    closer_to_yes,
    rejection_run,
    should_offer_reset,
)
from webapp.models import Call, User
from webapp.services import hot_sql, prepared
from webapp.services.today import today_for

# How far back a run of no's is looked for; nobody needs a bigger number to be offered a break.
RUN_LOOKBACK_CALLS = 60
REJECTION_CODES = frozenset(o.value for o in REJECTIONS)
POSITIVE_CODES = frozenset(o.value for o in POSITIVES)


@dataclass(frozen=True)
class AfterCall:
    """What the main screen offers after a call; ``moment`` names the kind words that fit it."""

    call: Call
    offer_review: bool
    closer: CloserToYes | None
    run: int
    threshold: int
    offer_reset: bool
    moment: Moment | None
    line: str | None = None  # the words themselves, picked by the page that shows them


def after_call(user: User, last_call: Call | None) -> AfterCall | None:
    """The review offer, the closer-to-yes meter and the reset offer after ``last_call`` (None: nothing)."""
    if last_call is None or last_call.is_undone:
        return None
    is_no = last_call.outcome in REJECTION_CODES
    threshold = user.reset_after_nos or RESET_OFFER_THRESHOLD
    run = rejection_run(_recent_outcomes(user)) if is_no else 0
    offer_reset = is_no and should_offer_reset(run, threshold)
    if offer_reset:
        moment = Moment.BAD_RUN
    elif last_call.bounce_back and last_call.outcome not in POSITIVE_CODES:
        # A yes after a no needs no consolation: the win speaks (and celebrates) for itself.
        moment = Moment.COMEBACK
    else:
        moment = Moment.AFTER_NO if is_no else None
    return AfterCall(
        call=last_call,
        offer_review=is_no,
        closer=closer_to_yes_for(user) if is_no else None,
        run=run,
        threshold=threshold,
        offer_reset=offer_reset,
        moment=moment,
    )


def _recent_outcomes(user: User) -> list[str]:
    """The rep's latest outcomes, newest first, undone calls left out."""
    return [row.outcome for row in prepared.rows(hot_sql.LATEST_OUTCOMES, user_id=user.id, limit=RUN_LOOKBACK_CALLS)]


def closer_to_yes_for(user: User, now: datetime | None = None) -> CloserToYes:
    """The closer-to-yes meter from the rep's last 30 days.

    Dials and positives come from the day aggregates. Dials since the last
    positive are counted from calls, but only when a positive happened in
    the window, so the count never reaches further back than 30 days.
    """
    today = today_for(user, now)
    since = today - timedelta(days=ESTIMATE_WINDOW_DAYS - 1)
    dials, positives = prepared.first(hot_sql.WINDOW_DIALS_AND_POSITIVES, user_id=user.id, since=since, today=today)
    dials, positives = int(dials), min(int(positives), int(dials))
    dials_in = 0
    if dials >= MIN_DIALS_FOR_ESTIMATE and positives:
        last_yes = prepared.scalar(hot_sql.LAST_POSITIVE, user_id=user.id, since=since)
        if last_yes is not None:
            dials_in = prepared.scalar(hot_sql.DIALS_SINCE, user_id=user.id, since=last_yes)
    return closer_to_yes(dials, positives, dials_in)
