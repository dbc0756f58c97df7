"""The rep's team on the hot path: its version, the member's counter, the running challenge."""

from __future__ import annotations

from sqlalchemy import Date, bindparam, func, select, update

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.ranking import METRIC_OUTCOMES
from webapp.models import (
    DailyTotal,
    Team,
    TeamChallenge,
    TeamMember,
)
from webapp.services.prepared import Statement

# ---- the rep's team

BUMP_TEAM = Statement(
    "bump_team", lambda d: update(Team).where(Team.id == bindparam("team_id")).values(version=Team.version + 1)
)
# A member's own activity counter: a tap moves only the tapping rep's row, so fifty reps tapping at once
# never queue on one team row; live views add the counters to the team's version for their ETag.
BUMP_MEMBER = Statement(
    "bump_member",
    lambda d: (
        update(TeamMember).where(TeamMember.user_id == bindparam("member_id")).values(activity=TeamMember.activity + 1)
    ),
)
TEAM_VERSION = Statement(
    "team_version",
    lambda d: select(
        Team.version
        + select(func.coalesce(func.sum(TeamMember.activity), 0)).where(TeamMember.team_id == Team.id).scalar_subquery()
    ).where(Team.id == bindparam("team_id")),
)


def _current_challenge(dialect: str):
    today = bindparam("today", type_=Date())
    return (
        select(
            TeamChallenge.id,
            TeamChallenge.team_id,
            TeamChallenge.metric,
            TeamChallenge.target,
            TeamChallenge.period,
            TeamChallenge.starts_on,
            TeamChallenge.ends_on,
            TeamChallenge.reached_at,
        )
        .where(
            TeamChallenge.team_id == bindparam("team_id"),
            TeamChallenge.ended_at.is_(None),
            TeamChallenge.starts_on <= today,
            TeamChallenge.ends_on >= today,
        )
        .order_by(TeamChallenge.created_at.desc(), TeamChallenge.id.desc())
        .limit(1)
    )


# The team's running challenge on a day (the latest set), as a plain row.
CURRENT_CHALLENGE = Statement("current_challenge", _current_challenge)


def _challenge_progress(metric: str):
    codes = [code for code in OUTCOME_CODES if code in METRIC_OUTCOMES[metric]]
    counted = DailyTotal.dials if metric == "dials" else sum((getattr(DailyTotal, c) for c in codes), start=0)

    def build(dialect: str):
        return (
            select(func.coalesce(func.sum(counted), 0))
            .select_from(TeamMember)
            .join(DailyTotal, DailyTotal.user_id == TeamMember.user_id)
            .where(
                TeamMember.team_id == bindparam("team_id"),
                DailyTotal.local_date.between(bindparam("first", type_=Date()), bindparam("last", type_=Date())),
            )
        )

    return Statement(f"challenge_progress_{metric}", build)


# The members' summed count toward a challenge, one statement per kind of challenge.
CHALLENGE_PROGRESS = {metric: _challenge_progress(metric) for metric in METRIC_OUTCOMES}
MEMBER_TEAM = Statement(
    "member_team",
    lambda d: (
        select(Team.id, Team.name, Team.timezone)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == bindparam("user_id"))
    ),
)
