"""Creating accounts, checking logins and changing a rep's settings."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain.passwords import password_problem
from webapp.domain.timing import is_valid_timezone
from webapp.extensions import db
from webapp.i18n import SAVED_LOCALES
from webapp.models import User
from webapp.services import device_sessions
from webapp.services.transaction import transaction, writes

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the email is unknown, so both paths take as long.
_DUMMY_HASH = generate_password_hash("closer-timing-equaliser", method="scrypt")


class FormErrors(ValueError):
    """Field-by-field messages for a form that was not accepted."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def hash_password(password: str) -> str:
    """A salted scrypt hash (memory-hard KDF)."""
    return generate_password_hash(password, method="scrypt")


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def valid_email(email: str) -> bool:
    """Whether this looks like an email address (after normalising)."""
    email = normalise_email(email)
    return bool(_EMAIL.match(email)) and len(email) <= 254


def clean_timezone(name: str | None) -> str:
    """A known IANA timezone, or UTC when the browser sent nothing usable."""
    name = (name or "").strip()
    return name if is_valid_timezone(name) else "UTC"


def register(email: str, display_name: str, password: str, timezone_name: str | None) -> User | None:
    """Create a rep and return it; ``None`` when the email has an account already; ``FormErrors`` for bad input.

    Both outcomes cost one password hash, so the time taken does not tell
    whether an email has an account; callers answer both the same way.
    """
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    errors: dict[str, str] = {}
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = "Enter an email address like name@example.com."
    if not display_name:
        errors["display_name"] = "Enter the name your team will see."
    elif len(display_name) > 60:
        errors["display_name"] = "Keep the display name under 60 characters."
    problem = password_problem(password or "", email=email, name=display_name)
    if problem:
        errors["password"] = problem
    if errors:
        raise FormErrors(errors)
    password_hash = hash_password(password)
    if find_by_email(email) is not None:
        return None
    user = User(
        email=email, display_name=display_name, password_hash=password_hash, timezone=clean_timezone(timezone_name)
    )
    try:
        with transaction():
            db.session.add(user)
            db.session.flush()  # a taken email fails here, and the unit of work rolls it back
    except IntegrityError:  # the same email registered at the same moment: it has an account now
        return None
    return user


def find_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The account if the password matches, else ``None`` (same time either way)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


@writes
def update_profile(user: User, display_name: str, timezone_name: str) -> None:
    """Change the display name and timezone, or raise ``FormErrors`` and change nothing."""
    display_name = (display_name or "").strip()
    errors = {}
    if not display_name or len(display_name) > 60:
        errors["display_name"] = "Enter a display name of 1 to 60 characters."
    if not is_valid_timezone((timezone_name or "").strip()):
        errors["timezone"] = "Choose a timezone from the list, like Europe/London."
    if errors:
        raise FormErrors(errors)
    user.display_name = display_name
    user.timezone = timezone_name.strip()


@writes
def set_locale(user: User, choice: str) -> None:
    """Save the rep's language and formats; "" goes back to following the browser."""
    choice = (choice or "").strip()
    if choice and choice not in SAVED_LOCALES:
        raise FormErrors({"locale": "Choose a language from the list."})
    user.locale = choice or None


@writes
def change_password(user: User, current: str, new: str) -> int:
    """Replace the password after checking the current one, or raise ``FormErrors``.

    Every other session of the rep ends in the same transaction (whoever
    knew the old password is logged out); this browser stays logged in.
    Returns how many ended.
    """
    if not check_password_hash(user.password_hash, current or ""):
        raise FormErrors({"current_password": "That is not your current password."})
    problem = password_problem(new or "", email=user.email, name=user.display_name)
    if problem:
        raise FormErrors({"new_password": problem})
    user.password_hash = hash_password(new)
    return device_sessions.end_others(user)


@writes
def set_weekly_email(user: User, on: bool) -> bool:
    """Opt in to the weekly summary email, or out of it; the new choice."""
    user.weekly_email = bool(on)
    return user.weekly_email
