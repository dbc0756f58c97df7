"""What connects Closer to other tools: a rep's API tokens, their dialer's codes, a team's webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


class ApiToken(db.Model):
    """A named token a dialer or a script sends as ``Authorization: Bearer``; only its sha256 is stored.

    ``scope`` is ``read`` or ``write`` (read and write). Revoking keeps the row,
    marked, so the list can say when it stopped working.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    scope: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters after the prefix, so the rep can tell tokens apart without the secret.
    hint: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def can_write(self) -> bool:
        """Whether the token may log calls and change things, not only read."""
        return self.scope == "write"


class DispositionMapping(db.Model):
    """A rep's own meaning for a dialer's disposition code; ``outcome`` None leaves it unmapped."""

    __tablename__ = "disposition_mappings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)


class TeamDispositionMapping(db.Model):
    """The coach's meaning for a dialer code, for every member who has not set their own."""

    __tablename__ = "team_disposition_mappings"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)


class PendingDialerCall(db.Model):
    """A call a dialer reported with a code nobody mapped yet: kept until the rep maps the code."""

    __tablename__ = "pending_dialer_calls"
    __table_args__ = (UniqueConstraint("user_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why it could not be logged once mapped (too old, say); it stays listed then.
    problem: Mapped[str | None] = mapped_column(String(200), nullable=True)


class TeamWebhook(db.Model):
    """A URL the coach set to hear the team's wins; each delivery is signed with ``secret``."""

    __tablename__ = "team_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[str] = mapped_column(String(100))  # comma-separated event names
    slack: Mapped[bool] = mapped_column(Boolean, default=False)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def event_set(self) -> frozenset[str]:
        """The events this webhook hears."""
        return frozenset(e for e in self.events.split(",") if e)


class WebhookDelivery(db.Model):
    """One event for one webhook: queued, sending, sent, or given up, with the last answer."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_state_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("team_webhooks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    event: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
