"""The rep's inbox: every notification, listed under the bell, and pushed to their devices when wanted.

Other features post here::

    from webapp.services.notifications import inbox
    inbox.post(user_id, "coach_note", "A word from your coach", "Great calls today.", url="/team")

``post`` runs in the caller's unit of work: the item, and one queued push
per device of the rep (when push is on for that kind), commit with the
caller's own change. The worker sends the pushes within a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.models import InboxItem, PushDelivery, PushSubscription, utcnow
from webapp.services.notifications import keys
from webapp.services.notifications.preferences import push_wanted
from webapp.services.transaction import writes

LIST_LIMIT = 50
SNOOZE = timedelta(hours=1)
TITLE_MAX, BODY_MAX, URL_MAX = 120, 300, 200


class InboxError(ValueError):
    """An inbox action that was not done; the message is meant for the rep."""


def safe_url(url: str | None) -> str:
    """A path inside the app, or "/": a notification never sends a rep elsewhere."""
    url = (url or "/").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > URL_MAX:
        return "/"
    return url


@writes
def post(
    user_id: int,
    kind: str,
    title: str,
    body: str = "",
    url: str = "/",
    *,
    ref: str | None = None,
    wording: str | None = None,
    local_date: date | None = None,
    push: bool = True,
    now: datetime | None = None,
) -> InboxItem | None:
    """Put a notification in the rep's inbox and queue a push to each of their devices.

    ``ref``, when given, is unique per rep: a second post with the same ref
    writes nothing and returns ``None`` (that is how a reminder is claimed
    once, however many workers try). ``push=False`` keeps it in the list only.
    """
    now = now or utcnow()
    values = {
        "user_id": user_id,
        "kind": kind[:30],
        "title": (title or "")[:TITLE_MAX],
        "body": (body or "")[:BODY_MAX],
        "url": safe_url(url),
        "ref": ref,
        "wording": wording,
        "local_date": local_date,
        "created_at": now,
    }
    table = InboxItem.__table__
    if ref is None:
        statement = insert(table).returning(table.c.id)
    else:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(table)
            .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.ref])
            .returning(table.c.id)
        )
    item_id = db.session.execute(statement, values).scalar()
    if item_id is None:
        return None
    if push and keys.push_enabled() and push_wanted(user_id, kind):
        queue_pushes(item_id, user_id, now)
    return db.session.get(InboxItem, item_id)


def queue_pushes(item_id: int, user_id: int, now: datetime) -> int:
    """One queued delivery per device of the rep; returns how many."""
    devices = list(db.session.scalars(select(PushSubscription.id).where(PushSubscription.user_id == user_id)))
    for device_id in devices:
        db.session.add(PushDelivery(item_id=item_id, subscription_id=device_id, next_attempt_at=now))
    return len(devices)


@dataclass(frozen=True)
class InboxPage:
    """The newest items and how many are unread."""

    items: list[InboxItem]
    unread: int


def unread_count(user_id: int) -> int:
    """How many items the rep has not read yet."""
    return db.session.scalar(
        select(func.count()).select_from(InboxItem).where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
    )


def inbox_of(user_id: int, limit: int = LIST_LIMIT) -> InboxPage:
    """The rep's newest items, newest first."""
    items = list(
        db.session.scalars(
            select(InboxItem)
            .where(InboxItem.user_id == user_id)
            .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
            .limit(limit)
        )
    )
    return InboxPage(items, unread_count(user_id))


def _own_item(user_id: int, item_id: int) -> InboxItem:
    item = db.session.scalar(select(InboxItem).where(InboxItem.id == item_id, InboxItem.user_id == user_id))
    if item is None:
        raise LookupError(item_id)
    return item


@writes
def mark_all_read(user_id: int, now: datetime | None = None) -> int:
    """Mark every unread item read; returns how many changed."""
    return db.session.execute(
        update(InboxItem)
        .where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        .values(read_at=now or utcnow())
    ).rowcount


@writes
def open_item(user_id: int, item_id: int, now: datetime | None = None) -> str:
    """The rep opened an item (from the list or a notification): read, opened; returns where it leads.

    Raises ``LookupError`` when it is not the rep's.
    """
    item = _own_item(user_id, item_id)
    now = now or utcnow()
    item.read_at = item.read_at or now
    item.opened_at = item.opened_at or now
    return item.url


@writes
def snooze(user_id: int, item_id: int, now: datetime | None = None) -> InboxItem:
    """Ask for a reminder again in an hour (if it is still needed then).

    Raises ``LookupError`` when it is not the rep's and ``InboxError`` when it
    is not a reminder.
    """
    item = _own_item(user_id, item_id)
    if not item.is_reminder:
        raise InboxError(N_("Only reminders can be snoozed."))
    now = now or utcnow()
    item.read_at = item.read_at or now
    item.snoozed_until = now + SNOOZE
    return item
