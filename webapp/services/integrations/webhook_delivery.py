"""Sending webhook deliveries, from the worker: claimed once, signed, retried with backoff for up to a day.

A 2xx answer is a delivery. Anything else (an error status, a timeout, a
refused address) is retried at doubling intervals from
``WEBHOOK_RETRY_BASE_SECONDS`` until ``WEBHOOK_GIVE_UP_SECONDS`` (a day) after the
first try, then given up. A receiver cannot slow the worker down for long:
connecting and reading each have a timeout, and redirects are not followed.
"""

from __future__ import annotations

import socket
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from sqlalchemy import select, update

from webapp.domain.webhooks import SIGNATURE_HEADER, next_attempt, refused_address, signature
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.models import TeamWebhook, WebhookDelivery, utcnow
from webapp.services.transaction import writes

CLAIM_BATCH = 100
USER_AGENT = "Closer-Webhooks/1"


@writes
def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim the deliveries due now; each id is returned to exactly one worker."""
    now = now or utcnow()
    due = select(WebhookDelivery.id).where(WebhookDelivery.state == "queued", WebhookDelivery.next_attempt_at <= now)
    ids = list(db.session.scalars(due.order_by(WebhookDelivery.id).limit(limit)))
    if not ids:
        return []
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids), WebhookDelivery.state == "queued")
        .values(state="sending", attempts=WebhookDelivery.attempts + 1)
        .returning(WebhookDelivery.id)
    )
    return sorted(claimed.scalars())


def deliver(delivery_id: int, now: datetime | None = None) -> str | None:
    """Send one claimed delivery and record the answer; returns its new state."""
    row = db.session.execute(
        select(WebhookDelivery, TeamWebhook)
        .join(TeamWebhook, TeamWebhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == "sending")
    ).first()
    if row is None:
        return None
    delivery, hook = row
    url, secret, event_id, body = hook.url, hook.secret, delivery.event_id, delivery.body.encode()
    db.session.rollback()  # no transaction held open while waiting on the receiver
    status, error = send(url, secret, event_id, body, now or utcnow())
    return record(delivery_id, status, error, now or utcnow())


def send(url: str, secret: str, event_id: str, body: bytes, now: datetime) -> tuple[int | None, str | None]:
    """POST the signed body; the status code, or None and what went wrong."""
    config = current_app.config
    if not config["WEBHOOK_ALLOW_PRIVATE"] and _resolves_inside(url):
        # Stored in English as the delivery's last error; the coach's page translates it.
        return None, N_("The address resolves to a private, loopback or link-local network.")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature(secret, int(now.timestamp()), body),
        "Closer-Event-Id": event_id,
    }
    timeout = config["WEBHOOK_TIMEOUT_SECONDS"]
    try:
        response = requests.post(url, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False)
    except requests.RequestException as error:
        return None, type(error).__name__
    response.close()
    return response.status_code, None


def _resolves_inside(url: str) -> bool:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname or "", port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        return False  # not found: the send fails and is retried
    return any(refused_address(str(info[4][0])) for info in infos)


@writes
def record(delivery_id: int, status: int | None, error: str | None, now: datetime) -> str:
    """Mark a delivery sent, or queue its retry, or give it up after ``WEBHOOK_GIVE_UP_SECONDS`` (a day)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return "gone"
    delivery.last_attempt_at = now
    delivery.last_status = status
    delivery.last_error = error[:200] if error else None
    if status is not None and 200 <= status < 300:
        delivery.state = "sent"
        return delivery.state
    config = current_app.config
    retry_at = next_attempt(
        delivery.created_at,
        delivery.attempts,
        now,
        base=timedelta(seconds=config["WEBHOOK_RETRY_BASE_SECONDS"]),
        give_up_after=timedelta(seconds=config["WEBHOOK_GIVE_UP_SECONDS"]),
    )
    if retry_at is None:
        delivery.state = "failed"
    else:
        delivery.state = "queued"
        delivery.next_attempt_at = retry_at
    return delivery.state
