"""Team events for webhooks, queued in the transaction of what happened.

The write path calls ``calls_changed`` after a change of calls; it adds one
``WebhookDelivery`` per webhook that hears the event and nothing else, so a
tap never waits on a receiver: the worker sends them. This module imports
only the models and the rules, so the write path can call it without a
circle. A team with no webhook costs one indexed read per new call batch.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from webapp.domain.celebrations import CelebrationKind
from webapp.domain.outcomes import label_for
from webapp.domain.webhooks import chat_text
from webapp.extensions import db
from webapp.models import TeamWebhook, User, WebhookDelivery, utcnow

BADGE_PREFIX = "Badge: "


def calls_changed(
    user: User, team_id: int | None, calls: Iterable, sign: int, celebrations, challenge, now: datetime
) -> None:
    """Queue the events of new calls: each call, meetings and sales, badges earned, a challenge reached."""
    if team_id is None or sign <= 0:
        return
    hooks = list(db.session.scalars(select(TeamWebhook).where(TeamWebhook.team_id == team_id)))
    if not hooks:
        return
    rep = {"id": user.id, "display_name": user.display_name}
    for call in calls:
        data = {"rep": rep, "outcome": call.outcome, "occurred_at": _iso(call.occurred_at)}
        emit(hooks, "call", data, user.display_name, label_for(call.outcome), now)
        if call.outcome in ("meeting", "sale"):
            emit(hooks, call.outcome, data, user.display_name, label_for(call.outcome), now)
    for cheer in celebrations:
        if cheer.kind == CelebrationKind.BADGE:
            badge = cheer.title.removeprefix(BADGE_PREFIX)
            emit(hooks, "badge", {"rep": rep, "badge": badge}, user.display_name, badge, now)
    if challenge is not None and challenge.reached_now:
        emit(hooks, "challenge", {"challenge": challenge.label, "target": challenge.target}, None, challenge.label, now)


def emit(
    hooks: Iterable[TeamWebhook],
    event: str,
    data: dict,
    actor: str | None,
    subject: str,
    now: datetime | None = None,
    *,
    always: bool = False,
) -> list[WebhookDelivery]:
    """One delivery per webhook that hears ``event`` (``always`` for a test event), in the caller's unit of work."""
    now = now or utcnow()
    made = []
    for hook in hooks:
        if not always and event not in hook.event_set:
            continue
        event_id = f"evt_{uuid.uuid4().hex}"
        body: dict = {"id": event_id, "type": event, "created": int(now.timestamp()), "team_id": hook.team_id}
        body["data"] = data
        if hook.slack:
            body["text"] = chat_text(event, actor, subject)
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            event_id=event_id,
            event=event,
            body=json.dumps(body, separators=(",", ":")),
            state="queued",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        db.session.add(delivery)
        made.append(delivery)
    return made


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
