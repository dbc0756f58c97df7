"""The main screen as one read: the tally, the game, the latest calls, the after-call panel, the challenge.

A tap and an undo read it inside their own transaction, from what the write
path returned, so the answer to a tap costs no second transaction and reads
nothing the write path already knows (on PostgreSQL a read after the commit
would cost a BEGIN and a ROLLBACK more).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from webapp.domain.celebrations import Celebration
from webapp.models import Call, User
from webapp.services.calls import TapResult, UndoResult, record_call, undo_call
from webapp.services.coaching.after_call import AfterCall, after_call
from webapp.services.game.state import GameState, game_state
from webapp.services.teams.challenges import ChallengeView, challenge_for
from webapp.services.teams.version import team_of_member
from webapp.services.today import (
    LATEST_LIMIT,
    DaySummary,
    DayWindow,
    LatestCall,
    day_summary,
    day_window,
    latest_calls,
    today_for,
)
from webapp.services.transaction import writes


@dataclass(frozen=True)
class TodayScreen:
    """Everything the main screen (or the answer to a tap) shows."""

    summary: DaySummary
    day_window: DayWindow  # the tally's day as UTC bounds, for the page script
    game: GameState
    latest: list[LatestCall] | None  # None: the answer carries only the new call's row
    after_call: AfterCall | None
    challenge: ChallengeView | None
    celebrations: tuple[Celebration, ...] = ()
    last: Call | None = None
    undone: Call | None = None

    def context(self) -> dict:
        """The names the templates use."""
        return {
            "summary": self.summary,
            "day_window": self.day_window,
            "game": self.game,
            "recent": self.latest,
            "recent_limit": LATEST_LIMIT,
            "after_call": self.after_call,
            "challenge": self.challenge,
            "celebrations": self.celebrations,
            "last": self.last,
            "undone": self.undone,
        }


def today_screen(user: User, tap: TapResult | None = None, *, undone: Call | None = None) -> TodayScreen:
    """The main screen now; after ``tap``, with what its write path already knows."""
    game = (tap and tap.game) or game_state(user)
    summary = game.today or day_summary(user, today_for(user))
    new_row = tap is not None and tap.created
    if tap is not None and tap.in_team is not None:
        challenge = tap.challenge if tap.in_team else None
    else:
        team = team_of_member(user.id)
        challenge = challenge_for(team) if team is not None else None
    last = tap.call if tap is not None else None
    return TodayScreen(
        summary=summary,
        day_window=day_window(user, summary.day),
        game=game,
        latest=None if new_row else latest_calls(user),
        after_call=after_call(user, last),
        challenge=challenge,
        celebrations=tap.celebrations if tap is not None else (),
        last=last,
        undone=undone,
    )


@writes
def tap(user: User, outcome: str, client_id: str | uuid.UUID, *, with_screen: bool) -> TodayScreen | None:
    """Log one tap and, for an htmx answer, read the screen after it in the same transaction.

    Raises ``CallRejected`` and writes nothing for a tap the server refuses.
    """
    result = record_call(user, outcome, client_id)
    return today_screen(user, result) if with_screen else None


@writes
def undo(user: User, client_id: str) -> tuple[UndoResult, TodayScreen]:
    """Take a call back and read the screen after it. Raises ``CallRejected`` for no such call."""
    result = undo_call(user, client_id)
    return result, today_screen(user, undone=result.call)
