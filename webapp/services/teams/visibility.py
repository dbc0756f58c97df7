"""Boards as each member may see them: the team's mode (near me, full, private) applied to the ranked rows.

The ranking itself stays one read of the daily totals (``boards.board``);
this module only cuts what a member, the JSON board or the wall is shown.
The coach sees every rank in every mode: the coach view lists each member's
numbers anyway.
"""

from __future__ import annotations

from dataclasses import replace

from webapp.domain.ranking import Metric, Period
from webapp.domain.visibility import MODE_HELP, MODE_LABELS, BoardMode, mode_of, near_me, own_only, parse_mode, tv_rows
from webapp.models import Team
from webapp.services.teams.bests import best_day_of, bests_json, team_bests
from webapp.services.teams.boards import Board, board
from webapp.services.teams.seats import Seat, TeamError
from webapp.services.teams.version import bump
from webapp.services.transaction import writes

__all__ = ["MODE_HELP", "MODE_LABELS", "leaderboard_json", "member_board", "set_board_mode", "tv_board"]


def member_board(seat: Seat, period: Period, metric: Metric, *, full: bool = False) -> Board:
    """The board as this member sees it under the team's mode."""
    mode = mode_of(seat.team.board_mode)
    if seat.is_coach or mode is BoardMode.FULL:
        return replace(board(seat.team, period, metric, viewer=seat, full=full), mode=mode.value)
    if metric is Metric.IMPROVED:
        # "Most improved" stays visible to everyone in every mode, private too: it names only a gain,
        # each rep's against their own last week, so the top ten and the viewer's own place are shown.
        return replace(board(seat.team, period, metric, viewer=seat), mode=mode.value, expandable=False)
    ranked = board(seat.team, period, metric, viewer=seat, full=True)
    if mode is BoardMode.PRIVATE:
        own = [row._replace(rank_hidden=True) for row in own_only(ranked.rows, _is_viewer)]
        best = best_day_of(seat.user_id)
        return replace(
            ranked, rows=own, top=own, pinned=None, full=False, mode=mode.value, own_best=best, expandable=False
        )
    near = near_me(ranked.rows, _is_viewer)
    shown = near.top + near.near
    return replace(
        ranked, rows=shown, top=near.top, pinned=None, full=False, mode=mode.value, near=near, expandable=False
    )


def tv_board(team: Team, period: Period, metric: Metric) -> Board:
    """The wall's board: never a rank below the top five, and none at all for a private team."""
    ranked = board(team, period, metric, top=1)
    shown = tv_rows(ranked.rows, mode_of(team.board_mode))
    return replace(ranked, rows=shown, top=shown, pinned=None, mode=team.board_mode, expandable=False)


def _is_viewer(row) -> bool:
    return row.viewer


@writes
def set_board_mode(seat: Seat, raw: str) -> BoardMode:
    """The coach chooses how the team's boards are shown; every member sees the change on their next refresh."""
    try:
        mode = parse_mode(raw)
    except ValueError as invalid:
        raise TeamError(str(invalid), {"board_mode": str(invalid)}) from None
    seat.team.board_mode = mode.value
    bump(seat.team.id)
    return mode


def leaderboard_json(seat: Seat, period: Period, metric: Metric) -> dict:
    """The shape of ``GET /api/v1/teams/<id>/leaderboard``: the rows this member may see, and the mode."""
    result = member_board(seat, period, metric, full=True)
    body = {
        "team_id": seat.team.id,
        "mode": result.mode,
        "period": result.period.value,
        "metric": result.metric.value,
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "rows": [
            {
                "rank": None if r.rank_hidden else r.rank,
                "display_name": r.name,
                "value": r.value,
                "dialer_calls": r.dialer,  # of the period's dials, those a dialer or the API logged
            }
            for r in result.rows
        ],
        # Every member's best day and this week's new bests, whatever the mode.
        "personal_bests": bests_json(team_bests(seat)),
    }
    if result.near is not None:
        body["hidden_between"], body["hidden_after"] = result.near.hidden_between, result.near.hidden_after
    if result.own_best is not None:
        body["own_best_day_dials"] = result.own_best
    return body
