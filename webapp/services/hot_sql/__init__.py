"""Every statement of the hot path, in one package: what a tap, an undo and the screen after them run.

Each is a ``prepared.Statement``: a module constant built from ordinary
SQLAlchemy constructs, so it reads like any other query, and run by
``prepared.run`` (compiled once on the driver, or plainly through the session
with ``PLAIN_SQL``). Statements take named parameters only, and never an
expanding ``IN`` (a compiled string cannot grow one).

The adding upserts insert a row or add to its counters atomically in SQL,
so two taps racing on one row never lose a count.

``writes`` holds what a tap writes, ``reads`` what the game and the screen read,
``team`` the rep's team; ``build`` the pieces they share. Import them from here.
"""

from webapp.services.hot_sql.build import (
    CONVERSATION_CODES,
    POSITIVE_CODES,
)
from webapp.services.hot_sql.reads import (
    BADGES_HELD,
    DIALS_SINCE,
    LAST_POSITIVE,
    LATEST_CALLS,
    LATEST_OUTCOMES,
    REPLAY_DAY_COLUMNS,
    REPLAY_DAYS,
    REPLAY_DAYS_AND_TIES,
    REWARDS_AND_HITS,
    WINDOW_DIALS_AND_POSITIVES,
)
from webapp.services.hot_sql.team import (
    BUMP_MEMBER,
    BUMP_TEAM,
    CHALLENGE_PROGRESS,
    CURRENT_CHALLENGE,
    MEMBER_TEAM,
    TEAM_VERSION,
)
from webapp.services.hot_sql.writes import (
    ADD_TO_DAY,
    ADD_TO_HOUR,
    ADD_TO_LIFETIME,
    ADD_TO_REVIEW_WEEK,
    CALL_COLUMNS,
    DAY_COUNTERS,
    INSERT_BADGE,
    INSERT_CALL,
    INSERT_WIN,
    LIFETIME_COUNTERS,
    PLAYER_FIELDS,
    REVIEW_WEEK_COUNTERS,
    SAVE_PLAYER,
)

__all__ = [
    "ADD_TO_DAY",
    "ADD_TO_HOUR",
    "ADD_TO_LIFETIME",
    "ADD_TO_REVIEW_WEEK",
    "BADGES_HELD",
    "BUMP_MEMBER",
    "BUMP_TEAM",
    "CALL_COLUMNS",
    "CHALLENGE_PROGRESS",
    "CONVERSATION_CODES",
    "CURRENT_CHALLENGE",
    "DAY_COUNTERS",
    "DIALS_SINCE",
    "INSERT_BADGE",
    "INSERT_CALL",
    "INSERT_WIN",
    "LAST_POSITIVE",
    "LATEST_CALLS",
    "LATEST_OUTCOMES",
    "LIFETIME_COUNTERS",
    "MEMBER_TEAM",
    "PLAYER_FIELDS",
    "POSITIVE_CODES",
    "REPLAY_DAYS",
    "REPLAY_DAYS_AND_TIES",
    "REPLAY_DAY_COLUMNS",
    "REVIEW_WEEK_COUNTERS",
    "REWARDS_AND_HITS",
    "SAVE_PLAYER",
    "TEAM_VERSION",
    "WINDOW_DIALS_AND_POSITIVES",
]
