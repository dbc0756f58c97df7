"""Pushes to the rep's devices: one delivery per item and device, sent by the worker.

A delivery is claimed (``queued`` to ``sending``) by one worker in one
statement, so two workers never send it twice. The push service's answer
decides what follows: 201 sent; 404 or 410 the device unsubscribed (its
subscription is removed); 429 and 5xx are retried with backoff (honouring
``Retry-After``); any other answer fails the delivery. The inbox keeps the
item whatever happens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from flask import current_app
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select, update

from webapp.extensions import db
from webapp.i18n import speaking
from webapp.models import InboxItem, PushDelivery, PushSubscription, User, utcnow
from webapp.services.notifications import keys
from webapp.services.transaction import writes

MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# A reminder an hour late is noise: push services drop it after this long.
TTL_SECONDS = 60 * 60
CLAIM_BATCH = 200
GONE_STATUSES = (404, 410)


@dataclass(frozen=True)
class Outbound:
    """Everything one push needs, read before the network call so no transaction waits on it."""

    delivery_id: int
    subscription_id: int | None
    endpoint: str
    p256dh: str
    auth: str
    payload: str
    attempts: int


def backoff(attempts: int, retry_after: str | None = None) -> timedelta:
    """How long to wait before attempt ``attempts + 1``: doubling from 30 s, or the service's Retry-After."""
    if retry_after and retry_after.strip().isdigit():
        return min(timedelta(seconds=int(retry_after.strip())), BACKOFF_MAX)
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_MAX)


@writes
def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim the deliveries due now for this worker; each id is returned to exactly one caller."""
    now = now or utcnow()
    due = select(PushDelivery.id).where(PushDelivery.state == "queued", PushDelivery.next_attempt_at <= now)
    ids = list(db.session.scalars(due.order_by(PushDelivery.id).limit(limit)))
    if not ids:
        return []
    # The state test runs again under the row lock: a second worker's UPDATE finds them claimed.
    claimed = db.session.execute(
        update(PushDelivery)
        .where(PushDelivery.id.in_(ids), PushDelivery.state == "queued")
        .values(state="sending", attempts=PushDelivery.attempts + 1)
        .returning(PushDelivery.id)
    )
    return sorted(claimed.scalars())


def payload_for(item: InboxItem, locale: str | None = None) -> str:
    """The JSON the service worker shows: title, body, where a click leads, and whether it can snooze.

    The words are the item's own (a reminder or team news is written in the rep's language); one
    posted in English that the catalogue knows ("A word from your coach") is said in ``locale``.
    """
    with speaking(locale) as say:
        title, body = say.gettext(item.title) if item.title else "", say.gettext(item.body) if item.body else ""
    return json.dumps(
        {
            "id": item.id,
            "kind": item.kind,
            "title": title,
            "body": body,
            "url": item.url,
            "tag": f"closer-{item.kind}",
            "reminder": item.is_reminder,
            "icon": _static("icons/icon-192.png"),
            "badge": _static("icons/badge-96.png"),
        },
        separators=(",", ":"),
    )


def _static(name: str) -> str:
    # The worker has no request to build URLs from; static URLs are plain paths with the deploy's version.
    return f"/static/{name}?v={current_app.config['ASSET_VERSION']}"


@writes
def _outbound(delivery_id: int) -> Outbound | None:
    row = db.session.execute(
        select(PushDelivery, InboxItem, PushSubscription, User.locale)
        .join(InboxItem, InboxItem.id == PushDelivery.item_id)
        .join(User, User.id == InboxItem.user_id)
        .outerjoin(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
        .where(PushDelivery.id == delivery_id, PushDelivery.state == "sending")
    ).first()
    if row is None:
        return None
    delivery, item, device, locale = row
    if device is None:
        delivery.state = "gone"
        return None
    return Outbound(
        delivery.id,
        device.id,
        device.endpoint,
        device.p256dh,
        device.auth,
        payload_for(item, locale),
        delivery.attempts,
    )


def send(message: Outbound) -> tuple[int, str | None]:
    """Encrypt and POST one push (aes128gcm, VAPID-signed); the status and Retry-After, 0 on a network error."""
    signer = keys.signer()
    if signer is None:
        return 0, None
    try:
        response = webpush(
            subscription_info={"endpoint": message.endpoint, "keys": {"p256dh": message.p256dh, "auth": message.auth}},
            data=message.payload,
            vapid_private_key=signer,
            vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]},
            ttl=TTL_SECONDS,
            timeout=current_app.config.get("PUSH_TIMEOUT_SECONDS", 10),
            headers={"Urgency": "normal"},
        )
    except WebPushException as error:
        response = error.response
        if response is None:
            return 0, None
    except requests.RequestException:
        return 0, None
    return response.status_code, response.headers.get("Retry-After")


@writes
def _record(message: Outbound, status: int, retry_after: str | None, now: datetime) -> str:
    delivery = db.session.get(PushDelivery, message.delivery_id)
    delivery.last_status = status or None
    if 200 <= status < 300:
        delivery.state = "sent"
        db.session.execute(
            update(PushSubscription).where(PushSubscription.id == message.subscription_id).values(last_sent_at=now)
        )
    elif status in GONE_STATUSES:
        delivery.state = "gone"
        db.session.execute(delete(PushSubscription).where(PushSubscription.id == message.subscription_id))
    elif (status == 0 or status == 429 or status >= 500) and message.attempts < MAX_ATTEMPTS:
        delivery.state = "queued"
        delivery.next_attempt_at = now + backoff(message.attempts, retry_after)
    else:
        delivery.state = "failed"
    return delivery.state


def deliver(delivery_id: int, now: datetime | None = None) -> str | None:
    """Send one claimed delivery and record what the push service said; returns its new state."""
    message = _outbound(delivery_id)
    if message is None:
        return None
    status, retry_after = send(message)
    return _record(message, status, retry_after, now or utcnow())
