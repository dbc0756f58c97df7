"""The accounts an admin looks after: found by name or email, with team and last activity; switched off and on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext
from sqlalchemy import delete, func, or_, select

from webapp.extensions import db
from webapp.models import DeviceSession, PushSubscription, Team, TeamMember, User, utcnow
from webapp.services import accounts, device_sessions, recovery
from webapp.services.admin import audit
from webapp.services.transaction import writes

PAGE_SIZE = 100


class AdminError(ValueError):
    """An admin action that was not done; the message says why."""


@dataclass(frozen=True)
class AccountRow:
    """One account as the admin page lists it."""

    user_id: int
    name: str
    email: str
    team: str | None
    role: str | None
    last_active: datetime | None
    is_admin: bool
    deactivated: bool


def _latest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def find_accounts(search: str = "", limit: int = PAGE_SIZE) -> list[AccountRow]:
    """Accounts whose name or email contains ``search`` (all when empty), by name, with team and last activity.

    Last activity is the later of the last call and the last request of any
    logged-in browser (noted at most every ten minutes).
    """
    seen = (
        select(DeviceSession.user_id, func.max(DeviceSession.last_seen_at).label("seen"))
        .group_by(DeviceSession.user_id)
        .subquery()
    )
    query = (
        select(User, Team.name, TeamMember.role, seen.c.seen)
        .outerjoin(TeamMember, TeamMember.user_id == User.id)
        .outerjoin(Team, Team.id == TeamMember.team_id)
        .outerjoin(seen, seen.c.user_id == User.id)
        .order_by(func.lower(User.display_name), User.id)
        .limit(limit)
    )
    words = (search or "").strip().lower()[:100]
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
                func.lower(Team.name).like(pattern, escape="\\"),
            )
        )
    rows = db.session.execute(query).all()
    return [
        AccountRow(
            user.id,
            user.display_name,
            user.email,
            team,
            role,
            _latest(user.last_call_at, _aware(seen_at)),
            user.is_admin,
            not user.can_log_in,
        )
        for user, team, role, seen_at in rows
    ]


def _aware(moment: datetime | None) -> datetime | None:
    """A max() over a UTC column comes back naive on SQLite."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise AdminError(gettext("There is no such account."))
    return user


@writes
def deactivate(admin: User, user_id: int) -> User:
    """Switch an account off: logged out everywhere and kept out; its calls, team and history stay."""
    user = _account(user_id)
    if user.id == admin.id:
        raise AdminError(gettext("You cannot switch off your own account: another admin can."))
    if user.can_log_in:
        user.deactivated_at = utcnow()
        device_sessions.end_all(user)
        # Its devices get no more pushes either (a rep switched back on subscribes again in Settings).
        db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id))
        audit.record(admin, "deactivate", user)
    return user


@writes
def reactivate(admin: User, user_id: int) -> User:
    """Switch an account back on: it can log in again with its password (or a reset link)."""
    user = _account(user_id)
    if not user.can_log_in:
        user.deactivated_at = None
        audit.record(admin, "reactivate", user)
    return user


@writes
def reset_link_token(admin: User, user_id: int) -> tuple[User, str]:
    """A reset token for any account that can log in, noted in the audit log."""
    user = _account(user_id)
    if not user.can_log_in:
        raise AdminError(gettext("This account is switched off: reactivate it first."))
    audit.record(admin, "reset_link", user)
    return user, recovery.reset_token(user)


@writes
def make_admin(email: str, display_name: str | None = None, password: str | None = None) -> tuple[User, bool]:
    """Make the account with this email an admin, creating it when there is none; (user, created).

    A new account needs a password; ``accounts.FormErrors`` says what is wrong with it.
    """
    user = accounts.find_by_email(email)
    created = user is None
    if user is None:
        name = display_name or accounts.normalise_email(email).split("@")[0][:60]
        user = accounts.register(email, name, password or "", None)
        if user is None:  # registered at this very moment by someone else
            user = accounts.find_by_email(email)
            created = False
    if not user.is_admin:
        user.is_admin = True
        audit.record(None, "make_admin", user)
    return user, created
