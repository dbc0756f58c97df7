"""Bursts of activity in the team feed: one item per rep per burst, not one per badge.

A rep's automatic wins (a badge, a goal met, a personal best, a meeting
booked, a sale) that follow each other by no more than ``BURST_GAP`` are one
burst, shown as one feed item ("Sam: 5 calls · Badge: Warmed up · Dial goal
met"). The chain decides: wins at 10:00, 10:25 and 10:50 are one burst, a
win at 11:30 starts the next. Big moments (a first meeting or first sale,
a level up, a streak milestone: the ones ``celebrations`` shows full screen)
and what a rep chose to share (a tough call survived) stand alone, and so
does every post; they never break a burst either.

A burst takes its place in the feed from its *first* win: the feed is newest
first by that place, so a burst that grows stays where it is (and keeps its
key), and a page boundary never cuts one in two.

``feed_entries`` walks the feed's rows newest first, as the database pages
them, and yields its entries newest first by that place, each once complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from webapp.domain.celebrations import BIG_BADGES

# The longest pause between two wins of one burst.
BURST_GAP = timedelta(minutes=30)
# Win kinds a burst gathers (a badge unless it is a big one); every other kind stands alone.
GROUPED_KINDS = frozenset({"badge", "goal", "best", "meeting", "sale"})
# Which part of a burst names it ("Sam high-fived your meeting"), most telling first.
_HEADLINE_ORDER = ("sale", "meeting", "goal", "best", "badge")


def badge_code(ref: str) -> str | None:
    """The badge a wins-log ``ref`` is for (``"badge:early_bird"``), or ``None``."""
    kind, _, code = ref.partition(":")
    return code if kind == "badge" and code else None


def joins_bursts(kind: str, ref: str) -> bool:
    """Whether a win of ``kind`` (with its wins-log ``ref``) is gathered into its rep's burst."""
    return kind in GROUPED_KINDS and badge_code(ref) not in BIG_BADGES


def in_one_burst(earlier: datetime, later: datetime) -> bool:
    """Whether two wins of one rep, at ``earlier`` and ``later``, are close enough to share a burst."""
    return timedelta(0) <= later - earlier <= BURST_GAP


def bursts(moments: Sequence[datetime]) -> list[list[datetime]]:
    """One rep's win times, oldest first, cut into bursts: a pause longer than ``BURST_GAP`` starts a new one."""
    found: list[list[datetime]] = []
    for moment in moments:
        if found and in_one_burst(found[-1][-1], moment):
            found[-1].append(moment)
        else:
            found.append([moment])
    return found


def headline(kinds: Iterable[str]) -> str | None:
    """The kind that names a burst of wins of these kinds: a sale before a meeting, a goal, a best, a badge."""
    present = set(kinds)
    return next((kind for kind in _HEADLINE_ORDER if kind in present), None)


class FeedRow(Protocol):
    """What the walk needs of a feed row: its place, its rep, and whether bursts gather it."""

    @property
    def order(self) -> tuple[datetime, int, int]:
        """The row's place in the feed: (time, source, id), compared newest first."""
        ...

    @property
    def at(self) -> datetime:
        """When it happened."""
        ...

    @property
    def user_id(self) -> int | None:
        """The rep it is of (``None`` for the team's own news)."""
        ...

    @property
    def grouped(self) -> bool:
        """Whether it joins its rep's burst (``joins_bursts``); posts and big moments do not."""
        ...


Row = TypeVar("Row", bound=FeedRow)


def feed_entries(rows_newest_first: Iterable[Row]) -> Iterator[tuple[Row, ...]]:
    """The feed's entries, newest first by their place; each is its rows, newest first.

    ``rows_newest_first`` must come strictly newest first by ``order``. An
    entry is one row standing alone or one burst, whose place is its oldest
    row's. A burst is complete once the walk has passed ``BURST_GAP`` below
    its oldest row, and an entry is yielded only when no entry still growing
    (nor any row still to come) can take a place above it. So a caller may
    stop reading at any point and has every entry it was given whole, and
    reading on only ever adds entries below those.
    """
    growing: dict[int, list[Row]] = {}  # rep -> their burst the walk is in, newest row first
    done: list[tuple[Row, ...]] = []
    for row in rows_newest_first:
        for rep, burst in list(growing.items()):
            if not in_one_burst(row.at, burst[-1].at):
                done.append(tuple(burst))
                del growing[rep]
        if row.grouped and row.user_id is not None:
            growing.setdefault(row.user_id, []).append(row)
        else:
            done.append((row,))
        yield from _settled(done, growing)
    done.extend(tuple(burst) for burst in growing.values())
    growing.clear()
    yield from _settled(done, growing)


def _settled(done: list[tuple[Row, ...]], growing: dict[int, list[Row]]) -> Iterator[tuple[Row, ...]]:
    """Take out of ``done``, newest first, the entries no growing burst can still overtake."""
    # A growing burst's place can only move down from its oldest row so far.
    floor = max((burst[-1].order for burst in growing.values()), default=None)
    ready = [entry for entry in done if floor is None or entry[-1].order > floor]
    if ready:
        done[:] = [entry for entry in done if not (floor is None or entry[-1].order > floor)]
        yield from sorted(ready, key=_place, reverse=True)


def _place(entry: Sequence[FeedRow]) -> tuple[datetime, int, int]:
    return entry[-1].order
