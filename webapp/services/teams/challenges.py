"""Team challenges: a shared target for a period, its bar, and the moment it is reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from webapp.domain import ranking
from webapp.extensions import db
from webapp.models import (
    Call,
    Team,
    TeamChallenge,
    TeamMember,
    TeamMessage,
    User,
    utcnow,
)
from webapp.services import hot_sql, prepared
from webapp.services.game.progress import award_activity
from webapp.services.notifications import news
from webapp.services.teams.seats import Seat, TeamError
from webapp.services.teams.version import bump, bump_member, team_of_member
from webapp.services.transaction import writes


@dataclass(frozen=True)
class ChallengeView:
    """A challenge as its bar shows it."""

    challenge_id: int
    team_id: int
    team_name: str
    metric: str
    target: int
    done: int
    period: str
    ends_on: date
    reached: bool
    reached_now: bool = False

    @property
    def percent(self) -> int:
        """Progress as a whole percentage, at most 100."""
        return ranking.challenge_percent(self.done, self.target)

    @property
    def label(self) -> str:
        """The challenge in words, like "500 dials this week"."""
        return ranking.challenge_words(ranking.ChallengeMetric(self.metric), self.target, ranking.Period(self.period))

    @property
    def bar_value(self) -> int:
        """The bar's fill (a full bar once reached)."""
        return min(self.done, self.target)


def current_challenge(team_id: int, today: date):
    """The team's running challenge on ``today`` (the latest set), as a row, if any."""
    return prepared.first(hot_sql.CURRENT_CHALLENGE, team_id=team_id, today=today)


def challenge_progress(challenge) -> int:
    """The members' summed count toward the challenge, from their day rows in its dates."""
    statement = hot_sql.CHALLENGE_PROGRESS[challenge.metric]
    return int(
        prepared.scalar(statement, team_id=challenge.team_id, first=challenge.starts_on, last=challenge.ends_on) or 0
    )


def set_challenge(seat: Seat, metric: str, target: str, period: str, now: datetime | None = None) -> TeamChallenge:
    """The coach sets the team's challenge (replacing a running one), or ``TeamError`` and nothing changes."""
    try:
        chosen_metric, chosen_target, chosen_period = ranking.parse_challenge(metric, target, period)
    except ValueError as invalid:
        errors = invalid.args[0]
        raise TeamError("; ".join(errors.values()), errors) from None
    now = now or utcnow()
    start, end = ranking.period_bounds(chosen_period, ranking.team_today(now, seat.team.timezone))
    db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.team_id == seat.team.id, TeamChallenge.ended_at.is_(None))
        .values(ended_at=now)
    )
    challenge = TeamChallenge(
        team_id=seat.team.id,
        metric=chosen_metric.value,
        target=chosen_target,
        period=chosen_period.value,
        starts_on=start,
        ends_on=end,
        created_by=seat.user_id,
        created_at=now,
    )
    db.session.add(challenge)
    db.session.flush()
    if challenge_progress(challenge) >= challenge.target:
        _reach(challenge, now)
    bump(seat.team.id)
    return challenge


@writes
def end_challenge(seat: Seat, now: datetime | None = None) -> bool:
    """The coach stops the running challenge; False when there is none."""
    done = db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.team_id == seat.team.id, TeamChallenge.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    ).rowcount
    if done:
        bump(seat.team.id)
    return bool(done)


def _reach(challenge: TeamChallenge, now: datetime) -> bool:
    """Mark the challenge reached once, credit every member and tell the feed; False if already reached."""
    won = db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.id == challenge.id, TeamChallenge.reached_at.is_(None))
        .values(reached_at=now)
    ).rowcount
    if not won:
        return False
    for member_id in db.session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == challenge.team_id)):
        award_activity(db.session.get(User, member_id), now, counters={"challenges_reached": 1})
    view = _challenge_view(db.session.get(Team, challenge.team_id), challenge, challenge.target)
    db.session.add(
        TeamMessage(
            team_id=challenge.team_id,
            user_id=None,
            kind="challenge",
            created_at=now,
            body=f"Challenge reached: {view.label}. Every dial in it counted. Well done, team!",
        )
    )
    news.challenge_reached(challenge.team_id, view.label, now)
    return True


def _challenge_view(team, challenge: TeamChallenge, done: int, *, reached_now: bool = False) -> ChallengeView:
    return ChallengeView(
        challenge.id,
        team.id,
        team.name,
        challenge.metric,
        challenge.target,
        done,
        challenge.period,
        challenge.ends_on,
        challenge.reached_at is not None or reached_now,
        reached_now,
    )


def challenge_for(team, now: datetime | None = None) -> ChallengeView | None:
    """The running challenge of the team (a model or a row with id, name, timezone), with its progress."""
    challenge = current_challenge(team.id, ranking.team_today(now or utcnow(), team.timezone))
    return _challenge_view(team, challenge, challenge_progress(challenge)) if challenge else None


@dataclass(frozen=True)
class TeamChange:
    """What a change of calls did to the rep's team: whether there is one, and its challenge bar now."""

    in_team: bool
    challenge: ChallengeView | None = None


def calls_changed(user: User, calls: list[Call], sign: int, team_id: int | None) -> TeamChange:
    """The team's part of the write path, after a tap, a synced batch or an undo, in its transaction.

    Bumps the team's version (live boards and feeds refresh) and, when new
    calls count toward a running challenge, checks whether they reached it.
    Returns the challenge bar, so the screen after a tap does not read it
    again. ``team_id`` is the rep's team as the write path already read it.
    """
    team = team_of_member(user.id) if team_id is not None else None
    if team is None:
        return TeamChange(in_team=False)
    bump_member(user.id)
    now = max(call.created_at or utcnow() for call in calls)
    challenge = current_challenge(team.id, ranking.team_today(now, team.timezone))
    if challenge is None:
        return TeamChange(in_team=True)
    progress = challenge_progress(challenge)
    counted = sign > 0 and any(
        ranking.counts_toward(challenge.metric, call.outcome)
        and challenge.starts_on <= call.local_date <= challenge.ends_on
        for call in calls
    )
    reached_now = counted and challenge.reached_at is None and progress >= challenge.target and _reach(challenge, now)
    return TeamChange(True, _challenge_view(team, challenge, progress, reached_now=reached_now))
