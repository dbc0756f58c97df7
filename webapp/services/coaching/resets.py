"""Short resets: a breathing break, a stretch or a walk, timed on the server's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import func, select, update

from webapp.domain import inputs
from webapp.domain.celebrations import Celebration
from webapp.domain.resilience import (
    RESET_MAX_MINUTES,
    RESET_MIN_MINUTES,
    ResetInfo,
    reset_info,
    reset_points,
    reset_ready_after_seconds,
)
from webapp.extensions import db
from webapp.models import (
    Reset,
    User,
    utcnow,
)
from webapp.services.coaching.calls import CoachingError, NotFound
from webapp.services.game.progress import award_activity
from webapp.services.teams.version import bump_for_member
from webapp.services.today import today_for
from webapp.services.transaction import writes

# A finished reset may arrive this much early: the page's clock and the server's differ a little.
FINISH_TOLERANCE_SECONDS = 2
RESET_THRESHOLD_CHOICES = tuple(range(1, 11))


class TooSoon(CoachingError):
    """A reset finished before half its time was up."""

    def __init__(self, seconds_left: int):
        self.seconds_left = seconds_left
        super().__init__(
            gettext(
                "Nearly there: %(left)s to go. You can say you're ready once half the time has passed.",
                left=_duration(seconds_left),
            )
        )


def _duration(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes and secs:
        return gettext("%(minutes)s min %(seconds)s s", minutes=minutes, seconds=secs)
    if minutes:
        return gettext("%(minutes)s min", minutes=minutes)
    return ngettext("%(num)s second", "%(num)s seconds", secs)


@writes
def start_reset(user: User, kind: str, minutes: str | int, *, now: datetime | None = None) -> Reset:
    """Start a reset on the server's clock, or raise ``CoachingError`` and write nothing."""
    now = now or utcnow()
    try:
        info = reset_info(kind or "")
    except ValueError:
        raise CoachingError(gettext("Choose a breathing break, a stretch or a walk.")) from None
    try:
        length = inputs.whole_number(minutes, RESET_MIN_MINUTES, RESET_MAX_MINUTES)
    except inputs.InputError:
        raise CoachingError(
            gettext("Choose %(low)s to %(high)s minutes.", low=RESET_MIN_MINUTES, high=RESET_MAX_MINUTES)
        ) from None
    reset = Reset(
        user_id=user.id, kind=info.kind.value, minutes=length, started_at=now, local_date=today_for(user, now), points=0
    )
    db.session.add(reset)
    return reset


def own_reset(user: User, reset_id: int) -> Reset:
    """One of the rep's resets, or ``NotFound``."""
    reset = db.session.get(Reset, reset_id) if inputs.record_id(reset_id) else None
    if reset is None or reset.user_id != user.id:
        raise NotFound("There is no such reset.")
    return reset


def reset_ends_at(reset: Reset) -> datetime:
    """When the reset's time is up."""
    return reset.started_at + timedelta(minutes=reset.minutes)


def reset_ready_at(reset: Reset) -> datetime:
    """From when the rep may say "I'm ready": half the reset's time (the page shows the same moment)."""
    return reset.started_at + timedelta(seconds=reset_ready_after_seconds(reset.minutes))


@dataclass(frozen=True)
class ResetFinished:
    """A finished reset and what the game made of it."""

    reset: Reset
    celebrations: tuple[Celebration, ...] = ()


@writes
def finish_reset(user: User, reset_id: int, *, now: datetime | None = None) -> ResetFinished:
    """Log a reset once half its time has passed and award its points (a few resets a day are rewarded).

    Finishing before half the time raises ``TooSoon`` and changes nothing; finishing twice
    changes nothing the second time. A reset never touches the streak.
    """
    now = now or utcnow()
    reset = own_reset(user, reset_id)
    if reset.finished_at is not None:
        return ResetFinished(reset)
    left = (reset_ready_at(reset) - now).total_seconds()
    if left > FINISH_TOLERANCE_SECONDS:
        raise TooSoon(int(left + 0.999))
    rewarded = db.session.scalar(
        select(func.count())
        .select_from(Reset)
        .where(
            Reset.user_id == user.id,
            Reset.local_date == reset.local_date,
            Reset.finished_at.is_not(None),
            Reset.points > 0,
        )
    )
    points = reset_points(rewarded, reset.minutes)
    # Only the request that flips finished_at awards anything, however many arrive at once.
    flipped = db.session.execute(
        update(Reset).where(Reset.id == reset.id, Reset.finished_at.is_(None)).values(finished_at=now, points=points)
    ).rowcount
    if not flipped:
        db.session.rollback()
        return ResetFinished(own_reset(user, reset_id))
    cheers = award_activity(user, now, points=points, counters={"resets": 1}).celebrations
    bump_for_member(user.id)
    db.session.refresh(reset)
    return ResetFinished(reset, cheers)


def resets_rewarded_today(user: User, now: datetime | None = None) -> int:
    """How many of today's resets earned points."""
    return db.session.scalar(
        select(func.count())
        .select_from(Reset)
        .where(
            Reset.user_id == user.id,
            Reset.local_date == today_for(user, now),
            Reset.finished_at.is_not(None),
            Reset.points > 0,
        )
    )


def reset_guide(kind: str) -> ResetInfo:
    """The label and steps of a reset kind."""
    return reset_info(kind)


@writes
def update_reset_setting(user: User, raw: str) -> None:
    """Save "offer a reset after N no's in a row", or raise ``CoachingError`` and change nothing."""
    low, high = RESET_THRESHOLD_CHOICES[0], RESET_THRESHOLD_CHOICES[-1]
    try:
        refused = gettext("Choose a number of no's from %(low)s to %(high)s.", low=low, high=high)
        user.reset_after_nos = inputs.whole_number(raw, low, high, refused)
    except inputs.InputError as refused:
        raise CoachingError(str(refused)) from None
