"""How much of a board a member sees: near me, full, or private.

Field studies of rank feedback find that a full public ranking lowers the
effort of those near the bottom, while a place within reach raises it. So a
team chooses (the coach, for everyone) how its boards are shown:

- **near me** (new teams): the top three, then the viewer's own place with the
  two above and the two below; everyone else is a count, never a name.
- **full** (teams from before the choice): every rank.
- **private**: each rep sees only their own numbers, against their own best.

In every mode, "most improved" (a gain on one's own last week) and each rep's
personal best stay open to everyone: they race nobody but the rep. The TV on
the wall never shows a rank below the top five, whatever the mode.
Pure functions over plain rows, tested as tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from webapp.domain.ranking import Metric
from webapp.domain.wording import N_

T = TypeVar("T")

NEAR_TOP = 3  # the podium everyone sees in "near me"
NEAR_SPAN = 2  # places shown above and below the viewer's own
TV_TOP = 5  # the wall never shows a rank below this
TV_METRICS = (Metric.POINTS, Metric.DIALS, Metric.MEETINGS)  # what the wall cycles through
TV_CYCLE_SECONDS = 20


class BoardMode(StrEnum):
    """How a team's boards are shown to its members."""

    NEAR_ME = "near_me"
    FULL = "full"
    PRIVATE = "private"


# Marked for the catalogue; pages translate them as they render (``|translated``).
MODE_LABELS = {
    BoardMode.NEAR_ME: N_("Near me"),
    BoardMode.FULL: N_("Full board"),
    BoardMode.PRIVATE: N_("Private"),
}
MODE_HELP = {
    BoardMode.NEAR_ME: N_("Everyone sees the top three and their own place with two above and two below."),
    BoardMode.FULL: N_("Everyone sees every rank."),
    BoardMode.PRIVATE: N_(
        "Each rep sees only their own numbers, against their own best; most improved and personal bests stay open."
    ),
}


def parse_mode(raw: str | None) -> BoardMode:
    """A board mode from a form, or ``ValueError`` with a message for the coach."""
    try:
        return BoardMode((raw or "").strip())
    except ValueError:
        raise ValueError(N_("Choose near me, full board or private.")) from None


def mode_of(raw: str | None) -> BoardMode:
    """A stored mode; anything unknown reads as the kindest, "near me"."""
    try:
        return BoardMode(raw or "")
    except ValueError:
        return BoardMode.NEAR_ME


@dataclass(frozen=True)
class NearView(Generic[T]):
    """The slice of a ranked board a member sees: the podium, their own neighbourhood, and counts between."""

    top: list[T]
    near: list[T] = field(default_factory=list)
    hidden_between: int = 0  # ranks between the podium and the viewer's neighbourhood
    hidden_after: int = 0  # ranks below everything shown


def near_me(rows: Sequence[T], is_viewer: Callable[[T], bool]) -> NearView[T]:
    """The "near me" slice of ``rows`` (ranked, best first) for the viewer.

    A viewer who is not on the board (private mode, the coach with no calls
    left out) sees the podium and a count. When the viewer's neighbourhood
    touches the podium the two run together as one list.
    """
    index = next((i for i, row in enumerate(rows) if is_viewer(row)), None)
    if index is None:
        top = list(rows[:NEAR_TOP])
        return NearView(top, hidden_after=len(rows) - len(top))
    first, last = max(0, index - NEAR_SPAN), min(len(rows), index + NEAR_SPAN + 1)
    if first <= NEAR_TOP:
        top = list(rows[: max(last, NEAR_TOP)])
        return NearView(top, hidden_after=len(rows) - len(top))
    return NearView(list(rows[:NEAR_TOP]), list(rows[first:last]), first - NEAR_TOP, len(rows) - last)


def own_only(rows: Sequence[T], is_viewer: Callable[[T], bool]) -> list[T]:
    """The private mode's board: the viewer's own row, or nothing."""
    return [row for row in rows if is_viewer(row)]


def tv_rows(rows: Sequence[T], mode: BoardMode) -> list[T]:
    """What the wall shows: at most the top five, and no board at all for a private team."""
    return [] if mode is BoardMode.PRIVATE else list(rows[:TV_TOP])


def tv_metric(now: datetime) -> Metric:
    """The metric the wall shows at ``now``: points, dials, meetings in turn, each for 20 seconds.

    Read off the clock, so every screen showing the team's TV link agrees.
    """
    slot = int(now.timestamp()) // TV_CYCLE_SECONDS
    return TV_METRICS[slot % len(TV_METRICS)]
