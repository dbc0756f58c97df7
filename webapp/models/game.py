"""What the game keeps: badges earned, the wins log, personal rewards, time off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


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

    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id", ondelete="CASCADE"), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)


class TimeOff(db.Model):
    """Days a rep marked as time off (holiday, sick, training): they neither keep nor break a streak."""

    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_user_last_day", "user_id", "last_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
