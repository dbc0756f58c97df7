"""Starting a team, leaving it, and the coach's hand on its members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from webapp.domain import inputs
from webapp.domain.timing import is_valid_timezone
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import (
    Team,
    TeamMember,
    TeamRemoval,
    User,
    utcnow,
)
from webapp.services.teams.seats import COACH, MEMBER, Seat, TeamError, seat_of
from webapp.services.teams.version import bump
from webapp.services.transaction import writes

TEAM_NAME_MAX = 60


@writes
def create_team(user: User, name: str, tz_name: str, now: datetime | None = None) -> Team:
    """Start a team with ``user`` as its coach, or raise ``TeamError`` and create nothing."""
    errors = {}
    try:
        name = inputs.text(name, TEAM_NAME_MAX, "The team's name", required=True)
    except inputs.InputError:
        if inputs.control_character(name.strip() if isinstance(name, str) else ""):
            errors["name"] = N_(
                "The team's name has a character that cannot be saved (a control character). Type it again."
            )
        else:
            errors["name"] = worded(N_("Give the team a name of 1 to %(max)s characters."), max=TEAM_NAME_MAX)
    tz_name = tz_name.strip() if isinstance(tz_name, str) else ""
    if not is_valid_timezone(tz_name):
        errors["timezone"] = N_("Choose the team's timezone from the list, like Europe/London.")
    current = seat_of(user)
    if current:
        errors["name"] = _in_a_team_already(current.team.name)
    if errors:
        raise TeamError("; ".join(errors.values()), errors)
    now = now or utcnow()
    team = Team(name=name, timezone=tz_name, created_at=now, version=0)
    db.session.add(team)
    db.session.flush()
    db.session.add(TeamMember(user_id=user.id, team_id=team.id, role=COACH, private_mode=False, joined_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        # The same rep started a team at the same moment (a double tap, two tabs): that one stands,
        # and this one is answered as if it had come second.
        db.session.rollback()
        seat = seat_of(user)
        message = _in_a_team_already(seat.team.name if seat else worded(N_("a team")))
        raise TeamError(message, {"name": message}) from None
    return team


def _in_a_team_already(team_name: str) -> str:
    return worded(N_("You are in %(team)s already. Leave it first to start a new team."), team=team_name)


@writes
def leave(seat: Seat) -> bool:
    """Leave the team; a coach hands the role on first. Returns True when the team closed (last one out)."""
    others = db.session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(TeamMember.team_id == seat.team.id, TeamMember.user_id != seat.user_id)
    )
    if seat.is_coach and others:
        raise TeamError(N_("Hand the coach role to another member before you leave."))
    drop_seat(seat, closing=not others)
    return not others


def drop_seat(seat: Seat, *, closing: bool) -> None:
    """Remove a seat inside the caller's transaction; the last one out closes the team."""
    if closing:
        db.session.execute(delete(Team).where(Team.id == seat.team.id))
    else:
        db.session.execute(delete(TeamMember).where(TeamMember.user_id == seat.user_id))
        bump(seat.team.id)
    db.session.expire_all()


@writes
def remove_member(seat: Seat, user_id: int) -> bool:
    """The coach takes a member off the team; False when there is no such other member."""
    if not seat.is_coach or user_id == seat.user_id:
        return False
    gone = db.session.execute(
        delete(TeamMember).where(TeamMember.team_id == seat.team.id, TeamMember.user_id == user_id)
    ).rowcount
    if gone:
        # Kept out until the coach makes a new invite link: the old ones no longer let them in.
        db.session.merge(TeamRemoval(team_id=seat.team.id, user_id=user_id, removed_at=utcnow()))
        bump(seat.team.id)
    return bool(gone)


@writes
def hand_coach_role(seat: Seat, user_id: int) -> bool:
    """The coach makes another member the coach and becomes a member; False when there is no such member."""
    target = db.session.get(TeamMember, user_id)
    if not seat.is_coach or target is None or target.team_id != seat.team.id or user_id == seat.user_id:
        return False
    target.role, seat.member.role = COACH, MEMBER
    bump(seat.team.id)
    return True


@writes
def set_private(seat: Seat, private: bool) -> None:
    """Opt out of (or back into) the boards."""
    seat.member.private_mode = private
    bump(seat.team.id)
