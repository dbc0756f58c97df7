"""The database schema, as typed SQLAlchemy 2.0 models.

The schema changes only through Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
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
    # The game's settings: a late shift can start its day at 04:00.
    day_start_hour: Mapped[int] = mapped_column(Integer, default=0)
    working_days: Mapped[str] = mapped_column(String(13), default="0,1,2,3,4")
    goal_dials: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_conversations: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_follow_ups: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The streak settled through ``streak_as_of``; the last few days are replayed on read.
    streak_as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    streak_current: Mapped[int] = mapped_column(Integer, default=0)
    streak_longest: Mapped[int] = mapped_column(Integer, default=0)
    streak_freezes: Mapped[int] = mapped_column(Integer, default=0)
    streak_toward_freeze: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def working_day_set(self) -> frozenset[int]:
        """Working weekdays, 0 = Monday."""
        return frozenset(int(d) for d in (self.working_days or "").split(",") if d != "")


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
    bounce_back: Mapped[bool] = mapped_column(Boolean, default=False)
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
    bounce_backs: Mapped[int] = mapped_column(Integer, default=0)
    # Earliest call of the day, in local minutes after midnight (for "early bird").
    first_call_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The daily dial goal as it stood, whether it was met, and whether the day
    # was a working day when recorded: a later change of settings never
    # rewrites a streak day already earned.
    dial_target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_met: Mapped[bool] = mapped_column(Boolean, default=False)
    counted: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    def by_outcome(self) -> dict[str, int]:
        """Count of calls per outcome code."""
        return {code: getattr(self, code) or 0 for code in OUTCOME_CODES}


class PlayerTotals(db.Model):
    """Lifetime counters per rep, kept beside the daily rows so badge checks never scan history."""

    __tablename__ = "player_totals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    dials: Mapped[int] = mapped_column(Integer, default=0)
    no_answer: Mapped[int] = mapped_column(Integer, default=0)
    voicemail: Mapped[int] = mapped_column(Integer, default=0)
    gatekeeper: Mapped[int] = mapped_column(Integer, default=0)
    not_interested: Mapped[int] = mapped_column(Integer, default=0)
    conversation: Mapped[int] = mapped_column(Integer, default=0)
    follow_up: Mapped[int] = mapped_column(Integer, default=0)
    meeting: Mapped[int] = mapped_column(Integer, default=0)
    sale: Mapped[int] = mapped_column(Integer, default=0)
    bounce_backs: Mapped[int] = mapped_column(Integer, default=0)
    goal_days: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    resets: Mapped[int] = mapped_column(Integer, default=0)
    high_fives_given: Mapped[int] = mapped_column(Integer, default=0)
    messages_posted: Mapped[int] = mapped_column(Integer, default=0)
    challenges_reached: Mapped[int] = mapped_column(Integer, default=0)
    # The best day before ``best_day_as_of``, refreshed once a day.
    best_day_dials: Mapped[int] = mapped_column(Integer, default=0)
    best_day_as_of: Mapped[date | None] = mapped_column(Date, nullable=True)

    def by_outcome(self) -> dict[str, int]:
        """Lifetime count of calls per outcome code."""
        return {code: getattr(self, code) or 0 for code in OUTCOME_CODES}


class EarnedBadge(db.Model):
    """A badge a rep holds. Awarded once: the unique constraint makes sure of it."""

    __tablename__ = "earned_badges"
    __table_args__ = (UniqueConstraint("user_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    local_date: Mapped[date] = mapped_column(Date)


class Win(db.Model):
    """An entry in the wins log. ``ref`` names what it is for, so it is written once."""

    __tablename__ = "wins"
    __table_args__ = (
        UniqueConstraint("user_id", "ref"),
        Index("ix_wins_user_occurred", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    local_date: Mapped[date] = mapped_column(Date)


class Reward(db.Model):
    """A reward the rep set for themself, like "coffee at 40 dials"."""

    __tablename__ = "rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    metric: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RewardHit(db.Model):
    """A reward reached on a day; it is celebrated once that day."""

    __tablename__ = "reward_hits"

    reward_id: Mapped[int] = mapped_column(
        ForeignKey("rewards.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
