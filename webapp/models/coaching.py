"""Resilience coaching: reviews, tough calls, resets and the insights aggregates."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


class CallReview(db.Model):
    """The ten-second review of one call: three yes/no answers, the objection, one line.

    One per call; editing it changes this row (and the weekly aggregate), never adds one.
    """

    __tablename__ = "call_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    # The Monday of the call's local week: the aggregate row this review counts in.
    week_start: Mapped[date] = mapped_column(Date)
    asked_right_questions: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    listened_actively: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    timing_right: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    objection: Mapped[str | None] = mapped_column(String(30), nullable=True)
    next_time: Mapped[str | None] = mapped_column(String(140), nullable=True)
    points: Mapped[int] = mapped_column(Integer, default=0)
    # The rep's day the points were added to, so undoing the call takes them off that same day.
    credited_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The id the device gave the review when the rep saved it (before any attempt to send it), so a
    # replay of the same review from the outbox changes nothing; an edit without one keeps it.
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewWeek(db.Model):
    """Per rep, per local week: objections met and review answers, so insights never scan reviews."""

    __tablename__ = "review_weeks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    no_budget: Mapped[int] = mapped_column(Integer, default=0)
    bad_timing: Mapped[int] = mapped_column(Integer, default=0)
    too_busy: Mapped[int] = mapped_column(Integer, default=0)
    not_decision_maker: Mapped[int] = mapped_column(Integer, default=0)
    happy_with_provider: Mapped[int] = mapped_column(Integer, default=0)
    other: Mapped[int] = mapped_column(Integer, default=0)
    asked_right_questions_yes: Mapped[int] = mapped_column(Integer, default=0)
    asked_right_questions_answered: Mapped[int] = mapped_column(Integer, default=0)
    listened_actively_yes: Mapped[int] = mapped_column(Integer, default=0)
    listened_actively_answered: Mapped[int] = mapped_column(Integer, default=0)
    timing_right_yes: Mapped[int] = mapped_column(Integer, default=0)
    timing_right_answered: Mapped[int] = mapped_column(Integer, default=0)


class ToughCall(db.Model):
    """A call the rep marked "That was tough"; ``shared_at`` once shared to the team feed."""

    __tablename__ = "tough_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Reset(db.Model):
    """A short break: started on the server's clock, finished no earlier than its minutes allow."""

    __tablename__ = "resets"
    __table_args__ = (Index("ix_resets_user_day", "user_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    points: Mapped[int] = mapped_column(Integer, default=0)


class HourlyActivity(db.Model):
    """Per rep, per local weekday and hour: dials and conversations, for "best times to call"."""

    __tablename__ = "hourly_activity"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    dials: Mapped[int] = mapped_column(Integer, default=0)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
