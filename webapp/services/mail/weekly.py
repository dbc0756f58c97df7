"""The weekly summary by email: opt-in per rep, with the team's week for a coach.

Every hour the worker claims the summaries that are due (Monday from 08:00
in each rep's own timezone) with one conditional UPDATE per rep, so two
workers never send one twice, and queues one send per claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, gettext, ngettext
from sqlalchemy import func, or_, select, update

from webapp.domain.funnel import funnel_from_outcomes
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.weekly import best_day, hand_reason, summary_due
from webapp.extensions import db
from webapp.models import CallReview, DailyTotal, TimeOff, User, utcnow
from webapp.services.game.state import game_state
from webapp.services.mail import public_link, send
from webapp.services.teams import seats
from webapp.services.transaction import writes


@dataclass(frozen=True)
class RepWeek:
    """One rep's week as the summary tells it."""

    name: str
    dials: int
    conversations: int
    meetings: int
    best_day: tuple[date, int] | None
    review_line: str | None
    hand: tuple[str, dict[str, int]] | None = None

    @property
    def may_need_a_hand(self) -> str | None:
        """Why the coach may want to check in, in the language the email is written in."""
        return gettext(self.hand[0], **self.hand[1]) if self.hand else None


@dataclass(frozen=True)
class TeamWeek:
    """A team's week for its coach: totals, each member, and who may need a hand."""

    name: str
    dials: int
    conversations: int
    meetings: int
    members: tuple[RepWeek, ...]

    @property
    def needing_a_hand(self) -> tuple[RepWeek, ...]:
        return tuple(member for member in self.members if member.hand)


@writes
def claim_due(now: datetime | None = None) -> list[tuple[int, date]]:
    """Claim every weekly summary due now; (user id, Monday of the week) for each one this call claimed."""
    now = now or utcnow()
    rows = db.session.execute(
        select(User.id, User.timezone, User.weekly_email_sent_for).where(
            User.weekly_email.is_(True), User.deactivated_at.is_(None)
        )
    ).all()
    claimed = []
    for user_id, tz, sent_for in rows:
        week = summary_due(now.astimezone(ZoneInfo(tz or "UTC")).replace(tzinfo=None), sent_for)
        if week is None:
            continue
        won = db.session.execute(
            update(User)
            .where(
                User.id == user_id,
                or_(User.weekly_email_sent_for.is_(None), User.weekly_email_sent_for < week),
            )
            .values(weekly_email_sent_for=week)
        ).rowcount
        if won:
            claimed.append((user_id, week))
    return claimed


def _counts(user_ids: list[int], first: date) -> dict[int, tuple[dict[str, int], dict[date, int]]]:
    """Per rep: calls per outcome over the week, and dials per day."""
    last = first + timedelta(days=6)
    found: dict[int, tuple[dict[str, int], dict[date, int]]] = {uid: ({}, {}) for uid in user_ids}
    for row in db.session.scalars(
        select(DailyTotal).where(DailyTotal.user_id.in_(user_ids), DailyTotal.local_date.between(first, last))
    ):
        outcomes, days = found[row.user_id]
        for code in OUTCOME_CODES:
            outcomes[code] = outcomes.get(code, 0) + (getattr(row, code) or 0)
        days[row.local_date] = row.dials
    return found


def _review_line(user_id: int, first: date) -> str | None:
    """The rep's latest "next time I'll..." of the week, if they wrote one."""
    return db.session.scalar(
        select(CallReview.next_time)
        .where(CallReview.user_id == user_id, CallReview.week_start == first, func.length(CallReview.next_time) > 0)
        .order_by(CallReview.updated_at.desc())
        .limit(1)
    )


def _worked(user_id: int, first: date) -> bool:
    """Whether any weekday of the week was not marked as time off."""
    weekdays = {first + timedelta(days=n) for n in range(5)}
    for off in db.session.scalars(
        select(TimeOff).where(TimeOff.user_id == user_id, TimeOff.first_day <= first + timedelta(days=6))
    ):
        weekdays -= {day for day in weekdays if off.first_day <= day <= off.last_day}
    return bool(weekdays)


def _rep_week(user: User, outcomes: dict[str, int], days: dict[date, int], review: str | None, hand=None) -> RepWeek:
    stages = {stage.key: stage.count for stage in funnel_from_outcomes(outcomes)}
    return RepWeek(
        user.display_name,
        stages["dials"],
        stages["conversations"],
        stages["meetings"],
        best_day(days),
        review,
        hand,
    )


def team_week(team, first: date) -> TeamWeek:
    """The coach's team over the week starting ``first``, with the week before for comparison."""
    members = [user for _, user in seats.members_of(team.id)]
    ids = [user.id for user in members]
    this_week, week_before = _counts(ids, first), _counts(ids, first - timedelta(days=7))
    reps = []
    for user in members:
        outcomes, days = this_week[user.id]
        before = sum(week_before[user.id][1].values())
        hand = hand_reason(sum(days.values()), before, _worked(user.id, first)) if user.can_log_in else None
        reps.append(_rep_week(user, outcomes, days, None, hand))
    return TeamWeek(
        team.name,
        sum(r.dials for r in reps),
        sum(r.conversations for r in reps),
        sum(r.meetings for r in reps),
        tuple(reps),
    )


@dataclass(frozen=True)
class _Subject:
    """The summary's subject, worded when it is read: ``send`` reads it in the recipient's language."""

    dials: int
    first: date
    last: date

    def __str__(self) -> str:
        # "23 Nov" in English as ever; the catalogue gives each language its own short day and month.
        day_month = gettext("d MMM")
        return ngettext(
            "Your week on Closer: %(num)s dial, %(first)s to %(last)s",
            "Your week on Closer: %(num)s dials, %(first)s to %(last)s",
            self.dials,
            first=format_date(self.first, day_month),
            last=format_date(self.last, day_month),
        )


def send_summary(user_id: int, first: date, now: datetime | None = None) -> bool:
    """Email the rep's summary of the week starting ``first`` (and the team's, to a coach); whether one went."""
    user = db.session.get(User, user_id)
    if user is None or not user.can_log_in or not user.weekly_email:
        return False
    outcomes, days = _counts([user.id], first)[user.id]
    week = _rep_week(user, outcomes, days, _review_line(user.id, first))
    seat = seats.seat_of(user)
    team = team_week(seat.team, first) if seat is not None and seat.is_coach else None
    streak = None if user.hide_streak else game_state(user, now).streak.current
    last = first + timedelta(days=6)
    send(
        user.email,
        _Subject(week.dials, first, last),
        "weekly",
        locale=user.locale,
        user=user,
        week=week,
        team=team,
        streak=streak,
        first=first,
        last=last,
        settings_link=public_link("settings.index", _anchor="weekly-email"),
    )
    return True
