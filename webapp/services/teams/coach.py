"""The coach's view of the members, and the team's calls as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select

from webapp.domain import ranking
from webapp.domain.funnel import FunnelStage, funnel_from_outcomes
from webapp.domain.outcomes import OUTCOME_CODES, label_for
from webapp.domain.ranking import Period
from webapp.domain.reviews import OBJECTION_LABELS
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import (
    Call,
    CallReview,
    DailyTotal,
    Team,
    TeamMember,
    User,
    utcnow,
)
from webapp.services.game.state import game_state
from webapp.services.teams.boards import total
from webapp.services.teams.seats import TeamError

CSV_MAX_DAYS = 366


@dataclass(frozen=True)
class CoachRow:
    """One member as the coach sees them."""

    user_id: int
    name: str
    role: str
    private: bool
    dials_today: int
    dials_week: int
    funnel: tuple[FunnelStage, ...]
    streak: int
    last_call_at: datetime | None
    deactivated: bool = False


def coach_rows(team: Team, now: datetime | None = None) -> list[CoachRow]:
    """Each member's dials today and this week, this week's funnel, streak and last call."""
    now = now or utcnow()
    today = ranking.team_today(now, team.timezone)
    week_start, week_end = ranking.period_bounds(Period.WEEK, today)
    day = DailyTotal.local_date
    last_call = (
        select(Call.occurred_at)
        .where(Call.user_id == TeamMember.user_id)
        .order_by(Call.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            TeamMember,
            User,
            total(case((day == today, DailyTotal.dials), else_=0)).label("today"),
            *[total(getattr(DailyTotal, code)).label(code) for code in OUTCOME_CODES],
            last_call.label("last"),
        )
        .join(User, User.id == TeamMember.user_id)
        .outerjoin(DailyTotal, and_(DailyTotal.user_id == TeamMember.user_id, day.between(week_start, week_end)))
        .where(TeamMember.team_id == team.id)
        .group_by(TeamMember.user_id, User.id)
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    result = []
    for row in rows:
        by_outcome = {code: getattr(row, code) for code in OUTCOME_CODES}
        streak = game_state(row.User, now).streak.current
        result.append(
            CoachRow(
                row.User.id,
                row.User.display_name,
                row.TeamMember.role,
                row.TeamMember.private_mode,
                row.today,
                sum(by_outcome.values()),
                funnel_from_outcomes(by_outcome),
                streak,
                row.last,
                not row.User.can_log_in,
            )
        )
    return result


def parse_range(start: str, end: str) -> tuple[date, date]:
    """A CSV date range from the form, or ``TeamError`` with a clear message."""
    try:
        first, last = date.fromisoformat((start or "").strip()), date.fromisoformat((end or "").strip())
    except ValueError:
        raise TeamError(N_("Enter both dates, like 2026-11-02.")) from None
    if last < first:
        raise TeamError(N_("The end date comes before the start date."))
    if (last - first).days >= CSV_MAX_DAYS:
        raise TeamError(worded(N_("Export at most %(max)s days at a time."), max=CSV_MAX_DAYS))
    return first, last


CSV_HEADER = (
    "date",
    "time_utc",
    "time_local",  # the team's timezone
    "rep",
    "outcome",
    "points",
    "bounce_back",
    "asked_right_questions",  # the review's columns: blank for a call with no review
    "listened_actively",
    "timing_right",
    "objection",
)


_OBJECTIONS = {objection.value: label for objection, label in OBJECTION_LABELS.items()}


def _yes_no(value: bool | None) -> str:
    """A review toggle as the CSV says it: yes, no, or blank when not answered."""
    return "" if value is None else ("yes" if value else "no")


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def calls_csv(team: Team, first: date, last: date) -> Iterator[str]:
    """The members' calls (undone ones left out) on local dates ``first`` to ``last``, as CSV lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_HEADER)
    query = (
        select(
            Call.local_date,
            Call.occurred_at,
            User.display_name,
            Call.outcome,
            Call.points,
            Call.bounce_back,
            CallReview.asked_right_questions,
            CallReview.listened_actively,
            CallReview.timing_right,
            CallReview.objection,
        )
        .outerjoin(CallReview, CallReview.call_id == Call.id)
        .join(TeamMember, TeamMember.user_id == Call.user_id)
        .join(User, User.id == Call.user_id)
        .where(
            TeamMember.team_id == team.id,
            Call.undone_at.is_(None),
            Call.local_date.between(first, last),
            Call.occurred_at >= TeamMember.joined_at,  # only calls made while a member
        )
        .order_by(Call.occurred_at, Call.id)
    )
    zone = ZoneInfo(team.timezone)
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        yield line(
            (
                row.local_date.isoformat(),
                row.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                row.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                _cell(row.display_name),
                label_for(row.outcome),
                row.points,
                "yes" if row.bounce_back else "no",
                _yes_no(row.asked_right_questions),
                _yes_no(row.listened_actively),
                _yes_no(row.timing_right),
                _OBJECTIONS.get(row.objection or "", row.objection or ""),
            )
        )
