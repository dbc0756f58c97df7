"""What the main screen and the API read about a rep's day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.streaks import day_bounds_utc, local_day
from webapp.extensions import db
from webapp.models import DailyTotal, User, utcnow
from webapp.services import hot_sql, prepared

LATEST_LIMIT = 8


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


@dataclass(frozen=True)
class DayWindow:
    """Where the rep's ``day`` starts and ends, and where the next one ends, in UTC milliseconds.

    The main screen carries these on its tally, so the page can tell which day a tap
    falls on (offline, after midnight, with the page left open) without knowing the
    rule: the timezone and the day start stay the server's business.
    """

    day: date
    starts_at_ms: int
    ends_at_ms: int
    next_ends_at_ms: int


def day_window(user: User, day: date) -> DayWindow:
    """The bounds of ``day`` and of the day after it, in the rep's timezone and day start."""
    start, end = day_bounds_utc(day, user.timezone, user.day_start_hour or 0)
    _, next_end = day_bounds_utc(day + timedelta(days=1), user.timezone, user.day_start_hour or 0)
    return DayWindow(day, _ms(start), _ms(end), _ms(next_end))


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def day_summary(user: User, day: date) -> DaySummary:
    """Totals of one day, from one primary-key lookup."""
    row = db.session.get(DailyTotal, (user.id, day))
    if row is None:
        return DaySummary(day)
    return DaySummary(day, row.dials, row.points, row.by_outcome())


class LatestCall(NamedTuple):
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


def latest_calls(user: User, limit: int = LATEST_LIMIT) -> list[LatestCall]:
    """The rep's latest calls, newest first, undone ones included so the list stays honest."""
    return [LatestCall(*row) for row in prepared.rows(hot_sql.LATEST_CALLS, user_id=user.id, limit=limit)]
