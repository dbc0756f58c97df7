"""Calls from a dialer or a CRM: ``POST /api/v1/calls`` and ``GET /api/v1/calls``.

A logged call goes through the sync's path (``sync.apply_batch``, so
``record_calls``), answered per item like ``/api/v1/sync``. A dialer's retry
never counts twice: each call carries a client id (a UUID, or the dialer's
own call id, turned into a UUID the same way every time), or the request an
``Idempotency-Key`` from which each call's id is derived. The unique (rep,
client id) in the insert then decides, even for retries racing each other.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import and_, or_, select

from webapp.extensions import db
from webapp.models import Call, User
from webapp.services.sync import ItemResult, SyncBodyError, SyncItem, apply_batch

MAX_CALLS = 1000
MAX_PAGE = 500
DEFAULT_PAGE = 100
# Ids made from a dialer's own call id or an Idempotency-Key: the same input gives the same UUID.
ID_NAMESPACE = uuid.UUID("6f1c1f3e-8c0b-4a53-9f57-3b1f4e1c0de5")


class CallIn(BaseModel):
    """One call as a dialer or a CRM reports it."""

    model_config = ConfigDict(strict=True, title="CallIn", extra="forbid")

    outcome: Annotated[str, Field(max_length=40)] = Field(
        description="no_answer, voicemail, gatekeeper, not_interested, conversation, follow_up, meeting or sale."
    )
    occurred_at: AwareDatetime | None = Field(
        default=None, description="When the call ended, with its UTC offset. Defaults to the server's time."
    )
    client_id: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        default=None,
        description="The dialer's own id for the call (any text, or a UUID). A second call with the same id is "
        "a duplicate. Needed unless the request has an Idempotency-Key header.",
    )

    @field_validator("occurred_at")
    @classmethod
    def _representable_in_utc(cls, value: datetime | None) -> datetime | None:
        if value is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValueError("occurred_at is out of range") from None
        return value


class CallBatch(BaseModel):
    """Several calls in one request, applied in order."""

    model_config = ConfigDict(strict=True, title="CallBatch", extra="forbid")

    calls: list[CallIn] = Field(min_length=1, max_length=MAX_CALLS)


def parse_calls(raw: bytes) -> list[CallIn]:
    """One call (``{"outcome": ...}``) or a batch (``{"calls": [...]}``), or ``SyncBodyError``."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise SyncBodyError('The body must be JSON like {"outcome": "meeting"} or {"calls": [...]}.', 400) from None
    try:
        if isinstance(body, dict) and "calls" in body:
            return CallBatch.model_validate_json(raw).calls
        return [CallIn.model_validate_json(raw)]
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SyncBodyError(f"{where or 'body'}: {first['msg']}.") from None


def client_id_for(call: CallIn, index: int, idempotency_key: str | None) -> uuid.UUID:
    """The UUID a call is stored under: its own id, else one derived from the request's key and its place."""
    if call.client_id is not None:
        try:
            return uuid.UUID(call.client_id)
        except ValueError:
            return uuid.uuid5(ID_NAMESPACE, f"call:{call.client_id}")
    if idempotency_key:
        return uuid.uuid5(ID_NAMESPACE, f"key:{idempotency_key}:{index}")
    raise SyncBodyError(
        f"calls.{index}: give each call a client_id, or send an Idempotency-Key header, so a retry never counts twice."
    )


def log_calls(
    user: User, calls: list[CallIn], idempotency_key: str | None, *, source: str = "api", now: datetime | None = None
) -> list[ItemResult]:
    """Log the calls through the sync's write path; one result per call, in order."""
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise SyncBodyError("The Idempotency-Key header must be 1 to 200 characters.", 400)
    items = [
        SyncItem(
            client_id=client_id_for(call, index, idempotency_key),
            kind="tap",
            outcome=call.outcome,
            occurred_at=call.occurred_at,
        )
        for index, call in enumerate(calls)
    ]
    return apply_batch(user, items, now=now, source=source)


@dataclass(frozen=True)
class CallPage:
    """A page of calls and the cursor for the next one (None on the last page)."""

    calls: list[Call]
    next_cursor: str | None


def list_calls(
    user: User,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
) -> CallPage:
    """The rep's calls that count (undone ones left out), oldest first, ``limit`` at a time.

    Dates are the rep's own days (inclusive); times are instants (``start``
    inclusive, ``end`` exclusive). The cursor is the last call's time and
    id, so a call logged while a dialer pages through never shifts a page.
    """
    query = select(Call).where(Call.user_id == user.id, Call.undone_at.is_(None))
    if isinstance(start, datetime):
        query = query.where(Call.occurred_at >= start)
    elif isinstance(start, date):
        query = query.where(Call.local_date >= start)
    if isinstance(end, datetime):
        query = query.where(Call.occurred_at < end)
    elif isinstance(end, date):
        query = query.where(Call.local_date <= end)
    if cursor:
        after_at, after_id = decode_cursor(cursor)
        query = query.where(or_(Call.occurred_at > after_at, and_(Call.occurred_at == after_at, Call.id > after_id)))
    rows = list(db.session.scalars(query.order_by(Call.occurred_at, Call.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return CallPage(rows, encode_cursor(rows[-1]) if more else None)


def encode_cursor(call: Call) -> str:
    """An opaque cursor after ``call``."""
    return base64.urlsafe_b64encode(f"{call.occurred_at.isoformat()}|{call.id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The time and id a cursor points after, or ``SyncBodyError`` for one this server did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, row_id = raw.partition("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError
        return moment.astimezone(UTC), int(row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise SyncBodyError("That cursor is not one this server gave; start again without it.", 400) from None


def parse_bound(raw: str | None, name: str) -> datetime | date | None:
    """A ``from``/``to`` parameter: a date (the rep's day) or a time with its UTC offset."""
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise SyncBodyError(f"{name}: use a date like 2026-12-01 or a time like 2026-12-01T09:00:00+01:00.", 400)


def call_json(call: Call) -> dict:
    """One call as the API lists it."""
    return {
        "client_id": str(call.client_id),
        "outcome": call.outcome,
        "occurred_at": call.occurred_at.isoformat().replace("+00:00", "Z"),
        "local_date": call.local_date.isoformat(),
        "points": call.points,
        "source": call.source,
    }
