"""The audit log: one line per admin action, written in the action's own transaction."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AdminAction, User

# The actor named for what the command line did (``flask --app webapp create-admin``).
COMMAND_LINE = "command line"
ACTION_LABELS = {
    "make_admin": lazy_gettext("made an admin"),
    "deactivate": lazy_gettext("deactivated"),
    "reactivate": lazy_gettext("reactivated"),
    "reset_link": lazy_gettext("made a reset link for"),
    "coach_reset_link": lazy_gettext("(coach) made a reset link for"),
    "registration": lazy_gettext("set who may register"),
}


def record(actor: User | None, action: str, target: User | None = None, detail: str = "") -> AdminAction:
    """Add a line to the audit log inside the caller's unit of work (it commits with the action)."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    line = AdminAction(
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else COMMAND_LINE,
        action=action,
        target_id=target.id if target else None,
        target=target.email if target else "",
        detail=detail[:500],
    )
    db.session.add(line)
    return line


def recent(limit: int = 200) -> list[AdminAction]:
    """The latest lines, newest first."""
    return list(db.session.scalars(select(AdminAction).order_by(AdminAction.id.desc()).limit(limit)))
