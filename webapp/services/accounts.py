"""Creating accounts, checking logins and changing a rep's settings."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain import inputs
from webapp.domain.appearance import Theme, parse_theme
from webapp.domain.passwords import password_problem
from webapp.domain.timing import is_valid_timezone
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.i18n import SAVED_LOCALES, translated
from webapp.models import User
from webapp.services import device_sessions
from webapp.services.transaction import transaction, writes

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254
NAME_MAX = 60
PASSWORD_MAX = 1024  # long passphrases are welcome; megabytes of one are not a password
# Hashes to compare against when the email is unknown, so both paths take as long: one per method.
_DUMMY_HASHES: dict[str, str] = {}


def _method() -> str:
    """The hashing method of the ``PASSWORD_HASH`` setting (Werkzeug's scrypt at full cost by default)."""
    return current_app.config.get("PASSWORD_HASH", "scrypt")


def _dummy_hash() -> str:
    method = _method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("closer-timing-equaliser", method=method)
    return _DUMMY_HASHES[method]


class FormErrors(ValueError):
    """Field-by-field messages for a form that was not accepted."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def hash_password(password: str) -> str:
    """A salted scrypt hash (memory-hard KDF)."""
    return generate_password_hash(password, method=_method())


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return (email if isinstance(email, str) else "").strip().lower()


def _usable_email(email: str) -> bool:
    """Whether a normalised email can be an account's: its shape, its length, no control character."""
    return bool(_EMAIL.match(email)) and inputs.is_clean_text(email, EMAIL_MAX)


def _display_name(raw: str) -> str:
    """The name the team sees, or ``InputError`` with the message for the form."""
    name = inputs.text(raw, NAME_MAX, N_("The display name"))
    if not name:
        raise inputs.InputError(N_("Enter the name your team will see."))
    return name


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
    errors: dict[str, str] = {}
    if not _usable_email(email):
        errors["email"] = gettext("Enter an email address like name@example.com.")
    try:
        display_name = _display_name(display_name)
    except inputs.InputError as refused:
        errors["display_name"], display_name = translated(refused), ""
    problem = _password_problem(password, email, display_name)
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


def _password_problem(password: str, email: str, name: str) -> str | None:
    """What is wrong with a new password, if anything (its rules, then what no password holds)."""
    if not isinstance(password, str) or len(password) > PASSWORD_MAX:
        return f"Use a password of at most {PASSWORD_MAX} characters."
    if inputs.control_character(password) is not None:
        return "The password has a character that cannot be typed (a control character). Type it again."
    return password_problem(password, email=email, name=name)


def find_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The account if the password matches, else ``None`` (same time either way)."""
    password = password if isinstance(password, str) else ""
    # An email no account can have (a NUL in it, say) is not looked up: it matches nobody.
    user = find_by_email(email) if _usable_email(normalise_email(email)) else None
    if user is None or len(password) > PASSWORD_MAX:
        check_password_hash(_dummy_hash(), password[:PASSWORD_MAX])
        return None
    return user if check_password_hash(user.password_hash, password) else None


@writes
def update_profile(user: User, display_name: str, timezone_name: str) -> None:
    """Change the display name and timezone, or raise ``FormErrors`` and change nothing."""
    errors = {}
    try:
        display_name = _display_name(display_name)
    except inputs.InputError as refused:
        hint = gettext("Enter a display name of 1 to %(most)s characters.", most=NAME_MAX)
        errors["display_name"] = f"{translated(refused)} {hint}"
    timezone_name = timezone_name.strip() if isinstance(timezone_name, str) else ""
    if not is_valid_timezone(timezone_name):
        errors["timezone"] = gettext("Choose a timezone from the list, like Europe/London.")
    if errors:
        raise FormErrors(errors)
    user.display_name = display_name
    user.timezone = timezone_name


@writes
def set_locale(user: User, choice: str) -> None:
    """Save the rep's language and formats; "" goes back to following the browser."""
    choice = (choice or "").strip()
    if choice and choice not in SAVED_LOCALES:
        raise FormErrors({"locale": gettext("Choose a language from the list.")})
    user.locale = choice or None


@writes
def change_password(user: User, current: str, new: str) -> int:
    """Replace the password after checking the current one, or raise ``FormErrors``.

    Every other session of the rep ends in the same transaction (whoever
    knew the old password is logged out); this browser stays logged in.
    Returns how many ended.
    """
    current = current if isinstance(current, str) else ""
    if len(current) > PASSWORD_MAX or not check_password_hash(user.password_hash, current):
        raise FormErrors({"current_password": gettext("That is not your current password.")})
    problem = _password_problem(new, user.email, user.display_name)
    if problem:
        raise FormErrors({"new_password": problem})
    user.password_hash = hash_password(new)
    return device_sessions.end_others(user)


@writes
def set_weekly_email(user: User, on: bool) -> bool:
    """Opt in to the weekly summary email, or out of it; the new choice."""
    user.weekly_email = bool(on)
    return user.weekly_email


@writes
def set_theme(user: User, raw: str | None) -> Theme:
    """Save the rep's colour theme, or raise ``FormErrors`` and change nothing."""
    try:
        theme = parse_theme(raw)
    except ValueError as invalid:
        raise FormErrors({"theme": str(invalid)}) from None
    user.theme = theme.value
    return theme
