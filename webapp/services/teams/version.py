"""The team's version: moved by every change a board or feed shows, and the ETag of live views."""

from __future__ import annotations

import hashlib

from webapp.domain import ranking
from webapp.models import Team, utcnow
from webapp.services import hot_sql, prepared


def bump(team_id: int) -> None:
    """Move the team's version on (in SQL, so concurrent taps never lose a bump)."""
    prepared.run(hot_sql.BUMP_TEAM, {"team_id": team_id})


def bump_member(user_id: int) -> None:
    """A member's taps, undos and points move their own counter (their own row: no queue on the team's)."""
    prepared.run(hot_sql.BUMP_MEMBER, {"member_id": user_id})


def team_version(team_id: int) -> int:
    """The team's version and its members' counters together: it moves whenever a board or feed changes."""
    return int(prepared.scalar(hot_sql.TEAM_VERSION, team_id=team_id) or 0)


def live_tag(team: Team, *parts) -> str:
    """An ETag for a live view: the team's version, the team's today, and what else the view depends on."""
    today = ranking.team_today(utcnow(), team.timezone)
    raw = ":".join(str(p) for p in (team.id, team_version(team.id), today.isoformat(), *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def team_of_member(user_id: int):
    """The id, name and timezone of the user's team (a plain row), or ``None``.

    The write path and the main screen need no more of the team than this,
    so they read it with one prepared query instead of loading the seat.
    """
    return prepared.first(hot_sql.MEMBER_TEAM, user_id=user_id)


def bump_for_member(user_id: int) -> None:
    """Points earned outside a call (a review, a reset) move the points board: the rep's own counter moves."""
    bump_member(user_id)
