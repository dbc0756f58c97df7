"""Deleting a rep's account for good: their calls and personal data, every device logged out.

The team's boards, feed counts and challenges read the members' own day
rows, so they are recomputed by the deletion itself: the rep leaves the
team (its version moves, so open boards refresh), and their calls and day
rows go with the account (``ON DELETE CASCADE``). A coach hands the team
over first, or is its last member, whose leaving closes it.
"""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import delete
from werkzeug.security import check_password_hash

from webapp.extensions import db
from webapp.models import TeamMessage, User
from webapp.services import device_sessions
from webapp.services.teams import membership, seats
from webapp.services.transaction import writes


class DeletionRefused(ValueError):
    """The account was not deleted; the message says why and what to do."""


@writes
def delete_account(user: User, password: str) -> None:
    """Check the password, leave the team, log out every device, and delete the account with all it owns."""
    if not check_password_hash(user.password_hash, password or ""):
        raise DeletionRefused(gettext("That is not your password; nothing was deleted."))
    seat = seats.seat_of(user)
    if seat is not None:
        try:
            membership.leave(seat)
        except seats.TeamError:
            raise DeletionRefused(
                gettext(
                    "You coach %(team)s: hand the coach role to a member first (Team, Members), "
                    "or remove the members, so the team is not left without a coach. Nothing was deleted.",
                    team=seat.team.name,
                )
            ) from None
    # The rep's own feed posts are personal data; the team's own news stays.
    db.session.execute(delete(TeamMessage).where(TeamMessage.user_id == user.id))
    device_sessions.end_all(user)
    db.session.execute(delete(User).where(User.id == user.id))
