"""Teams: membership, invites, the feed, high-fives, challenges, TV links."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


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
    # How boards are shown to members: "near_me" (new teams), "full" (teams from before the choice), "private".
    board_mode: Mapped[str] = mapped_column(String(10), default="near_me", server_default="full")
    # Coach signals: a member with no dial by this time (minutes after midnight, team timezone) "has not started".
    start_by_minute: Mapped[int] = mapped_column(Integer, default=600, server_default="600")


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
    # Moved by this member's taps, undos and points; live views add it to the team's version.
    activity: Mapped[int] = mapped_column(Integer, default=0)


class TeamRemoval(db.Model):
    """A member the coach took off the team: invite links made before ``removed_at`` no longer let them in."""

    __tablename__ = "team_removals"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    __table_args__ = (
        Index("ix_team_messages_team_created", "team_id", "created_at"),
        # A member's post is stored once per client id, however often a flaky network sends it.
        Index("ux_team_messages_user_client", "user_id", "client_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="message")  # "message" or "challenge"
    body: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


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
