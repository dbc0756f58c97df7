"""The team's home page: the board, the personal bests, the challenge bar and the newest feed items."""

from __future__ import annotations

from dataclasses import dataclass, field

from webapp.domain.ranking import Metric, Period
from webapp.services.teams.bests import team_bests
from webapp.services.teams.boards import Board
from webapp.services.teams.challenges import ChallengeView, challenge_for
from webapp.services.teams.feed import FeedPage, feed_first_page
from webapp.services.teams.leagues import league_for
from webapp.services.teams.seats import Seat
from webapp.services.teams.visibility import member_board


@dataclass
class TeamPage:
    """Everything the team's home page shows."""

    seat: Seat
    board: Board
    feed: FeedPage
    challenge: ChallengeView | None
    extra: dict = field(default_factory=dict)


def home(seat: Seat, period: Period, metric: Metric, *, full: bool = False) -> TeamPage:
    """The team's home page: the board (with the viewer's league and the personal bests), the challenge bar
    and the newest feed items."""
    return TeamPage(
        seat,
        member_board(seat, period, metric, full=full),
        feed_first_page(seat.team, seat.user_id),
        challenge_for(seat.team),
        extra={"league": league_for(seat, metric), "bests": team_bests(seat)},
    )
