"""A team's webhooks as the coach manages them: add (with the address check), remove, test, and recent deliveries.

A URL whose host resolves to a loopback, private or link-local address is
refused (a webhook must not become a way into the server's own network),
unless ``WEBHOOK_ALLOW_PRIVATE`` is on for a chat server on the same
network. The check runs again before every send, so a name that later
resolves inside the network is refused then too.
"""

from __future__ import annotations

import secrets
import socket
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, select

from webapp.domain.webhooks import EVENTS, TEST_EVENT, refused_address
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import Team, TeamWebhook, WebhookDelivery, utcnow
from webapp.services.integrations.events import emit
from webapp.services.transaction import writes

MAX_WEBHOOKS = 10
RECENT = 20


class WebhookRefused(ValueError):
    """A webhook that cannot be added as asked; the message is meant for the coach."""


def check_url(url: str) -> str:
    """The URL, if it may receive deliveries; else ``WebhookRefused`` saying why."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise WebhookRefused(N_("Give a full http:// or https:// address, at most 500 characters."))
    if parts.username or parts.password:
        raise WebhookRefused(N_("Leave the user and password out of the address."))
    if current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        return url
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError, ValueError):
        raise WebhookRefused(worded(N_("%(host)s could not be found."), host=parts.hostname)) from None
    if any(refused_address(str(address)) for address in addresses):
        raise WebhookRefused(
            N_(
                "That address is on a private, loopback or link-local network; the server's owner can allow those "
                "with WEBHOOK_ALLOW_PRIVATE."
            )
        )
    return url


@writes
def add_webhook(team: Team, url: str, events: list[str], slack: bool, *, now: datetime | None = None) -> TeamWebhook:
    """Add a webhook for the team with a new signing secret."""
    chosen = [event for event in EVENTS if event in set(events)]
    if not chosen:
        raise WebhookRefused(N_("Choose at least one event."))
    if len(webhooks_of(team)) >= MAX_WEBHOOKS:
        raise WebhookRefused(worded(N_("A team has at most %(max)s webhooks; remove one first."), max=MAX_WEBHOOKS))
    hook = TeamWebhook(
        team_id=team.id,
        url=check_url(url),
        events=",".join(chosen),
        slack=slack,
        secret="whsec_" + secrets.token_urlsafe(32),
        created_at=now or utcnow(),
    )
    db.session.add(hook)
    db.session.flush()
    return hook


@writes
def remove_webhook(team: Team, webhook_id: int) -> bool:
    """Remove one of the team's webhooks and its deliveries."""
    return bool(
        db.session.execute(
            delete(TeamWebhook).where(TeamWebhook.id == webhook_id, TeamWebhook.team_id == team.id)
        ).rowcount
    )


@writes
def send_test(team: Team, webhook_id: int, *, now: datetime | None = None) -> bool:
    """Queue a test event to one of the team's webhooks; False when it is not the team's."""
    hook = db.session.scalar(select(TeamWebhook).where(TeamWebhook.id == webhook_id, TeamWebhook.team_id == team.id))
    if hook is None:
        return False
    emit([hook], TEST_EVENT, {"message": "This webhook works."}, None, "", now, always=True)
    return True


def webhooks_of(team: Team) -> list[TeamWebhook]:
    """The team's webhooks, oldest first."""
    return list(db.session.scalars(select(TeamWebhook).where(TeamWebhook.team_id == team.id).order_by(TeamWebhook.id)))


def recent_deliveries(team: Team, limit: int = RECENT) -> list[tuple[WebhookDelivery, str]]:
    """The team's last deliveries, newest first, each with its webhook's URL."""
    rows = db.session.execute(
        select(WebhookDelivery, TeamWebhook.url)
        .join(TeamWebhook, TeamWebhook.id == WebhookDelivery.webhook_id)
        .where(TeamWebhook.team_id == team.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    return [(delivery, url) for delivery, url in rows]
