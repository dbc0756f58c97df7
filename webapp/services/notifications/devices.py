"""Push subscriptions: one per browser that turned notifications on."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from sqlalchemy import delete, select

from webapp.domain import inputs
from webapp.extensions import db
from webapp.models import PushSubscription, User, utcnow
from webapp.services.transaction import writes

ENDPOINT_MAX = 2000
DEVICE_MAX = 80


class SubscriptionError(ValueError):
    """A subscription the server will not store; the message says why."""


def _key(raw, name: str, size: int) -> str:
    """A base64url key of ``size`` bytes, as the Push API gives it."""
    text = (raw or "").strip() if isinstance(raw, str) else ""
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != size:
        raise SubscriptionError(f"The subscription's {name} key is not a valid key.")
    return text.rstrip("=")


def is_endpoint(endpoint: object) -> bool:
    """Could this be a subscription's endpoint: text without control characters, not too long."""
    return isinstance(endpoint, str) and inputs.is_clean_text(endpoint, ENDPOINT_MAX)


def parse_subscription(body) -> tuple[str, str, str]:
    """Endpoint, p256dh and auth from ``PushSubscription.toJSON()``, or ``SubscriptionError``."""
    if not isinstance(body, dict):
        raise SubscriptionError("Send the browser's subscription as JSON.")
    endpoint = body.get("endpoint")
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    if not inputs.is_clean_text(endpoint, ENDPOINT_MAX):
        raise SubscriptionError("The subscription has no endpoint.")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise SubscriptionError("The subscription's endpoint is not a web address.")
    return endpoint, _key(keys.get("p256dh"), "p256dh", 65), _key(keys.get("auth"), "auth", 16)


@writes
def subscribe(user: User, body, device: str = "") -> PushSubscription:
    """Store this browser's subscription for ``user``; a known endpoint moves to them with its new keys."""
    endpoint, p256dh, auth = parse_subscription(body)
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(endpoint=endpoint, created_at=utcnow())
        db.session.add(row)
    # A shared browser that changes hands sends to the rep logged in now.
    row.user_id, row.p256dh, row.auth, row.device = user.id, p256dh, auth, (device or "")[:DEVICE_MAX]
    db.session.flush()
    return row


@writes
def unsubscribe(user: User, endpoint: str | None = None, subscription_id: int | None = None) -> bool:
    """Forget one of the rep's devices, by its endpoint or id; False when it was not theirs."""
    query = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        if not inputs.is_clean_text(endpoint, ENDPOINT_MAX):
            return False  # no device was ever stored under such an address
        query = query.where(PushSubscription.endpoint == endpoint)
    elif subscription_id is not None:
        query = query.where(PushSubscription.id == subscription_id)
    else:
        return False
    return bool(db.session.execute(query).rowcount)


def devices_of(user: User) -> list[PushSubscription]:
    """The rep's subscribed devices, oldest first."""
    return list(
        db.session.scalars(
            select(PushSubscription).where(PushSubscription.user_id == user.id).order_by(PushSubscription.id)
        )
    )
