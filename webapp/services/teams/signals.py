"""Coach signals: each member's flags for today, and the kind word a coach sends from them.

Read only for the coach's page: a handful of small reads per member (their
day row through the streak, their latest calls, two weeks of call times for
the usual pace). The rules are ``domain.signals``; the tough-call marks and
resets a rep shares (Settings, off by default) are counted per day, never
their notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from webapp.domain import signals as rules
from webapp.domain.days import day_bounds_utc
from webapp.domain.outcomes import REJECTIONS
from webapp.domain.resilience import rejection_run
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import Call, Reset, Team, TeamMember, ToughCall, User, utcnow
from webapp.services.game.state import game_state
from webapp.services.notifications import inbox
from webapp.services.teams.seats import Seat, TeamError
from webapp.services.today import today_for
from webapp.services.transaction import writes

RUN_LOOKBACK = 60  # latest calls read for the run of no's
PACE_DAYS = 14  # days of call times read for the usual pace
KIND_WORD_MAX = 280
REJECTION_CODES = frozenset(outcome.value for outcome in REJECTIONS)
SORT_KEYS = ("flags", "name", "today", "usual", "run", "streak")


@dataclass(frozen=True)
class MemberSignals:
    """One member's row in the coach's "who needs a hand" table."""

    user_id: int
    name: str
    signals: list[rules.Signal]
    dials_today: int
    usual_by_now: int | None
    no_run: int
    streak: int
    tough_today: int | None = None  # None: the rep does not share tough-call marks and resets
    resets_today: int | None = None

    def sort_key(self, column: str):
        """The value a column sorts by (flags and numbers highest first, names A to Z)."""
        numbers = {
            "flags": len(self.signals),
            "today": self.dials_today,
            "usual": self.usual_by_now or 0,
            "run": self.no_run,
            "streak": self.streak,
        }
        if column == "name":
            return (self.name.casefold(),)
        return (-numbers.get(column, len(self.signals)), self.name.casefold())


def coach_signals(team: Team, now: datetime | None = None, sort: str = "flags") -> list[MemberSignals]:
    """Every member's flags for today, sorted by ``sort`` (flags first by default)."""
    now = now or utcnow()
    zone = ZoneInfo(team.timezone)
    local_now = now.astimezone(zone)
    minute_now = local_now.hour * 60 + local_now.minute
    users = db.session.scalars(
        select(User).join(TeamMember, TeamMember.user_id == User.id).where(TeamMember.team_id == team.id)
    ).all()
    rows = [_member(user, team, now, zone, minute_now) for user in users]
    column = sort if sort in SORT_KEYS else "flags"
    return sorted(rows, key=lambda row: row.sort_key(column))


def _member(user: User, team: Team, now: datetime, zone: ZoneInfo, minute_now: int) -> MemberSignals:
    state = game_state(user, now)
    dials_today = state.goals[0].done if state.goals else 0
    today = today_for(user, now)
    day_start, day_end = day_bounds_utc(today, user.timezone, user.day_start_hour or 0)
    latest = db.session.execute(
        select(Call.outcome, Call.occurred_at)
        .where(Call.user_id == user.id, Call.undone_at.is_(None), Call.occurred_at <= now)
        .order_by(Call.occurred_at.desc())
        .limit(RUN_LOOKBACK)
    ).all()
    run = rejection_run([row.outcome for row in latest])
    run_began = _run_start(latest, run)
    reset_since = bool(
        run_began
        and db.session.scalar(
            select(func.count()).select_from(Reset).where(Reset.user_id == user.id, Reset.started_at >= run_began)
        )
    )
    usual = rules.usual_by_now(_past_days(user, now, zone, day_start), minute_now)
    day = rules.MemberToday(
        minute_now=minute_now,
        start_by_minute=team.start_by_minute,
        working_today=state.streak.working_today,
        dials_today=dials_today,
        no_run=run,
        reset_after=user.reset_after_nos or 3,
        reset_since_run=reset_since,
        usual_by_now=usual,
        streak=state.streak.current,
        streak_at_risk=state.streak.at_risk,
        dials_to_keep=state.streak.dials_to_keep,
        minutes_left=max(0, int((day_end - now).total_seconds() // 60)),
    )
    tough, resets = _shared_counts(user, day_start, day_end, today) if user.coach_sees_tough else (None, None)
    return MemberSignals(
        user.id,
        user.display_name,
        rules.signals_for(day),
        dials_today,
        usual,
        run,
        state.streak.current,
        tough,
        resets,
    )


def _run_start(latest, run: int) -> datetime | None:
    """When the current run of no's began (its oldest no), or ``None`` with no run."""
    if not run:
        return None
    seen = 0
    for row in latest:
        if row.outcome in REJECTION_CODES:
            seen += 1
            if seen == run:
                return row.occurred_at
    return None


def _past_days(user: User, now: datetime, zone: ZoneInfo, today_start: datetime) -> list[list[int]]:
    """Call times (team-local minutes) on each of the rep's past working days with calls, last two weeks."""
    times = db.session.scalars(
        select(Call.occurred_at).where(
            Call.user_id == user.id,
            Call.undone_at.is_(None),
            Call.occurred_at >= now - timedelta(days=PACE_DAYS),
            Call.occurred_at < today_start,
        )
    ).all()
    working = user.working_day_set
    by_day: dict = defaultdict(list)
    for at in times:
        local = at.astimezone(zone)
        if local.weekday() in working:
            by_day[local.date()].append(local.hour * 60 + local.minute)
    return list(by_day.values())


def _shared_counts(user: User, day_start: datetime, day_end: datetime, today) -> tuple[int, int]:
    """Today's tough-call marks and resets, as counts: never which call, never a note."""
    tough = db.session.scalar(
        select(func.count())
        .select_from(ToughCall)
        .where(ToughCall.user_id == user.id, ToughCall.marked_at >= day_start, ToughCall.marked_at < day_end)
    )
    resets = db.session.scalar(
        select(func.count()).select_from(Reset).where(Reset.user_id == user.id, Reset.local_date == today)
    )
    return int(tough or 0), int(resets or 0)


@writes
def send_kind_word(seat: Seat, user_id: int, body: str, now: datetime | None = None) -> None:
    """The coach sends a member a kind word; it lands in the member's in-app list (and as a push, if wanted)."""
    body = (body or "").strip()
    if not 1 <= len(body) <= KIND_WORD_MAX:
        raise TeamError(
            worded(
                N_("Write a kind word of 1 to %(max)s characters, or pick one of the suggestions."),
                max=KIND_WORD_MAX,
            )
        )
    member = db.session.get(TeamMember, user_id)
    if member is None or member.team_id != seat.team.id or user_id == seat.user_id:
        raise LookupError(user_id)
    inbox.post(user_id, "coach_note", "A word from your coach", body, url="/", now=now)


@writes
def set_start_by(seat: Seat, raw: str) -> int:
    """The coach's start time ("09:30", team timezone), or ``TeamError`` and nothing changes."""
    try:
        moment = datetime.strptime((raw or "").strip(), "%H:%M")
    except ValueError:
        raise TeamError(N_("Enter a time like 09:30.")) from None
    seat.team.start_by_minute = moment.hour * 60 + moment.minute
    return seat.team.start_by_minute


@writes
def set_coach_sees_tough(user: User, on: bool) -> None:
    """The rep's switch: whether their coach sees today's tough-call marks and resets, as counts."""
    user.coach_sees_tough = on
