"""Secret links: invites to join a team, and the TV link for a wall screen."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import (
    Team,
    TeamInvite,
    TeamMember,
    TeamRemoval,
    User,
    utcnow,
)
from webapp.services.teams.membership import drop_seat
from webapp.services.teams.seats import MEMBER, Seat, TeamError, members_of, new_token, seat_of, token_digest
from webapp.services.teams.version import bump
from webapp.services.transaction import writes

INVITE_DAYS = 7


@writes
def create_invite(seat: Seat, now: datetime | None = None, days: int = INVITE_DAYS) -> str:
    """A new invite link's token, shown once; only its digest is kept."""
    now = now or utcnow()
    token = new_token()
    db.session.add(
        TeamInvite(
            team_id=seat.team.id,
            token_hash=token_digest(token),
            created_by=seat.user_id,
            created_at=now,
            expires_at=now + timedelta(days=days),
            uses=0,
        )
    )
    return token


def open_invites(team_id: int, now: datetime | None = None) -> list[TeamInvite]:
    """Invites that still work, newest first."""
    return list(
        db.session.scalars(
            select(TeamInvite)
            .where(
                TeamInvite.team_id == team_id,
                TeamInvite.revoked_at.is_(None),
                TeamInvite.expires_at > (now or utcnow()),
            )
            .order_by(TeamInvite.created_at.desc(), TeamInvite.id.desc())
        )
    )


@writes
def revoke_invite(seat: Seat, invite_id: int, now: datetime | None = None) -> bool:
    """Withdraw an invite of this team; it stops working at once."""
    done = db.session.execute(
        update(TeamInvite)
        .where(TeamInvite.id == invite_id, TeamInvite.team_id == seat.team.id, TeamInvite.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    ).rowcount
    return bool(done)


def invite_for(token: str, now: datetime | None = None) -> tuple[TeamInvite, Team] | None:
    """The live invite behind a token and its team; ``None`` for unknown, expired or revoked."""
    row = db.session.execute(
        select(TeamInvite, Team)
        .join(Team, Team.id == TeamInvite.team_id)
        .where(
            TeamInvite.token_hash == token_digest(token),
            TeamInvite.revoked_at.is_(None),
            TeamInvite.expires_at > (now or utcnow()),
        )
    ).first()
    return (row.TeamInvite, row.Team) if row else None


@writes
def join_with_invite(user: User, token: str, now: datetime | None = None) -> Team:
    """Join the invite's team (leaving any other), or raise ``TeamError`` and change nothing."""
    now = now or utcnow()
    found = invite_for(token, now)
    if found is None:
        raise TeamError(N_("This invite link has expired or was withdrawn. Ask your coach for a fresh one."))
    invite, team = found
    current = seat_of(user)
    if current and current.team.id == team.id:
        return team
    removal = db.session.get(TeamRemoval, (team.id, user.id))
    if removal is not None and removal.removed_at >= invite.created_at:
        raise TeamError(
            worded(
                N_("This invite link no longer works for you. Ask the coach of %(team)s for a new one."),
                team=team.name,
            )
        )
    if current:
        if current.is_coach and len(members_of(current.team.id)) > 1:
            raise TeamError(
                worded(
                    N_("You coach %(team)s: hand the coach role on before you join another team."),
                    team=current.team.name,
                )
            )
        drop_seat(current, closing=len(members_of(current.team.id)) == 1)
    if removal is not None:
        db.session.delete(removal)  # invited again: welcome back
    db.session.add(TeamMember(user_id=user.id, team_id=team.id, role=MEMBER, private_mode=False, joined_at=now))
    db.session.execute(update(TeamInvite).where(TeamInvite.id == invite.id).values(uses=TeamInvite.uses + 1))
    bump(team.id)
    return db.session.get(Team, team.id)


@writes
def rotate_tv_link(seat: Seat) -> str:
    """A new TV link's token (the old link stops working); shown once, only its digest kept."""
    token = new_token()
    seat.team.tv_token_hash = token_digest(token)
    return token


@writes
def revoke_tv_link(seat: Seat) -> None:
    """Turn the TV link off at once."""
    seat.team.tv_token_hash = None


def team_for_tv(token: str) -> Team | None:
    """The team whose live TV link this is; ``None`` for an unknown or revoked token."""
    if not token:
        return None
    return db.session.scalar(select(Team).where(Team.tv_token_hash == token_digest(token)))


def join_pending(user: User, token: str | None) -> Team | None:
    """Join the team of an invite the new rep confirmed on the register page; ``None`` when it no longer works."""
    if not token:
        return None
    try:
        return join_with_invite(user, token)
    except TeamError:
        db.session.rollback()
        return None
