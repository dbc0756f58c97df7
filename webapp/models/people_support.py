"""Quiet support in a team: the daily huddle and call buddies."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


class HuddleSetting(db.Model):
    """A team's daily huddle, as its coach set it: on or off, a time of the team's day, a prompt."""

    __tablename__ = "huddle_settings"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[time] = mapped_column(Time)
    prompt: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HuddleAnswer(db.Model):
    """A member's one line for the huddle of one team day (or a skip): once each, by constraint."""

    __tablename__ = "huddle_answers"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "day"),
        Index("ix_huddle_answers_team_day", "team_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The team's calendar date (team timezone) the answer belongs to.
    day: Mapped[date] = mapped_column(Date)
    prompt: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(String(140), default="")
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HuddleHighFive(db.Model):
    """One teammate's high-five on one huddle answer, once each (the key decides)."""

    __tablename__ = "huddle_high_fives"

    answer_id: Mapped[int] = mapped_column(ForeignKey("huddle_answers.id", ondelete="CASCADE"), primary_key=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BuddyPair(db.Model):
    """Two members of a team who keep an eye on each other: invited, then active, then ended.

    A pair counts only while both are still in its team; a member who leaves
    ends it without a write. ``last_nudge_at`` holds the one-an-hour limit.
    """

    __tablename__ = "buddy_pairs"
    __table_args__ = (
        Index("ix_buddy_pairs_inviter_status", "inviter_id", "status"),
        Index("ix_buddy_pairs_invitee_status", "invitee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    invitee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="invited")  # "invited", "active" or "ended"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The pair's first day (the earlier of the two todays when accepted): the buddy streak starts there.
    started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The buddy streak settled through ``streak_as_of`` (like the rep's own); the last days are replayed on read.
    streak_as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    streak_current: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_longest: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_freezes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_toward_freeze: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_broken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_broken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    streak_repaired_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class BuddySeat(db.Model):
    """A rep's place in their active pairing: one seat a rep, so the database holds "one buddy at a time".

    Taken by both when an invite is accepted (two accepts racing: the second
    INSERT fails), given back when the pair ends. A pair that ended because
    one of them left the team gives its seats back at their next accept.
    """

    __tablename__ = "buddy_seats"
    __table_args__ = (Index("ix_buddy_seats_pair_id", "pair_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"))
