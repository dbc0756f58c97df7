"""What the main screen and the API read about a rep's day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.streaks import local_day
from webapp.extensions import db
from webapp.models import Call, DailyTotal, User, utcnow
from webapp.services import statements

RECENT_LIMIT = 8


@dataclass(frozen=True)
class DaySummary:
    """A rep's totals for one local day, read from the aggregate row."""

    day: date
    dials: int = 0
    points: int = 0
    by_outcome: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_CODES, 0))

    def as_json(self) -> dict:
        """The shape of ``GET /api/v1/me/today``."""
        return {
            "date": self.day.isoformat(),
            "dials": self.dials,
            "points": self.points,
            "by_outcome": dict(self.by_outcome),
        }


def today_for(user: User, now: datetime | None = None) -> date:
    """The rep's current working day, in their timezone and day start."""
    return local_day(now or utcnow(), user.timezone, user.day_start_hour or 0)


def day_summary(user: User, day: date) -> DaySummary:
    """Totals of one day, from one primary-key lookup."""
    row = db.session.get(DailyTotal, (user.id, day))
    if row is None:
        return DaySummary(day)
    return DaySummary(day, row.dials, row.points, row.by_outcome())


class RecentCall(NamedTuple):
    """A call as the latest-calls list shows it (read as a plain row: no ORM object per call)."""

    client_id: uuid.UUID
    outcome: str
    occurred_at: datetime
    points: int
    bounce_back: bool
    undone_at: datetime | None

    @property
    def is_undone(self) -> bool:
        """Whether the rep took this call back."""
        return self.undone_at is not None


def recent_calls(user: User, limit: int = RECENT_LIMIT) -> list[RecentCall]:
    """The rep's latest calls, newest first, undone ones included so the list stays honest."""
    return [RecentCall(*row) for row in statements.rows(_latest_calls, user_id=user.id, limit=limit)]


def _latest_calls(dialect: str):
    return (
        select(*(Call.__table__.c[name] for name in RecentCall._fields))
        .where(Call.user_id == bindparam("user_id"))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(bindparam("limit"))
    )
