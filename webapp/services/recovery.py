"""Getting back into an account: password reset links.

A reset link carries a signed, timestamped token (itsdangerous) naming the
account and a fingerprint of its current password hash. Nothing is stored:

- it expires after ``RESET_MAX_AGE`` (an hour);
- it is single-use, and stops working once the password changed by any
  route, because every new hash has a new salt and so a new fingerprint;
- it is signed with ``SECRET_KEY``, so nobody can make one without the key.

Setting the new password ends every session of the account: whoever was
logged in with the old password is logged out everywhere.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from webapp.domain.passwords import password_problem
from webapp.extensions import db
from webapp.models import User
from webapp.services import accounts, device_sessions
from webapp.services.admin import audit
from webapp.services.teams.seats import Seat, members_of
from webapp.services.transaction import writes

RESET_MAX_AGE = 60 * 60
_SALT = "closer-password-reset"


class ResetRefused(ValueError):
    """A reset link that does not work (expired, used, changed, or not ours); the message says what to do."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    """A short digest of the password hash: changes whenever the password does, reveals nothing of it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A token for ``user``'s reset link, good for an hour and for one password change."""
    return str(_serializer().dumps({"u": user.id, "p": _fingerprint(user)}))


def user_for_reset(token: str, max_age: int = RESET_MAX_AGE) -> User:
    """The account a reset token opens, or ``ResetRefused``."""
    try:
        payload: Any = _serializer().loads(token or "", max_age=max_age)
    except SignatureExpired:
        raise ResetRefused(gettext("This reset link has expired: links work for an hour. Ask for a new one.")) from None
    except BadSignature:
        raise ResetRefused(
            gettext("This reset link does not work. Check it was copied whole, or ask for a new one.")
        ) from None
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or not user.can_log_in or payload.get("p") != _fingerprint(user):
        raise ResetRefused(
            gettext("This reset link was used already, or the password changed since. Ask for a new one.")
        )
    return user


@writes
def reset_password(token: str, new_password: str, max_age: int = RESET_MAX_AGE) -> User:
    """Set the new password through a reset link and end every session of the account.

    Raises ``ResetRefused`` for a link that does not work, and
    ``accounts.FormErrors`` for a password that is not accepted (the link
    still works then).
    """
    user = user_for_reset(token, max_age)
    problem = password_problem(new_password or "", email=user.email, name=user.display_name)
    if problem:
        raise accounts.FormErrors({"password": problem})
    user.password_hash = accounts.hash_password(new_password)
    device_sessions.end_all(user)
    return user


def account_to_email(email: str) -> int | None:
    """The id of the account a "Forgot your password?" email should go to, if any (switched-off ones get none)."""
    user = accounts.find_by_email(email)
    return user.id if user is not None and user.can_log_in else None


@writes
def coach_reset_token(seat: Seat, user_id: int) -> tuple[User, str] | None:
    """A reset token the coach makes for a member of their team (not their own account), noted in the audit log.

    ``None`` when the account is not a member of this team, or is switched off.
    """
    if not seat.is_coach or user_id == seat.user_id:
        return None
    user = next((user for member, user in members_of(seat.team.id) if member.user_id == user_id), None)
    if user is None or not user.can_log_in:
        return None
    coach = db.session.get(User, seat.user_id)
    audit.record(coach, "coach_reset_link", user, detail=f"team {seat.team.name}")
    return user, reset_token(user)
