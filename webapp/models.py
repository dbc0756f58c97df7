"""The database schema, as typed SQLAlchemy 2.0 models.

The schema changes only through Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.extensions import db


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime, stored as naive UTC so SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


class User(UserMixin, db.Model):
    """A rep (and, once teams exist, possibly a coach)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    xp: Mapped[int] = mapped_column(Integer, default=0)


class Call(db.Model):
    """One dial and its outcome. Undone calls stay, marked, so a replayed id stays a duplicate."""

    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id"),
        Index("ix_calls_user_occurred", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    outcome: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_undone(self) -> bool:
        """Whether the rep took this call back."""
        return self.undone_at is not None


class DailyTotal(db.Model):
    """Per rep, per local day: the sums every page reads instead of scanning calls.

    Written in the same transaction as the call (or undo) that changes it.
    """

    __tablename__ = "daily_totals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    dials: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    no_answer: Mapped[int] = mapped_column(Integer, default=0)
    voicemail: Mapped[int] = mapped_column(Integer, default=0)
    gatekeeper: Mapped[int] = mapped_column(Integer, default=0)
    not_interested: Mapped[int] = mapped_column(Integer, default=0)
    conversation: Mapped[int] = mapped_column(Integer, default=0)
    follow_up: Mapped[int] = mapped_column(Integer, default=0)
    meeting: Mapped[int] = mapped_column(Integer, default=0)
    sale: Mapped[int] = mapped_column(Integer, default=0)

    def by_outcome(self) -> dict[str, int]:
        """Count of calls per outcome code."""
        return {code: getattr(self, code) or 0 for code in OUTCOME_CODES}
