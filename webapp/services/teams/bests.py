"""Each member's best day of dials, and who beat their own this week: open to every member in every board mode.

A personal best races nobody but the rep themself, so near me, full and
private boards all show it (a member in private mode is left out, like on
the boards, but still sees their own). One read, from aggregates only:

- the best day before ``player_totals.best_day_as_of`` is kept by the write
  path (``game.stats.best_previous_day``, read again whenever an earlier
  day's calls change), and the days from then on are a range read of the
  (user_id, local_date) key, mostly one row, so the read costs the same for
  a year of history as for a week;
- a new best this week is the "best:<day>" win the write path logs (and an
  undo below it takes out), found by a range of the unique (user_id, ref) key.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Date, bindparam, exists, func, or_, select

from webapp.domain import ranking
from webapp.domain.ranking import Period
from webapp.extensions import db
from webapp.models import DailyTotal, PlayerTotals, TeamMember, User, Win, utcnow
from webapp.services.teams.seats import Seat

# Shown at once; the rest of a big team folds away under "N more".
BESTS_SHOWN = 8


class MemberBest(NamedTuple):
    """One member's best day of dials, and whether they set it (or a better one) this week."""

    user_id: int
    name: str
    best: int
    new_this_week: bool
    viewer: bool = False


class TeamBests(NamedTuple):
    """The team's personal bests as one member sees them: new ones this week first, then the viewer, then A to Z."""

    rows: list[MemberBest]
    week_start: date

    @property
    def shown(self) -> list[MemberBest]:
        """The rows shown at once."""
        return self.rows[:BESTS_SHOWN]

    @property
    def folded(self) -> list[MemberBest]:
        """The rows behind "N more"."""
        return self.rows[BESTS_SHOWN:]

    @property
    def new_count(self) -> int:
        """How many members set a new personal best this week."""
        return sum(row.new_this_week for row in self.rows)


def _best_since_kept():
    """A member's best day from the day their kept best was read on (a correlated range read)."""
    kept_on = func.coalesce(PlayerTotals.best_day_as_of, bindparam("no_day", date.min, type_=Date))
    return (
        select(func.coalesce(func.max(DailyTotal.dials), 0))
        .where(DailyTotal.user_id == TeamMember.user_id, DailyTotal.local_date >= kept_on)
        .scalar_subquery()
    )


def _new_best_this_week():
    """Whether the member's wins log holds a new best day from ``:first_ref`` to ``:last_ref`` ("best:<ISO day>",
    so the week is a range of the unique (user_id, ref) key)."""
    first, last = bindparam("first_ref"), bindparam("last_ref")
    return exists().where(Win.user_id == TeamMember.user_id, Win.ref.between(first, last), Win.kind == "best")


@cache
def _bests_statement():
    """The members a viewer may see, their kept best, their best since, and a new best this week (built once)."""
    return (
        select(
            TeamMember.user_id,
            User.display_name,
            func.coalesce(PlayerTotals.best_day_dials, 0).label("kept"),
            _best_since_kept().label("since"),
            _new_best_this_week().label("new_this_week"),
        )
        .join(User, User.id == TeamMember.user_id)
        .outerjoin(PlayerTotals, PlayerTotals.user_id == TeamMember.user_id)
        .where(
            TeamMember.team_id == bindparam("team_id"),
            or_(TeamMember.private_mode.is_(False), TeamMember.user_id == bindparam("viewer_id")),
        )
    )


def team_bests(seat: Seat, now: datetime | None = None) -> TeamBests:
    """Every member's best day of dials (those who dialled, and the viewer), marking this week's new bests."""
    today = ranking.team_today(now or utcnow(), seat.team.timezone)
    monday, sunday = ranking.period_bounds(Period.WEEK, today)
    params = {
        "team_id": seat.team.id,
        "viewer_id": seat.user_id,
        "first_ref": f"best:{monday.isoformat()}",
        "last_ref": f"best:{sunday.isoformat()}",
    }
    viewer_id = seat.user_id
    rows = [
        MemberBest(user_id, name, max(kept, since), bool(new), user_id == viewer_id)
        # Plain rows through the session's connection, as the board reads its own (unpacked: 200 rows add up).
        for user_id, name, kept, since, new in db.session.connection().execute(_bests_statement(), params)
    ]
    rows = [row for row in rows if row.best > 0 or row.viewer]
    rows.sort(key=lambda row: (not row.new_this_week, not row.viewer, row.name.casefold(), row.user_id))
    return TeamBests(rows, monday)


def best_day_of(user_id: int) -> int:
    """One rep's best day of dials, today's included (the private board races the rep against it)."""
    kept = db.session.execute(
        select(PlayerTotals.best_day_dials, PlayerTotals.best_day_as_of).where(PlayerTotals.user_id == user_id)
    ).first()
    since = kept.best_day_as_of if kept and kept.best_day_as_of else date.min
    latest = db.session.scalar(
        select(func.coalesce(func.max(DailyTotal.dials), 0)).where(
            DailyTotal.user_id == user_id, DailyTotal.local_date >= since
        )
    )
    return max(kept.best_day_dials if kept else 0, latest)


def bests_json(bests: TeamBests) -> list[dict]:
    """The personal bests as the JSON board carries them."""
    return [
        {"display_name": row.name, "best_day_dials": row.best, "new_this_week": row.new_this_week} for row in bests.rows
    ]
