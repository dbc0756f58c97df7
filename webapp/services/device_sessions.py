"""Device sessions: one row per logged-in browser, so a session can be ended for good.

A login makes a random token. The browser's session cookie and remember
cookie carry it (it is Flask-Login's alternative id, ``User.get_id``); the
database keeps only its sha256. Every request finds its rep with one query
that joins the session row, so deleting the row ends every copy of that
browser's cookies.

Ending sessions, for the features that need it:

- ``end`` - Log out: this browser only.
- ``end_others`` - a password change, "Log out everywhere else": all but this browser.
- ``end_all`` - all of a rep's sessions (an account deactivated, a password reset by someone else).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask_babel import gettext
from sqlalchemy import bindparam, delete, select, update

from webapp.domain.devices import ON_SYSTEM, UNKNOWN_BROWSER, device_label, last_active
from webapp.extensions import db
from webapp.formats import fmt_date, fmt_time
from webapp.models import DeviceRef, DeviceSession, User, utcnow
from webapp.services.transaction import writes

TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)
# "Last active" is written at most this often per browser, so most requests only read.
LAST_SEEN_EVERY = timedelta(minutes=10)
# A browser unused this long is forgotten at the rep's next login (as long as a remember cookie lasts).
IDLE_LIMIT = timedelta(days=30)

# Built once: every request loads its rep through this (``session.get`` would build and key a query anew).
_USER_BY_SESSION = (
    select(User, DeviceSession.id, DeviceSession.last_seen_at)
    .join(DeviceSession, DeviceSession.user_id == User.id)
    .where(DeviceSession.token_hash == bindparam("token_hash"), User.deactivated_at.is_(None))
)


class OpenSession(NamedTuple):
    """A logged-in browser as the settings page lists it."""

    label: str
    last_active: str
    this_device: bool


def token_digest(token: str) -> str:
    """What is stored of a token: its sha256, so a read of the database opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


@writes
def start(user: User, user_agent: str, now: datetime | None = None) -> str:
    """Open a session for ``user`` on this browser (before ``login_user``) and return its token."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.execute(
        delete(DeviceSession).where(DeviceSession.user_id == user.id, DeviceSession.last_seen_at < now - IDLE_LIMIT)
    )
    row = DeviceSession(
        user_id=user.id,
        token_hash=token_digest(token),
        label=device_label(user_agent),
        created_at=now,
        last_seen_at=now,
    )
    db.session.add(row)
    db.session.flush()  # its id, for "this device"
    user.device = DeviceRef(row.id, token, now)
    return token


def user_for(token: str) -> User | None:
    """The rep whose open session holds ``token`` (one query), or ``None`` for an ended or unknown one."""
    if len(token) != TOKEN_LENGTH:
        return None  # a bare user id from before device sessions, or junk
    row = db.session.execute(_USER_BY_SESSION, {"token_hash": token_digest(token)}).first()
    if row is None:
        return None
    user, session_id, last_seen_at = row
    user.device = DeviceRef(session_id, token, last_seen_at)
    return user


@writes
def touch(user: User, now: datetime | None = None) -> None:
    """Note that this browser is in use; a write only when the last note is older than ``LAST_SEEN_EVERY``."""
    device = user.device
    now = now or utcnow()
    if device is None or now - device.last_seen_at < LAST_SEEN_EVERY:
        return
    db.session.execute(update(DeviceSession).where(DeviceSession.id == device.id).values(last_seen_at=now))
    user.device = device._replace(last_seen_at=now)


@writes
def end(user: User) -> None:
    """Log out: end the session this request came through (its copied cookies stop working too)."""
    if user.device is not None:
        _delete(DeviceSession.id == user.device.id)


@writes
def end_others(user: User) -> int:
    """End every session of ``user`` but this browser's; how many ended.

    Inside a caller's unit of work (a password change) it ends them in
    that same transaction.
    """
    if user.device is None:
        raise ValueError("end_others needs the rep of a request (or a login): there is no 'this browser' otherwise")
    return _delete(DeviceSession.user_id == user.id, DeviceSession.id != user.device.id)


@writes
def end_all(user: User) -> int:
    """End every session of ``user``, this browser's included; how many ended."""
    return _delete(DeviceSession.user_id == user.id)


def open_sessions(user: User, now: datetime | None = None) -> list[OpenSession]:
    """The rep's logged-in browsers, this one first, then the most recently used."""
    now = now or utcnow()
    this_id = user.device.id if user.device else None
    rows = db.session.scalars(
        select(DeviceSession).where(DeviceSession.user_id == user.id).order_by(DeviceSession.last_seen_at.desc())
    ).all()
    sessions = [
        OpenSession(
            _label_said(row.label),
            last_active(row.last_seen_at, now, user.timezone, clock=fmt_time, day=fmt_date, say=gettext),
            row.id == this_id,
        )
        for row in rows
    ]
    return sorted(sessions, key=lambda s: not s.this_device)


def _label_said(label: str) -> str:
    """A stored device label ("Chrome on Android", in English) in the request's language."""
    browser, on, system = label.partition(ON_SYSTEM % {"browser": "", "system": ""})
    if on and browser and system:
        return gettext(ON_SYSTEM, browser=browser, system=system)
    return gettext(UNKNOWN_BROWSER) if label == UNKNOWN_BROWSER else label


def _delete(*conditions) -> int:
    return db.session.execute(delete(DeviceSession).where(*conditions)).rowcount
