"""Weekly leagues: a large team races in small leagues of similar reps, afresh every Monday.

Small leagues of near peers lift low performers most: a place within reach
is worth trying for, a place twenty ranks up is not. So a team of more than
:data:`LEAGUES_FROM` - 1 members is split each week, in the team's calendar,
into leagues of :data:`LEAGUE_MIN` to :data:`LEAGUE_MAX` by *last week's
dials*: the busiest callers race each other, and a new rep (no dials last
week) races the other new and quiet reps. Nothing is stored: the grouping is
read from last week's numbers, so it turns over by itself at Monday midnight
and every rep starts the week level with their league.

Promotion follows from the grouping: a rep who out-dials their league this
week is grouped with busier reps next Monday. The top two of every league
but the first are shown as on course to move up.

(A team of nine cannot make two leagues of five: it splits five and four,
the one size where the range cannot hold.)
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from typing import TypeVar

T = TypeVar("T")

LEAGUE_MIN, LEAGUE_MAX = 5, 8
LEAGUES_FROM = 9  # teams of more than eight
PROMOTION_PLACES = 2


def has_leagues(members: int) -> bool:
    """Whether a team of this many members on the boards races in leagues."""
    return members >= LEAGUES_FROM


def league_sizes(members: int) -> list[int]:
    """How many leagues, and how big, for ``members`` reps: as few leagues as fit, sizes as even as can be.

    Larger leagues first, so the top league is never the smallest.
    """
    if members <= 0:
        return []
    count = max(1, ceil(members / LEAGUE_MAX))
    base, extra = divmod(members, count)
    return [base + 1 if n < extra else base for n in range(count)]


def group_leagues(entries: Sequence[tuple[int, str, T]]) -> list[list[T]]:
    """Leagues of ``(last_week_dials, name, key)`` entries, busiest first: a list of leagues of keys.

    Ties in dials go by name (case-insensitively), so the grouping is stable
    from one refresh to the next.
    """
    ordered = sorted(entries, key=lambda entry: (-entry[0], entry[1].casefold(), entry[1]))
    leagues, start = [], 0
    for size in league_sizes(len(ordered)):
        leagues.append([key for _, _, key in ordered[start : start + size]])
        start += size
    return leagues


def league_name(number: int) -> str:
    """A league's name: "League 1" is the busiest."""
    return f"League {number}"


def in_promotion_zone(league_number: int, rank: int) -> bool:
    """Whether this place in this league is on course to move up next Monday (not in the top league)."""
    return league_number > 1 and rank <= PROMOTION_PLACES
