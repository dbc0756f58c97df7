"""What connects Closer to other tools: a rep's API tokens, and the codes their dialer sends."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
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
