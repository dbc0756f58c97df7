"""The rep's own calls, as coaching sees them: one found by its id, and the list to review."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import (
    Call,
    CallReview,
    ToughCall,
    User,
)
from webapp.services.today import today_for


class NotFound(LookupError):
    """No such call, review or reset of this rep's (a 404: another rep's looks the same as none)."""


class CoachingError(ValueError):
    """Input the server will not accept; the message is meant for the rep."""


def own_call(user: User, client_id: str | uuid.UUID) -> Call:
    """The rep's live (not undone) call with this client id, or ``NotFound``."""
    try:
        cid = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError:
        raise NotFound("There is no such call.") from None
    call = db.session.scalar(select(Call).where(Call.user_id == user.id, Call.client_id == cid))
    if call is None or call.is_undone:
        raise NotFound("There is no such call.")
    return call


def hold_live(call: Call) -> None:
    """Lock the call's row for this transaction while it is live, or ``NotFound`` once it is undone.

    A review (or a tough mark) racing an undo of the same call must either
    come first, and be taken back with the call, or see it undone: the
    undo's claim and this update touch the same row, so the database puts
    them in order (a row lock on PostgreSQL, the write lock on SQLite).
    """
    held = db.session.execute(
        update(Call)
        .where(Call.id == call.id, Call.undone_at.is_(None))
        .values(undone_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not held:
        raise NotFound("There is no such call.")


@dataclass(frozen=True)
class ReviewableCall:
    """A call on the "recent calls" page, with whether it was reviewed or marked tough."""

    call: Call
    reviewed: bool
    tough: bool


REVIEWABLE_LIMIT = 200


def reviewable_calls(user: User, now: datetime | None = None) -> list[ReviewableCall]:
    """Today's and yesterday's calls, newest first, each with its review and tough marks."""
    today = today_for(user, now)
    rows = db.session.execute(
        select(Call, CallReview.id, ToughCall.id)
        .outerjoin(CallReview, CallReview.call_id == Call.id)
        .outerjoin(ToughCall, ToughCall.call_id == Call.id)
        .where(Call.user_id == user.id, Call.local_date >= today - timedelta(days=1), Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(REVIEWABLE_LIMIT)
    ).all()
    return [ReviewableCall(call, review is not None, tough is not None) for call, review, tough in rows]
