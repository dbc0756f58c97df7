"""The database schema, as typed SQLAlchemy 2.0 models.

The schema changes only through Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

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
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


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
    # The latest call by time, so a bounce back is seen without querying the calls.
    last_call_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_call_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Offer a reset after this many no's in a row.
    reset_after_nos: Mapped[int] = mapped_column(Integer, default=3)

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


class OutcomeCounts:
    """A count per call outcome, shared by the day rows and the lifetime rows."""

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


# --------------------------------------------------------------------------
# Resilience coaching: reviews, tough calls, resets and the insights aggregates
# --------------------------------------------------------------------------


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


# ---- Teams: membership, invites, the feed, high-fives, challenges, TV links ----


class Team(db.Model):
    """A team of reps and its coach. ``version`` moves on every change a board or feed shows."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    # The team's weeks (Monday start) and months are in this timezone.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every tap, undo, post, high-five and membership change: the ETag of live views.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # sha256 of the TV link's token; None when there is no live TV link.
    tv_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class TeamMember(db.Model):
    """A rep's place in a team. A rep belongs to one team at a time (unique ``user_id``)."""

    __tablename__ = "team_members"
    __table_args__ = (Index("ix_team_members_team_role", "team_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10), default="member")  # "coach" or "member"
    # Private mode: left off the boards (still sees them; still in the feed).
    private_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamInvite(db.Model):
    """An invite link. Only the sha256 of its token is stored, so a database read leaks no live link."""

    __tablename__ = "team_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)


class TeamMessage(db.Model):
    """A short post in the team feed: a member's message, or the team's own news (``user_id`` None)."""

    __tablename__ = "team_messages"
    __table_args__ = (Index("ix_team_messages_team_created", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="message")  # "message" or "challenge"
    body: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HighFive(db.Model):
    """One member's high-five on one feed item (a win or a message); once each, by constraint."""

    __tablename__ = "high_fives"
    __table_args__ = (
        UniqueConstraint("giver_id", "win_id"),
        UniqueConstraint("giver_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Exactly one of these is set; undoing a meeting deletes its win and, with it, its high-fives.
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="CASCADE"), nullable=True, index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_messages.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamChallenge(db.Model):
    """A shared team target for a period, like 500 dials this week."""

    __tablename__ = "team_challenges"
    __table_args__ = (Index("ix_team_challenges_team_ends", "team_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(20))
    target: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
