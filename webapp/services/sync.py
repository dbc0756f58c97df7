"""Replaying a device's outbox: taps and undos queued offline, applied exactly once.

Every item goes through the same write path as a live tap (``record_calls`` and
``undo_calls``), so a synced call is indistinguishable from one logged online.
The device made each client id at tap time, so replaying a batch whose answer
was lost changes nothing the second time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from webapp.models import User, utcnow
from webapp.services.calls import CallRejected, Tap, find_calls, record_calls, undo_calls
from webapp.services.transaction import writes

MAX_BATCH_ITEMS = 1000


class SyncItem(BaseModel):
    """One queued action from the device's outbox."""

    model_config = ConfigDict(strict=True, title="SyncItem")

    client_id: uuid.UUID = Field(description="The UUID the device gave the tap when it was made.")
    kind: Literal["tap", "undo"] = Field(description="A tap logs a call; an undo takes one back.")
    outcome: Annotated[str, Field(max_length=40)] | None = Field(
        default=None,
        description="Outcome code of the tap (for an undo: of the tap it takes back). "
        "An unknown code is refused per item.",
    )
    occurred_at: AwareDatetime | None = Field(
        default=None,
        description="When the tap happened, from the device clock, with its UTC offset. Defaults to the server's time.",
    )

    @field_validator("occurred_at")
    @classmethod
    def _representable_in_utc(cls, value: datetime | None) -> datetime | None:
        # "0001-01-01T00:00:00+01:00" parses but has no UTC equivalent.
        if value is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValueError("occurred_at is out of range") from None
        return value


class SyncBatch(BaseModel):
    """The body of ``POST /api/v1/sync``."""

    model_config = ConfigDict(strict=True, title="SyncBatch")

    items: list[SyncItem] = Field(max_length=MAX_BATCH_ITEMS)


class SyncBodyError(ValueError):
    """A body that cannot be applied at all; nothing was written. ``status`` is 400 or 422."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item: ``accepted``, ``duplicate`` or ``rejected`` (with a reason)."""

    client_id: uuid.UUID
    kind: str
    status: str
    reason: str | None = None

    def as_json(self) -> dict:
        """The per-item shape of the sync answer."""
        body = {"client_id": str(self.client_id), "kind": self.kind, "status": self.status}
        if self.reason is not None:
            body["reason"] = self.reason
        return body


def parse_batch(raw: bytes) -> SyncBatch:
    """Validate a JSON body, or raise ``SyncBodyError`` with a message a developer can act on."""
    try:
        return SyncBatch.model_validate_json(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        if first["type"] == "json_invalid":
            raise SyncBodyError('The body must be JSON like {"items": [...]}.', 400) from None
        where = ".".join(str(part) for part in first["loc"])
        if first["type"] == "too_long" and first["loc"] == ("items",):
            raise SyncBodyError(f"At most {MAX_BATCH_ITEMS} items per sync; send the rest in another batch.") from None
        raise SyncBodyError(f"{where or 'body'}: {first['msg']}.") from None


@writes
def apply_batch(
    user: User, items: list[SyncItem], *, now: datetime | None = None, source: str = "app"
) -> list[ItemResult]:
    """Apply items in order through the one write path, commit once, and say what happened to each.

    Consecutive taps go to ``record_calls`` together and consecutive undos to
    ``undo_calls``, so the game is evaluated once per run instead of once per item.
    ``source`` marks the new calls: the app's outbox, or the API for a token.
    """
    now = now or utcnow()
    results: list[ItemResult] = []
    run: list[SyncItem] = []
    for item in [*items, None]:
        if run and (item is None or item.kind != run[0].kind):
            results.extend(
                _apply_taps(user, run, now, source) if run[0].kind == "tap" else _apply_undos(user, run, now, source)
            )
            run = []
        if item is not None:
            run.append(item)
    return results


def _apply_taps(user: User, items: list[SyncItem], now: datetime, source: str) -> list[ItemResult]:
    taps = [Tap(item.outcome or "", item.client_id, item.occurred_at, source) for item in items]
    answers = record_calls(user, taps, now=now)
    return [
        ItemResult(item.client_id, item.kind, "rejected", str(answer))
        if isinstance(answer, CallRejected)
        else ItemResult(item.client_id, item.kind, "accepted" if answer.created else "duplicate")
        for item, answer in zip(items, answers, strict=True)
    ]


def _apply_undos(user: User, items: list[SyncItem], now: datetime, source: str) -> list[ItemResult]:
    """Undo a run of calls; an id the server has never seen is first recorded, then undone.

    That undone call is a tombstone: the tap it takes back may still be on its
    way (its answer was lost, so the device could not know it arrived), and when
    it comes, ``record_calls`` sees a known id and changes nothing. A refused
    item is reported, never raised, so the rest of the batch goes on.
    """
    known = {call.client_id for call in find_calls(user, [item.client_id for item in items])}
    unseen = [item for item in items if item.client_id not in known and item.outcome]
    refused = {}
    if unseen:
        taps = [Tap(item.outcome, item.client_id, item.occurred_at, source) for item in unseen]
        for item, answer in zip(unseen, record_calls(user, taps, now=now), strict=True):
            if isinstance(answer, CallRejected):
                refused[item.client_id] = answer
    answers = undo_calls(user, [item.client_id for item in items], now=now)
    results = []
    for item, answer in zip(items, answers, strict=True):
        if item.client_id in refused:  # the tombstone's tap was refused: say why, not "no such call"
            answer = refused[item.client_id]
        if isinstance(answer, CallRejected):
            results.append(ItemResult(item.client_id, item.kind, "rejected", str(answer)))
        else:
            results.append(ItemResult(item.client_id, item.kind, "accepted" if answer.undone else "duplicate"))
    return results
