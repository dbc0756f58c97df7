"""The viewer's weekly league: last week's dials group the team, this week's board ranks the league.

Two reads of the daily totals, both through the board's own query: last
week's dials per member (the grouping), and this week's metric (the board).
No per-call scan and nothing stored, so a new week's leagues start by
themselves at Monday midnight in the team's timezone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from webapp.domain import leagues as rules
from webapp.domain import ranking
from webapp.domain.ranking import Metric, Period
from webapp.domain.visibility import BoardMode, mode_of
from webapp.models import utcnow
from webapp.services.teams.boards import Board, BoardRow, board
from webapp.services.teams.seats import Seat


@dataclass(frozen=True)
class League:
    """The viewer's league this week, its board, and where the team's leagues stand."""

    number: int
    count: int
    board: Board
    promotion: frozenset[int]  # user ids on course to move up

    @property
    def name(self) -> str:
        """The league's name."""
        return rules.league_name(self.number)


def league_for(seat: Seat, metric: Metric = Metric.POINTS, now: datetime | None = None) -> League | None:
    """The viewer's league this week, or ``None`` (a team of eight or fewer, a private team, or off the boards)."""
    if mode_of(seat.team.board_mode) is BoardMode.PRIVATE or metric is Metric.IMPROVED:
        return None
    now = now or utcnow()
    last_week = board(seat.team, Period.WEEK, Metric.DIALS, now - timedelta(days=7), full=True)
    if not rules.has_leagues(len(last_week.rows)):
        return None
    grouped = rules.group_leagues([(row.value, row.name, row.user_id) for row in last_week.rows])
    number = next((n for n, league in enumerate(grouped, start=1) if seat.user_id in league), None)
    if number is None:
        return None
    members = set(grouped[number - 1])
    this_week = board(seat.team, Period.WEEK, metric, now, viewer=seat, full=True)
    mine = [row for row in this_week.rows if row.user_id in members]
    ranked = ranking.competition_ranks([(row.value, row.name, row) for row in mine])
    rows: list[BoardRow] = [row._replace(rank=rank) for rank, _, _, row in ranked]
    promotion = frozenset(row.user_id for row in rows if rules.in_promotion_zone(number, row.rank))
    shown = replace(this_week, rows=rows, top=rows, pinned=None, expandable=False, mode=seat.team.board_mode)
    return League(number, len(grouped), shown, promotion)


def league_json(seat: Seat, metric: Metric) -> dict:
    """The shape of ``GET /api/v1/teams/<id>/league``: the viewer's league, or ``{"league": null}``."""
    league = league_for(seat, metric)
    if league is None:
        return {"team_id": seat.team.id, "league": None}
    return {
        "team_id": seat.team.id,
        "league": league.number,
        "leagues": league.count,
        "metric": metric.value,
        "from": league.board.start.isoformat(),
        "rows": [
            {
                "rank": r.rank,
                "display_name": r.name,
                "value": r.value,
                "moving_up": r.user_id in league.promotion,
                "dialer_calls": r.dialer,
            }
            for r in league.board.rows
        ],
    }
