"""A rep's export read back in (a rep moving to another server keeps their history), exactly once.

Calls go through the sync's write path (``apply_batch``, so
``record_calls``) with their own client ids, so importing the same file
twice, or into the account it came from, adds nothing the second time. Calls
the rep had undone are left out. Imported calls may be older than the sync
window (``source="import"`` lifts it; the future is still refused).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from webapp.models import User
from webapp.services.integrations.export import FORMAT
from webapp.services.sync import SyncItem, apply_batch

CHUNK = 500
SOURCE = "import"


class ImportRefused(ValueError):
    """A file that is not a Closer export; nothing was imported."""


@dataclass(frozen=True)
class ImportResult:
    """How many calls were new, already there, or refused (with the first reason)."""

    added: int
    already_there: int
    refused: int
    first_reason: str | None


def parse_export(raw: bytes) -> list[SyncItem]:
    """The calls of an export document, as taps; ``ImportRefused`` for anything else."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ImportRefused("That file is not JSON; choose closer-export.json from your download.") from None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("calls"), list)
    ):
        raise ImportRefused("That file is not a Closer export (closer-export.json).")
    items = []
    for number, call in enumerate(document["calls"], start=1):
        if not isinstance(call, dict):
            raise ImportRefused(f"Call {number} is not an object.")
        if call.get("undone_at_utc"):
            continue
        try:
            items.append(
                SyncItem(
                    client_id=uuid.UUID(str(call["client_id"])),
                    kind="tap",
                    outcome=str(call["outcome"]),
                    occurred_at=datetime.fromisoformat(str(call["occurred_at_utc"]).replace("Z", "+00:00")),
                )
            )
        except (KeyError, ValueError, TypeError):
            raise ImportRefused(f"Call {number} is missing its client_id, outcome or occurred_at_utc.") from None
    return items


def import_calls(user: User, items: list[SyncItem]) -> ImportResult:
    """Apply the calls in chunks (oldest first) through the one write path; count what happened."""
    items = sorted(items, key=lambda item: item.occurred_at or datetime.min)
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    first_reason = None
    for start in range(0, len(items), CHUNK):
        for result in apply_batch(user, items[start : start + CHUNK], source=SOURCE):
            counts[result.status] += 1
            if result.status == "rejected" and first_reason is None:
                first_reason = result.reason
    return ImportResult(counts["accepted"], counts["duplicate"], counts["rejected"], first_reason)
