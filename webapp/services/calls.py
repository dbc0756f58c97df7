"""The one write path for calls: logging, syncing, undoing and backfilling all come here.

A call and the per-day aggregate it changes are written in one transaction,
so every page can read sums and they can never drift from the calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.domain.celebrations import Celebration
from webapp.domain.outcomes import parse_outcome, points_for
from webapp.domain.resilience import BOUNCE_BACK_POINTS, is_bounce_back
from webapp.domain.streaks import local_day
from webapp.domain.timing import check_occurred_at
from webapp.extensions import db
from webapp.models import Call, User, utcnow
from webapp.services import game


class CallRejected(ValueError):
    """A tap the server will not record; the message is meant for the rep."""


@dataclass(frozen=True)
class TapResult:
    """What a tap did: the call, whether it is new, and what the game made of it."""

    call: Call
    created: bool
    game: game.GameState | None = None
    celebrations: tuple[Celebration, ...] = ()


def parse_client_id(raw: str | uuid.UUID | None) -> uuid.UUID:
    """The client UUID of a tap, or ``CallRejected`` with a clear message."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        raise CallRejected("The call id must be a UUID, like 1b4e28ba-2fa1-11d2-883f-0016d3cca427.") from None


def record_call(
    user: User,
    outcome: str,
    client_id: str | uuid.UUID,
    occurred_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> TapResult:
    """Log one call for ``user``; a client id seen before records nothing and is a success.

    Raises ``CallRejected`` for an unknown outcome, a malformed id, or a time
    outside the sync window, and writes nothing then.
    """
    now = now or utcnow()
    try:
        code = parse_outcome(outcome)
        when = check_occurred_at(
            occurred_at or now,
            now,
            window_days=current_app.config["SYNC_WINDOW_DAYS"],
            skew_seconds=current_app.config["CLOCK_SKEW_SECONDS"],
        )
    except ValueError as error:
        raise CallRejected(str(error)) from None
    cid = parse_client_id(client_id)
    existing = find_call(user, cid)
    if existing is not None:
        return TapResult(existing, created=False)
    bounce = _is_bounce_back(user, when)
    call = Call(
        user_id=user.id,
        client_id=cid,
        outcome=code.value,
        occurred_at=when,
        local_date=local_day(when, user.timezone, user.day_start_hour or 0),
        points=points_for(code) + (BOUNCE_BACK_POINTS if bounce else 0),
        bounce_back=bounce,
        created_at=now,
    )
    db.session.add(call)
    try:
        db.session.flush()
    except IntegrityError:
        # Two deliveries of the same tap raced; the other one won.
        db.session.rollback()
        return TapResult(find_call(user, cid), created=False)
    state, celebrations = game.apply_call_change(user, call, +1, now)
    db.session.commit()
    return TapResult(call, True, state, tuple(celebrations))


def undo_call(user: User, client_id: str | uuid.UUID, *, now: datetime | None = None) -> Call:
    """Take a call back out of every count. Undoing twice changes nothing the second time.

    Raises ``CallRejected`` when the rep has no call with that id.
    """
    call = find_call(user, parse_client_id(client_id))
    if call is None:
        raise CallRejected("There is no such call to undo.")
    if call.undone_at is None:
        call.undone_at = now or utcnow()
        game.apply_call_change(user, call, -1, call.undone_at)
        db.session.commit()
    return call


def find_call(user: User, client_id: uuid.UUID) -> Call | None:
    """The rep's call with this client id, undone or not."""
    return db.session.scalar(
        select(Call).where(Call.user_id == user.id, Call.client_id == client_id)
    )


def _is_bounce_back(user: User, when: datetime) -> bool:
    """Whether this dial came soon after a no: the rep got straight back on the phone."""
    previous = db.session.execute(
        select(Call.outcome, Call.occurred_at)
        .where(Call.user_id == user.id, Call.occurred_at <= when, Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc())
        .limit(1)
    ).first()
    return previous is not None and is_bounce_back(previous.outcome, previous.occurred_at, when)
