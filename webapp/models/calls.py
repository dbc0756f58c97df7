"""Calls, and the per-day and lifetime sums every page reads instead of scanning them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import OutcomeCounts, UTCDateTime, utcnow


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
    # Where the call came from: "app" (a tap), "api" (a token), "dialer" (a disposition URL), "import".
    source: Mapped[str] = mapped_column(String(16), default="app", server_default="app")

    @property
    def is_undone(self) -> bool:
        """Whether the rep took this call back."""
        return self.undone_at is not None


class DailyTotal(OutcomeCounts, db.Model):
    """Per rep, per local day: the sums every page reads instead of scanning calls.

    Written in the same transaction as the call (or undo) that changes it.
    """

    __tablename__ = "daily_totals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    dials: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    bounce_backs: Mapped[int] = mapped_column(Integer, default=0)
    # Earliest call of the day, in local minutes after midnight (for "early bird").
    first_call_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The daily dial goal as it stood, whether it was met, and whether the day
    # was a working day when recorded: a later change of settings never
    # rewrites a streak day already earned.
    dial_target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_met: Mapped[bool] = mapped_column(Boolean, default=False)
    counted: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # The streak's daily minimum as it stood, and whether the rep reached it
    # (computed in the day's upsert, like ``goal_met``). The server default keeps
    # rows written by plain SQL elsewhere (benchmarks, imports) valid.
    min_dials: Mapped[int | None] = mapped_column(Integer, nullable=True)
    showed_up: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Of the day's dials, those logged by a dialer or through the API (``domain.call_sources``), so a
    # board can mark a number that a machine helped make without counting the calls table.
    dialer_calls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlayerTotals(OutcomeCounts, db.Model):
    """Lifetime counters per rep, kept beside the daily rows so badge checks never scan history."""

    __tablename__ = "player_totals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    dials: Mapped[int] = mapped_column(Integer, default=0)
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
