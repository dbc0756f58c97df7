"""The emails a person asks for: a password reset link, and a team invite from its coach."""

from __future__ import annotations

from flask_babel import lazy_gettext

from webapp.extensions import db
from webapp.models import User
from webapp.services import recovery
from webapp.services.mail import public_link, send
from webapp.services.teams import links, seats


def send_reset_link(user_id: int) -> bool:
    """Email a fresh reset link to the account (the worker's task); whether one went."""
    user = db.session.get(User, user_id)
    if user is None or not user.can_log_in:
        return False
    link = public_link("recovery.reset_form", token=recovery.reset_token(user))
    subject = lazy_gettext("Your Closer password reset link")
    send(user.email, subject, "reset", locale=user.locale, user=user, link=link, minutes=60)
    return True


def send_invite(team_id: int, coach_id: int, address: str) -> bool:
    """Make an invite link for the coach's team and email it (the worker's task); whether one went.

    The link is made here, in the worker, so its token never sits in the
    task queue. Nothing goes when the sender is no longer the team's coach.
    """
    coach = db.session.get(User, coach_id)
    seat = seats.seat_in(coach, team_id) if coach is not None and coach.can_log_in else None
    if seat is None or not seat.is_coach:
        return False
    link = public_link("teams.links.join", token=links.create_invite(seat))
    send(
        address,
        lazy_gettext("%(coach)s invites you to %(team)s on Closer", coach=coach.display_name, team=seat.team.name),
        "invite",
        locale=coach.locale,  # the address has no account yet: the coach's language is the best guess
        coach=coach,
        team=seat.team,
        link=link,
        days=links.INVITE_DAYS,
    )
    return True
