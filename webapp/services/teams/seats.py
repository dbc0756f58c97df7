"""A user's place in a team, the team's errors, and the secrets behind its links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    Team,
    TeamMember,
    User,
)

COACH, MEMBER = "coach", "member"
TOKEN_BYTES = 32


class TeamError(ValueError):
    """A team action that was not done; the message is meant for the person who tried."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def new_token() -> str:
    """A fresh secret for a link: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored of a link's token: its sha256, hex."""
    return hashlib.sha256((token or "").encode()).hexdigest()


@dataclass(frozen=True)
class Seat:
    """A user's place in a team, as every team route sees it."""

    team: Team
    member: TeamMember

    @property
    def is_coach(self) -> bool:
        """Whether this member is the team's coach."""
        return self.member.role == COACH

    @property
    def user_id(self) -> int:
        """The member's user id."""
        return self.member.user_id


def seat_of(user: User) -> Seat | None:
    """The user's team seat, if they are in a team (one query)."""
    row = db.session.execute(
        select(TeamMember, Team).join(Team, Team.id == TeamMember.team_id).where(TeamMember.user_id == user.id)
    ).first()
    return Seat(row.Team, row.TeamMember) if row else None


def seat_in(user: User, team_id: int) -> Seat | None:
    """The user's seat in this team, or ``None`` when they are not a member of it."""
    seat = seat_of(user)
    return seat if seat and seat.team.id == team_id else None


def members_of(team_id: int) -> list[tuple[TeamMember, User]]:
    """The team's members with their accounts, coach first, then by name."""
    return list(
        db.session.execute(
            select(TeamMember, User)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == team_id)
            .order_by((TeamMember.role == COACH).desc(), func.lower(User.display_name), User.id)
        ).tuples()
    )
