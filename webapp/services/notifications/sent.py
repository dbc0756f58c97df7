"""The reminders a rep was sent, read back as the rules need them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from webapp.domain.reminders import REMINDER_KINDS, SentReminder
from webapp.extensions import db
from webapp.models import InboxItem


def reminder_history(user_ids: Iterable[int], since: datetime) -> dict[int, list[SentReminder]]:
    """Each rep's reminders created since ``since``, oldest first (one query for them all)."""
    ids = list(user_ids)
    history: dict[int, list[SentReminder]] = {user_id: [] for user_id in ids}
    if not ids:
        return history
    rows = db.session.execute(
        select(
            InboxItem.user_id,
            InboxItem.kind,
            InboxItem.local_date,
            InboxItem.ref,
            InboxItem.created_at,
            InboxItem.opened_at,
            InboxItem.snoozed_until,
        )
        .where(
            InboxItem.user_id.in_(ids),
            InboxItem.kind.in_(REMINDER_KINDS),
            InboxItem.created_at >= since,
            InboxItem.local_date.is_not(None),
        )
        .order_by(InboxItem.created_at, InboxItem.id)
    )
    for row in rows:
        history[row.user_id].append(
            SentReminder(
                kind=row.kind,
                day=row.local_date,
                round=_round_of(row.ref),
                sent_at=row.created_at,
                opened=row.opened_at is not None,
                snoozed_until=row.snoozed_until,
            )
        )
    return history


def recent_wordings(user_id: int, kind: str, since: datetime) -> set[str]:
    """The wordings of ``kind`` the rep was sent since ``since``."""
    return set(
        db.session.scalars(
            select(InboxItem.wording).where(
                InboxItem.user_id == user_id,
                InboxItem.kind == kind,
                InboxItem.created_at >= since,
                InboxItem.wording.is_not(None),
            )
        )
    )


def _round_of(ref: str | None) -> int:
    tail = (ref or "").rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
