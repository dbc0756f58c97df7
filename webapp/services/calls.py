"""The one write path for calls: logging, syncing, undoing and backfilling all come here.

A call and the per-day aggregate it changes are written in one transaction,
so every page can read sums and they can never drift from the calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from webapp.domain.outcomes import OUTCOME_CODES, Outcome, parse_outcome, points_for
from webapp.domain.timing import check_occurred_at, local_day
from webapp.extensions import db
from webapp.models import Call, DailyTotal, User, utcnow


class CallRejected(ValueError):
    """A tap the server will not record; the message is meant for the rep."""


@dataclass(frozen=True)
class TapResult:
    """What a tap did: the call, and whether it is new or a replay of one already logged."""

    call: Call
    created: bool


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
    call = Call(
        user_id=user.id,
        client_id=cid,
        outcome=code.value,
        occurred_at=when,
        local_date=local_day(when, user.timezone),
        points=points_for(code),
        created_at=now,
    )
    db.session.add(call)
    try:
        db.session.flush()
    except IntegrityError:
        # Two deliveries of the same tap raced; the other one won.
        db.session.rollback()
        return TapResult(find_call(user, cid), created=False)
    _add_to_day(user.id, call.local_date, code, +1)
    user.xp = (user.xp or 0) + call.points
    db.session.commit()
    return TapResult(call, created=True)


def undo_call(user: User, client_id: str | uuid.UUID, *, now: datetime | None = None) -> Call:
    """Take a call back out of every count. Undoing twice changes nothing the second time.

    Raises ``CallRejected`` when the rep has no call with that id.
    """
    call = find_call(user, parse_client_id(client_id))
    if call is None:
        raise CallRejected("There is no such call to undo.")
    if call.undone_at is None:
        call.undone_at = now or utcnow()
        _add_to_day(user.id, call.local_date, Outcome(call.outcome), -1)
        user.xp = (user.xp or 0) - call.points
        db.session.commit()
    return call


def find_call(user: User, client_id: uuid.UUID) -> Call | None:
    """The rep's call with this client id, undone or not."""
    return db.session.scalar(
        select(Call).where(Call.user_id == user.id, Call.client_id == client_id)
    )


def _add_to_day(user_id: int, day: date, outcome: Outcome, sign: int) -> None:
    """Add (or, with ``sign=-1``, remove) one call in the day's aggregate row, atomically."""
    points = sign * points_for(outcome)
    values = {"user_id": user_id, "local_date": day, "dials": sign, "points": points}
    values.update({code: 0 for code in OUTCOME_CODES})
    values[outcome.value] = sign
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DailyTotal).values(**values)
    table = DailyTotal.__table__
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.local_date],
        set_={
            "dials": table.c.dials + sign,
            "points": table.c.points + points,
            outcome.value: table.c[outcome.value] + sign,
        },
    )
    db.session.execute(stmt)
