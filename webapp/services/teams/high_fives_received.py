"""High-fives a rep received: shown once on Today ("Sam high-fived your meeting"), and kept on the wins page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import HighFive, TeamMessage, User, Win
from webapp.services.transaction import writes

# What a high-five was on, as the line names it; a kind not listed here is "your win".
_SUBJECTS = {
    "meeting": "your meeting",
    "sale": "your sale",
    "badge": "your badge",
    "level": "your level up",
    "goal": "your goal",
    "best": "your personal best",
    "streak": "your streak",
    "reward": "your reward",
}
TODAY_LIMIT = 3  # Today shows a few toasts, never a pile
PAGE_LIMIT = 20


@dataclass(frozen=True)
class ReceivedHighFive:
    """One teammate's high-five on one of the rep's wins or messages."""

    id: int
    giver: str
    subject: str
    win_id: int | None
    at: datetime

    @property
    def line(self) -> str:
        """The line the rep reads, like "Sam high-fived your meeting"."""
        return f"{self.giver} high-fived {self.subject}"


# Built once: an aliased entity and its joins cost more to construct than the query costs to run.
_GIVER = aliased(User, name="giver")
_RECEIVED = (
    select(HighFive.id, _GIVER.display_name, Win.kind, HighFive.win_id, HighFive.created_at)
    .join(_GIVER, _GIVER.id == HighFive.giver_id)
    .outerjoin(Win, Win.id == HighFive.win_id)
    .outerjoin(TeamMessage, TeamMessage.id == HighFive.message_id)
    .where(
        or_(Win.user_id == bindparam("receiver"), TeamMessage.user_id == bindparam("receiver")),
        HighFive.giver_id != bindparam("receiver"),
    )
)
_UNSEEN = _RECEIVED.where(HighFive.id > bindparam("seen")).order_by(HighFive.id.desc()).limit(bindparam("limit"))
_RECENT = _RECEIVED.order_by(HighFive.id.desc()).limit(bindparam("limit"))


def _as_received(row) -> ReceivedHighFive:
    if row.win_id is None:
        subject = "your message"
    else:
        subject = _SUBJECTS.get(row.kind, "your win")
    return ReceivedHighFive(row.id, row.display_name, subject, row.win_id, row.created_at)


def unseen_high_fives(user: User, limit: int = TODAY_LIMIT) -> list[ReceivedHighFive]:
    """High-fives received since Today last showed them, newest first."""
    params = {"receiver": user.id, "seen": user.high_fives_seen_id or 0, "limit": limit}
    return [_as_received(row) for row in db.session.execute(_UNSEEN, params)]


def recent_high_fives(user: User, limit: int = PAGE_LIMIT) -> list[ReceivedHighFive]:
    """The latest high-fives received, seen or not, newest first (for the wins page)."""
    return [_as_received(row) for row in db.session.execute(_RECENT, {"receiver": user.id, "limit": limit})]


def givers_by_win(user: User, win_ids: Sequence[int]) -> dict[int, list[str]]:
    """Who high-fived each of these wins, in the order they did (one query)."""
    if not win_ids:
        return {}
    rows = db.session.execute(
        select(HighFive.win_id, _GIVER.display_name)
        .join(_GIVER, _GIVER.id == HighFive.giver_id)
        .join(Win, Win.id == HighFive.win_id)
        .where(Win.user_id == user.id, HighFive.win_id.in_(list(win_ids)))
        .order_by(HighFive.created_at, HighFive.id)
    )
    givers: dict[int, list[str]] = {}
    for win_id, name in rows:
        givers.setdefault(win_id, []).append(name)
    return givers


@writes
def mark_high_fives_seen(user: User, up_to: int) -> None:
    """Today has shown the high-fives up to id ``up_to``; it never goes back, nor past what was received."""
    newest = db.session.scalar(select(func.max(HighFive.id)).where(HighFive.id <= up_to))
    if newest is not None and newest > (user.high_fives_seen_id or 0):
        user.high_fives_seen_id = newest
