"""The team feed's rows: wins and posts newest first from a cursor, a rep's burst around a win, each burst's calls.

The database pages rows; ``domain.feed_bursts`` makes them entries. Rows come
in batches, so a page reads only as far down as its entries (and the bursts
in them) reach.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, and_, bindparam, func, literal, or_, select, union_all

from webapp.domain import inputs
from webapp.domain.feed_bursts import BURST_GAP, GROUPED_KINDS, in_one_burst, joins_bursts
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.models import Call, TeamMember, TeamMessage, User, Win

# Feed items sort newest first by (time, source, id); the source breaks ties between a win and a post.
WIN, MESSAGE = 0, 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The latest instant a cursor can name, in microseconds since 1970 (the end of year 9999).
_MAX_MICROS = (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)
ROW_BATCH = 32  # rows of each source read at a time
REP_BATCH = 16  # a rep's wins read at a time, following a burst


@dataclass(frozen=True)
class Cursor:
    """A position in the feed's order: (time, source, id)."""

    at: datetime
    source: int
    item_id: int


class BadCursor(ValueError):
    """A feed cursor that names no place in any feed (a 400: only a hand-made URL sends one)."""


def parse_cursor(raw: str | None) -> Cursor | None:
    """A cursor from a query string: ``None`` when absent, ``BadCursor`` when it names no place."""
    if not raw:
        return None
    parts = raw.split("-") if isinstance(raw, str) else []
    try:
        micros, source, item_id = (
            inputs.whole_number(part, low, high)
            for part, (low, high) in zip(parts, ((0, _MAX_MICROS), (WIN, MESSAGE), (1, inputs.MAX_ID)), strict=True)
        )
    except (inputs.InputError, ValueError):
        raise BadCursor(N_("That place in the feed does not exist. Reload the page to see the newest posts.")) from None
    return Cursor(_EPOCH + timedelta(microseconds=micros), source, item_id)


def cursor_token(at: datetime, source: int, item_id: int) -> str:
    """A place in the feed as a URL carries it: "<microseconds since 1970>-<source>-<id>"."""
    return f"{(at - _EPOCH) // timedelta(microseconds=1)}-{source}-{item_id}"


@dataclass(frozen=True)
class FeedRow:
    """One win or post as the feed reads it."""

    source: int
    id: int
    kind: str
    ref: str
    user_id: int | None
    author: str | None
    text: str  # a win's stored title, a post's body
    detail: str
    at: datetime

    @property
    def order(self) -> tuple[datetime, int, int]:
        """Its place in the feed's order."""
        return (self.at, self.source, self.id)

    @property
    def grouped(self) -> bool:
        """Whether it joins its rep's burst (an automatic win, not a big moment nor a post)."""
        return self.source == WIN and joins_bursts(self.kind, self.ref)


def _win_query():
    return select(
        Win.id, Win.kind, Win.ref, Win.title, Win.detail, Win.occurred_at, Win.user_id, User.display_name
    ).join(User, User.id == Win.user_id)


def _team_wins(team_id: int):
    return (
        _win_query()
        .join(TeamMember, TeamMember.user_id == Win.user_id)
        .where(TeamMember.team_id == team_id, Win.kind != "reward")
    )


def _team_messages(team_id: int):
    return (
        select(
            TeamMessage.id,
            TeamMessage.kind,
            TeamMessage.body,
            TeamMessage.created_at,
            TeamMessage.user_id,
            User.display_name,
        )
        .outerjoin(User, User.id == TeamMessage.user_id)
        .where(TeamMessage.team_id == team_id)
    )


def _win_row(row) -> FeedRow:
    return FeedRow(
        WIN, row.id, row.kind, row.ref, row.user_id, row.display_name, row.title, row.detail, row.occurred_at
    )


def _message_row(row) -> FeedRow:
    return FeedRow(MESSAGE, row.id, row.kind, "", row.user_id, row.display_name, row.body, "", row.created_at)


def _older_than(at_column, id_column, source: int, cursor: Cursor):
    """SQL for "strictly older than ``cursor``" in one source."""
    if source < cursor.source:
        return at_column <= cursor.at
    if source > cursor.source:
        return at_column < cursor.at
    return or_(at_column < cursor.at, and_(at_column == cursor.at, id_column < cursor.item_id))


def _newest_first(query, at_column, id_column, source: int, to_row, below: Cursor | None) -> Iterator[FeedRow]:
    """One source's rows strictly older than ``below`` (all of them without it), newest first, in batches."""
    while True:
        batch = query if below is None else query.where(_older_than(at_column, id_column, source, below))
        batch = batch.order_by(at_column.desc(), id_column.desc()).limit(ROW_BATCH)
        rows = [to_row(row) for row in db.session.execute(batch)]
        yield from rows
        if len(rows) < ROW_BATCH:
            return
        below = Cursor(rows[-1].at, source, rows[-1].id)


def rows_newest_first(team_id: int, below: Cursor | None = None) -> Iterator[FeedRow]:
    """The team's wins and posts strictly older than ``below`` (or all), newest first, read as they are needed."""
    wins = _newest_first(_team_wins(team_id), Win.occurred_at, Win.id, WIN, _win_row, below)
    posts = _newest_first(_team_messages(team_id), TeamMessage.created_at, TeamMessage.id, MESSAGE, _message_row, below)
    return heapq.merge(wins, posts, key=lambda row: row.order, reverse=True)


def win_row(team_id: int, win_id: int) -> FeedRow | None:
    """One win of this team's feed, or ``None``."""
    row = db.session.execute(_team_wins(team_id).where(Win.id == win_id)).first()
    return _win_row(row) if row else None


def message_row(team_id: int, message_id: int) -> FeedRow | None:
    """One post of this team's feed, or ``None``."""
    row = db.session.execute(_team_messages(team_id).where(TeamMessage.id == message_id)).first()
    return _message_row(row) if row else None


def _wins_of(user_ids: Sequence[int], start: FeedRow, *, older: bool) -> Iterator[FeedRow]:
    """These reps' wins a burst may gather, strictly older (newest first) or newer (oldest first) than ``start``."""
    position = start
    while True:
        if older:
            side = or_(Win.occurred_at < position.at, and_(Win.occurred_at == position.at, Win.id < position.id))
            order = (Win.occurred_at.desc(), Win.id.desc())
        else:
            side = or_(Win.occurred_at > position.at, and_(Win.occurred_at == position.at, Win.id > position.id))
            order = (Win.occurred_at, Win.id)
        query = _win_query().where(Win.user_id.in_(user_ids), Win.kind.in_(sorted(GROUPED_KINDS)), side)
        rows = [_win_row(row) for row in db.session.execute(query.order_by(*order).limit(REP_BATCH))]
        yield from (row for row in rows if row.grouped)
        if len(rows) < REP_BATCH:
            return
        position = rows[-1]


def bursts_onward(newest_rows: Sequence[FeedRow], *, until: datetime | None = None) -> dict[int, list[FeedRow]]:
    """For bursts of different reps, given by their newest row so far: the newer wins that continue each, newest first.

    One query as a rule, whatever the number of reps: their wins are read
    together, oldest first, until the walk is past every burst that is still
    going on. ``until`` is where the caller's own reading began: a burst whose
    newest row is more than ``BURST_GAP`` before it cannot go on, and is not read.
    """
    tails = {
        row.user_id: row
        for row in newest_rows
        if row.user_id is not None and (until is None or until - row.at <= BURST_GAP)
    }
    found: dict[int, list[FeedRow]] = {rep: [] for rep in tails}
    if not tails:
        return found
    start = min(tails.values(), key=lambda row: row.order)
    for row in _wins_of(sorted(tails), start, older=False):
        if all(not in_one_burst(tail.at, row.at) for tail in tails.values()):
            break  # past the end of every burst still going on
        tail = tails.get(row.user_id)
        if tail is None or row.order <= tail.order:
            continue  # a rep whose burst ended, or a win in (or below) the burst as it was read
        if in_one_burst(tail.at, row.at):
            found[tail.user_id].append(row)
            tails[tail.user_id] = row
        else:
            del tails[tail.user_id]
            if not tails:
                break
    return {rep: rows[::-1] for rep, rows in found.items()}


def burst_around(row: FeedRow) -> tuple[FeedRow, ...]:
    """The whole burst ``row`` is in, newest first (the row alone when bursts do not gather it)."""
    if not row.grouped or row.user_id is None:
        return (row,)
    older: list[FeedRow] = []
    last = row
    for earlier in _wins_of([row.user_id], row, older=True):
        if not in_one_burst(earlier.at, last.at):
            break
        older.append(earlier)
        last = earlier
    return (*bursts_onward([row])[row.user_id], row, *older)


def burst_of(win: Win) -> tuple[FeedRow, ...]:
    """The whole burst a wins-log entry is in, newest first (the entry alone when bursts do not gather it)."""
    return burst_around(
        FeedRow(WIN, win.id, win.kind, win.ref, win.user_id, None, win.title, win.detail, win.occurred_at)
    )


CALL_SLOTS = 16  # bursts counted by one statement; a page has at most 15


def _calls_statement():
    """One statement counting the calls of ``CALL_SLOTS`` bursts, built once: executing it again costs no building.

    Slot ``n`` counts the calls of rep ``u<n>`` from ``a<n>`` to ``b<n>``; a
    slot left unused asks for rep 0, who has none.
    """
    moment = Call.occurred_at.type
    return union_all(
        *(
            select(literal(n, Integer).label("n"), func.count(Call.id).label("calls")).where(
                Call.user_id == bindparam(f"u{n}", type_=Integer),
                Call.occurred_at >= bindparam(f"a{n}", type_=moment),
                Call.occurred_at <= bindparam(f"b{n}", type_=moment),
                Call.undone_at.is_(None),
            )
            for n in range(CALL_SLOTS)
        )
    )


_CALLS = _calls_statement()


def calls_in_bursts(bursts: Sequence[Sequence[FeedRow]]) -> list[int]:
    """The calls each burst's rep made in it: one query for a page (one more per 16 bursts of a long live block).

    A burst's calls are those from ``BURST_GAP`` before its first win (the
    calling that led to it) to its last win, undone ones left out. Two bursts
    of one rep are more than ``BURST_GAP`` apart, so no call counts twice.
    """
    counts: list[int] = []
    for first in range(0, len(bursts), CALL_SLOTS):
        chunk = bursts[first : first + CALL_SLOTS]
        values: dict[str, object] = {}
        for n in range(CALL_SLOTS):
            burst = chunk[n] if n < len(chunk) else None
            values[f"u{n}"] = burst[0].user_id if burst else 0
            values[f"a{n}"] = burst[-1].at - BURST_GAP if burst else _EPOCH
            values[f"b{n}"] = burst[0].at if burst else _EPOCH
        found = dict(db.session.execute(_CALLS, values).tuples().all())
        counts.extend(found.get(n, 0) for n in range(len(chunk)))
    return counts
