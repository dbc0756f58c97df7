"""The team's boards: one read of the members' period sums, ranked with shared ties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from flask_babel import gettext, ngettext
from sqlalchemy import Date, bindparam, func, select

from webapp.domain import ranking
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.ranking import Metric, Period
from webapp.domain.visibility import NearView
from webapp.extensions import db
from webapp.formats import fmt_number, fmt_percent
from webapp.i18n import translated
from webapp.models import (
    DailyTotal,
    Team,
    TeamMember,
    User,
    utcnow,
)
from webapp.services.teams.goal_board import goal_scorer
from webapp.services.teams.seats import Seat

BOARD_TOP = 10


class BoardRow(NamedTuple):
    """One rep on a board (a tuple: a board of 200 builds 200 of these on every render)."""

    rank: int
    user_id: int
    name: str
    value: int
    metric: Metric
    viewer: bool = False
    rank_hidden: bool = False  # the viewer's own row, for a rep who hides their streak and rank
    dialer: int = 0  # of the period's dials, those a dialer or the API logged (the row's "☎" mark)

    @property
    def shown(self) -> str:
        """The value as the board shows it."""
        return _shown(self.metric, self.value)


@dataclass(frozen=True)
class Board:
    """A ranked board and the slice of it a screen shows."""

    period: Period
    metric: Metric
    start: date
    end: date
    rows: list[BoardRow]
    top: list[BoardRow]
    pinned: BoardRow | None
    viewer_private: bool = False
    full: bool = False
    # How the team shows its boards (``domain.visibility``), and the "near me" slice when that applies.
    mode: str = "full"
    near: NearView[BoardRow] | None = None
    own_best: int | None = None  # private mode: the viewer's best day of dials, to race against
    expandable: bool = True  # whether "See all" may be offered (not under near me or private)

    @property
    def period_label(self) -> str:
        """The period in words, in the viewer's language."""
        if self.metric is Metric.IMPROVED:
            return gettext("This week so far, against the same days last week")
        return translated(ranking.PERIOD_LABELS[self.period])

    @property
    def metric_label(self) -> str:
        """The metric in words, in the viewer's language."""
        return translated(ranking.METRIC_LABELS[self.metric])


def metric_sum(metric: str):
    """SQL for one day row's count of a metric (points, or calls of the metric's outcomes)."""
    if metric == "points":
        return DailyTotal.points
    if metric in ("dials", "goal", "improved"):
        return DailyTotal.dials
    columns = [getattr(DailyTotal, code) for code in OUTCOME_CODES if code in ranking.METRIC_OUTCOMES[metric]]
    total = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


def total(expression):
    return func.coalesce(func.sum(expression), 0)


def _period_total(metric: str, first: str, last: str):
    """A member's sum of ``metric`` over their day rows from ``:first`` to ``:last``."""
    return _period_sum(metric_sum(metric), first, last)


def _period_sum(expression, first: str, last: str):
    """A member's sum of a day row ``expression`` from ``:first`` to ``:last`` (a correlated subquery).

    Per member it is one range read of the (user_id, local_date) primary key,
    so its cost follows the period's length, not the length of the history.
    """
    return (
        select(total(expression))
        .where(
            DailyTotal.user_id == TeamMember.user_id,
            DailyTotal.local_date.between(bindparam(first, type_=Date), bindparam(last, type_=Date)),
        )
        .scalar_subquery()
    )


@cache
def _board_statement(metric: Metric):
    """The board's query for a metric, built once: members (not in private mode), their period sums, and
    how many of the period's dials a dialer or the API logged (over the days the board's number counts)."""
    values = (
        [
            _period_total("dials", "this_start", "end").label("value"),
            _period_total("dials", "start", "last_end").label("last_value"),
            _period_sum(DailyTotal.dialer_calls, "this_start", "end").label("dialer"),
        ]
        if metric is Metric.IMPROVED
        else [
            _period_total(metric.value, "start", "end").label("value"),
            _period_sum(DailyTotal.dialer_calls, "start", "end").label("dialer"),
        ]
    )
    # "% of own goal" owes days only from the day the rep joined, in the rep's own day.
    joined = (TeamMember.joined_at, User.timezone, User.day_start_hour) if metric is Metric.GOAL else ()
    return (
        select(
            TeamMember.user_id,
            User.display_name,
            User.goal_dials,
            User.working_days,
            User.hide_streak,
            *joined,
            *values,
        )
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id == bindparam("team_id"), TeamMember.private_mode.is_(False))
    )


def board(
    team: Team,
    period: Period,
    metric: Metric,
    now: datetime | None = None,
    *,
    viewer: Seat | None = None,
    full: bool = False,
    top: int = BOARD_TOP,
) -> Board:
    """The team's board: one read of the members' period sums, ranked with shared ties.

    Private-mode members are left out of the rows (and so of the ranks).
    """
    today = ranking.team_today(now or utcnow(), team.timezone)
    if metric is Metric.IMPROVED:
        period = Period.WEEK
        this_start, end = ranking.period_bounds(Period.WEEK, today)
        start, last_end = ranking.same_days_last_week(today)
        params = {"this_start": this_start, "end": today, "start": start, "last_end": last_end}
    else:
        start, end = ranking.period_bounds(period, today)
        params = {"start": start, "end": end}
    # Plain rows through the session's connection: no ORM entities to build for a 200-row board.
    rows = db.session.connection().execute(_board_statement(metric), {"team_id": team.id, **params}).all()
    score = goal_scorer(team.id, rows, start, min(today, end)) if metric is Metric.GOAL else _scorer(metric)
    ranked = ranking.competition_ranks([(score(row), row.display_name, (row.user_id, row.dialer)) for row in rows])
    viewer_id = viewer.user_id if viewer else None
    hides = {row.user_id for row in rows if row.hide_streak}
    board_rows = [
        BoardRow(rank, uid, name, value, metric, uid == viewer_id, uid == viewer_id and uid in hides, dialer)
        for rank, value, name, (uid, dialer) in ranked
    ]
    shown, pinned = ranking.visible_rows(board_rows, lambda row: row.viewer, len(board_rows) if full else top)
    return Board(
        period,
        metric,
        params.get("this_start", start),
        end,
        board_rows,
        shown,
        pinned,
        viewer_private=bool(viewer and viewer.member.private_mode),
        full=full,
    )


def _scorer(metric: Metric):
    """How a member's summed row becomes their number on the board ("% of own goal": ``goal_scorer``)."""
    if metric is Metric.IMPROVED:
        return lambda row: row.value - row.last_value
    return lambda row: row.value


def _shown(metric: Metric, value: int) -> str:
    """How a board value reads; a week slower than the last is "building", not a minus."""
    if metric is Metric.GOAL:
        return fmt_percent(value / 100)
    if metric is Metric.IMPROVED:
        if value > 0:
            return ngettext("+%(count)s dial", "+%(count)s dials", value, count=fmt_number(value))
        return gettext("level") if value == 0 else gettext("building")
    return fmt_number(value)
