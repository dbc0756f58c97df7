""" "That was tough": one tap to mark a call, and a way to share that it was survived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.domain.encouragement import Moment
from webapp.extensions import db
from webapp.models import (
    Call,
    ToughCall,
    User,
    Win,
    utcnow,
)
from webapp.services.coaching.calls import hold_live, own_call
from webapp.services.today import today_for
from webapp.services.transaction import writes


@dataclass(frozen=True)
class Tough:
    """A call marked tough; ``moment`` names the kind words that go with it."""

    call: Call
    mark: ToughCall
    moment: Moment = Moment.AFTER_TOUGH_CALL


@writes
def mark_tough(user: User, client_id: str, *, now: datetime | None = None) -> Tough:
    """Mark one of the rep's calls as tough (once; marking again changes nothing)."""
    now = now or utcnow()
    call = own_call(user, client_id)
    hold_live(call)
    mark = _tough_mark(user, call, now)
    return Tough(call, mark)


@writes
def share_tough(user: User, client_id: str, *, now: datetime | None = None) -> Win:
    """Share "Tough call survived" to the team feed: a wins-log entry the feed picks up, written once."""
    now = now or utcnow()
    call = own_call(user, client_id)
    hold_live(call)
    mark = _tough_mark(user, call, now)
    mark.shared_at = mark.shared_at or now
    ref = f"tough:{call.client_id}"
    win = db.session.scalar(select(Win).where(Win.user_id == user.id, Win.ref == ref))
    if win is None:
        win = Win(
            user_id=user.id,
            kind="tough",
            ref=ref,
            title="Tough call survived",
            detail="",
            occurred_at=now,
            local_date=today_for(user, now),
        )
        db.session.add(win)
    return win


def _tough_mark(user: User, call: Call, now: datetime) -> ToughCall:
    mark = db.session.scalar(select(ToughCall).where(ToughCall.call_id == call.id))
    if mark is None:
        mark = ToughCall(user_id=user.id, call_id=call.id, marked_at=now)
        db.session.add(mark)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # marked twice at once: the first mark stands
            mark = db.session.scalar(select(ToughCall).where(ToughCall.call_id == call.id))
    return mark
