"""The team feed: a rep's automatic wins gathered by burst, big moments and posts, newest first, with high-fives.

Pages are cut by cursor: an entry's place is its first row's, so a burst that
grows keeps its place and its key (``w`` and its first win's id), a page never
cuts a burst in two, and no entry is on two pages (``domain.feed_bursts``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice, takewhile

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from webapp.domain import inputs
from webapp.domain.feed_bursts import feed_entries, headline
from webapp.domain.feed_wording import burst_line, burst_parts, calls_lead, win_detail, win_phrase
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import HighFive, Team, TeamMessage, User, utcnow
from webapp.services.game.progress import award_activity
from webapp.services.notifications import news
from webapp.services.teams.feed_rows import (
    MESSAGE,
    WIN,
    BadCursor,
    Cursor,
    FeedRow,
    burst_around,
    bursts_onward,
    calls_in_bursts,
    cursor_token,
    message_row,
    parse_cursor,
    rows_newest_first,
    win_row,
)
from webapp.services.teams.seats import Seat, TeamError
from webapp.services.teams.version import bump
from webapp.services.transaction import writes

__all__ = ["BadCursor", "Cursor", "FeedItem", "FeedPage", "parse_cursor"]

FEED_PAGE = 15
LIVE_LIMIT = 100
MESSAGE_MAX = 280
BURST = "burst"  # the kind of an item that is a rep's burst of wins


@dataclass(frozen=True)
class FeedItem:
    """A post, a win standing alone or a rep's burst of wins in the team feed, with its high-fives.

    ``at`` and ``item_id`` are its place (a burst's first win); ``latest`` is
    when it last grew. A burst's ``parts`` name its wins, oldest first, and
    ``calls`` leads them; ``title`` says the whole item in English (for the
    notification a high-five sends, whose subject is ``headline``).
    """

    key: str
    source: int
    item_id: int
    kind: str
    author_id: int | None
    author: str
    title: str
    detail: str
    at: datetime
    high_fives: int = 0
    givers: tuple[str, ...] = ()
    given: bool = False
    own: bool = False
    parts: tuple[str, ...] = ()  # marked or worded: the page translates each
    note: str = ""
    calls: int = 0
    lead: str = ""  # "5 calls", worded
    latest: datetime | None = None
    wins: tuple[int, ...] = ()
    headline_id: int | None = None
    headline: str = ""

    @property
    def cursor(self) -> str:
        """This item's place in the feed, for paging."""
        return cursor_token(self.at, self.source, self.item_id)


@dataclass(frozen=True)
class FeedPage:
    """Items newest first, and the cursor of the next (older) page, if there may be one."""

    items: list[FeedItem]
    older: str | None = None
    since: str | None = None


Entry = tuple[FeedRow, ...]  # its rows newest first; its place is the last one's


def _fives(team_id: int, entries: Sequence[Entry]) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """Who high-fived each row of these entries, in the order they did (one query)."""
    win_ids = [row.id for entry in entries for row in entry if row.source == WIN]
    message_ids = [row.id for entry in entries for row in entry if row.source == MESSAGE]
    fives: dict[tuple[int, int], list[tuple[int, str]]] = {}
    if not entries:
        return fives
    for five in db.session.execute(
        select(HighFive.win_id, HighFive.message_id, HighFive.giver_id, User.display_name)
        .join(User, User.id == HighFive.giver_id)
        .where(
            HighFive.team_id == team_id,
            or_(HighFive.win_id.in_(win_ids or [-1]), HighFive.message_id.in_(message_ids or [-1])),
        )
        .order_by(HighFive.created_at, HighFive.id)
    ):
        key = (WIN, five.win_id) if five.win_id is not None else (MESSAGE, five.message_id)
        fives.setdefault(key, []).append((five.giver_id, five.display_name))
    return fives


def _item(entry: Entry, calls: int, fives, viewer_id: int | None) -> FeedItem:
    """One feed item from an entry's rows, its calls and its high-fives."""
    first, newest = entry[-1], entry[0]
    givers = dict(giver for row in entry for giver in fives.get((row.source, row.id), []))  # once each, in order
    common = {
        "key": f"{'w' if first.source == WIN else 'm'}{first.id}",
        "source": first.source,
        "item_id": first.id,
        "author_id": first.user_id,
        "author": first.author or "Team",
        "at": first.at,
        "latest": newest.at,
        "high_fives": len(givers),
        "givers": tuple(givers.values()),
        "given": viewer_id in givers,
        "own": first.user_id is not None and first.user_id == viewer_id,
    }
    if first.source == MESSAGE:
        return FeedItem(kind=first.kind, title=first.text, detail="", headline=first.text, **common)
    parts = burst_parts([(row.kind, row.ref, row.text) for row in reversed(entry)])
    top = headline(row.kind for row in entry) if first.grouped else None
    named = next((row for row in entry if row.kind == top), first)
    return FeedItem(
        kind=BURST if first.grouped else first.kind,
        title=burst_line(calls, parts),
        detail=first.detail if len(entry) == 1 else "",
        parts=parts,
        note=win_detail(first.kind, first.ref, first.detail) if len(entry) == 1 else "",
        calls=calls,
        lead=calls_lead(calls),
        wins=tuple(row.id for row in reversed(entry)),
        headline_id=named.id,
        headline=str(win_phrase(named.kind, named.ref, named.text)),
        **common,
    )


def _items(team_id: int, viewer_id: int | None, entries: Sequence[Entry]) -> list[FeedItem]:
    """Feed items for these entries, with their calls and high-fives (one query each for the whole page)."""
    bursts = [entry for entry in entries if entry[-1].grouped]
    calls = dict(zip((entry[-1].id for entry in bursts), calls_in_bursts(bursts), strict=True))
    fives = _fives(team_id, entries)
    return [_item(entry, calls.get(entry[-1].id, 0) if entry[-1].grouped else 0, fives, viewer_id) for entry in entries]


def _grown(entries: list[Entry], below: Cursor) -> list[Entry]:
    """Entries of an older page, each rep's newest burst on it with its wins above ``below`` (read at once)."""
    newest: dict[int, FeedRow] = {}
    for entry in entries:
        if entry[-1].grouped and entry[0].user_id is not None:
            newest.setdefault(entry[0].user_id, entry[0])  # the page is newest first: a rep's first burst is newest
    onward = bursts_onward(list(newest.values()), until=below.at)
    return [
        (*onward.get(entry[0].user_id, ()), *entry) if newest.get(entry[0].user_id) is entry[0] else entry
        for entry in entries
    ]


def _page(team: Team, viewer_id: int | None, entries: list[Entry], limit: int) -> FeedPage:
    items = _items(team.id, viewer_id, entries)
    since = items[-1].cursor if items else None
    return FeedPage(items, older=since if len(items) == limit else None, since=since)


def feed_first_page(team: Team, viewer_id: int | None, limit: int = FEED_PAGE) -> FeedPage:
    """The newest items; ``since`` pins the live block to them, ``older`` continues below."""
    return _page(team, viewer_id, list(islice(feed_entries(rows_newest_first(team.id)), limit)), limit)


def feed_since(team: Team, viewer_id: int | None, since: str | None) -> FeedPage:
    """The live block: every item whose place is at least as new as ``since`` (the newest page when there is none).

    A burst in it that grew since the last poll comes back whole, at its place and with its key.
    """
    cursor = parse_cursor(since)
    if cursor is None:
        return FeedPage(feed_first_page(team, viewer_id).items)
    floor = (cursor.at, cursor.source, cursor.item_id)
    newer = takewhile(lambda entry: entry[-1].order >= floor, feed_entries(rows_newest_first(team.id)))
    return FeedPage(_items(team.id, viewer_id, list(islice(newer, LIVE_LIMIT))), since=since)


def feed_before(team: Team, viewer_id: int | None, before: str | None, limit: int = FEED_PAGE) -> FeedPage:
    """The page of items older than ``before`` (empty when there is none); ``BadCursor`` for a malformed one."""
    cursor = parse_cursor(before)
    if cursor is None:
        return FeedPage([])
    entries = list(islice(feed_entries(rows_newest_first(team.id, below=cursor)), limit))
    items = _items(team.id, viewer_id, _grown(entries, cursor))
    return FeedPage(items, older=items[-1].cursor if len(items) == limit else None)


def feed_item(team: Team, viewer_id: int | None, key: str) -> FeedItem | None:
    """The item of this team's feed with key ``w12`` (a win, or the burst it is in) or ``m7``, or ``None``."""
    source = {"w": WIN, "m": MESSAGE}.get((key or "")[:1])
    item_id = inputs.record_id(key[1:])
    if source is None or item_id is None:
        return None
    row = win_row(team.id, item_id) if source == WIN else message_row(team.id, item_id)
    return _items(team.id, viewer_id, [burst_around(row)])[0] if row else None


def _message_body(raw: str) -> str:
    """A post's text on one line, or ``TeamError`` saying what to change."""
    try:
        # Runs of spaces and line breaks fold into one space, so a post may be typed longer than it is stored.
        body = " ".join(inputs.text(raw, MESSAGE_MAX * 4, "The post", multiline=True).split())
    except inputs.InputError as refused:
        raise TeamError(str(refused)) from None
    if not body:
        raise TeamError(N_("Write something first: a tip, a line that worked, or how the calls are going."))
    if len(body) > MESSAGE_MAX:
        raise TeamError(worded(N_("Keep it under %(most)s characters (%(now)s now)."), most=MESSAGE_MAX, now=len(body)))
    return body


def _message_client_id(raw: str | uuid.UUID | None) -> uuid.UUID:
    """The id the page gave this post (a form without one gets a new one), or ``TeamError``."""
    if isinstance(raw, uuid.UUID):
        return raw
    if not raw:
        return uuid.uuid4()
    if inputs.is_clean_text(raw, 36):
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
    raise TeamError(N_("That post could not be sent as it was. Reload the page and post it again."))


@writes
def post_message(
    seat: Seat, user: User, body: str, now: datetime | None = None, *, client_id: str | uuid.UUID | None = None
) -> list:
    """Post a short message to the team feed; returns the celebrations it earned.

    Everything is checked before anything is written. The page gives each
    post a client id: sent again (a retry after a lost answer), the post is
    stored once and earns nothing the second time.
    """
    body = _message_body(body)
    cid = _message_client_id(client_id)
    posted = select(TeamMessage.id).where(TeamMessage.user_id == seat.user_id, TeamMessage.client_id == cid)
    if db.session.scalar(posted) is not None:
        return []
    now = now or utcnow()
    message = TeamMessage(
        team_id=seat.team.id, user_id=seat.user_id, kind="message", body=body, created_at=now, client_id=cid
    )
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:
        # The same post arrived twice at once; the first one is stored.
        db.session.rollback()
        return []
    cheers = award_activity(user, now, counters={"messages_posted": 1}).celebrations
    bump(seat.team.id)
    return cheers


@writes
def high_five(seat: Seat, user: User, key: str, now: datetime | None = None) -> tuple[FeedItem, list]:
    """Give a high-five on a feed item, once per member; a second one changes nothing.

    A burst takes one high-five from each member, kept on the win that names
    it (its sale, its meeting, else its goal, best or badge), so the rep hears
    "Sam high-fived your meeting" and the wins log shows it there; the feed
    counts the high-fives of all of the burst's wins.

    Raises ``LookupError`` when the item is not in this team's feed and
    ``TeamError`` for the giver's own item.
    """
    item = feed_item(seat.team, seat.user_id, key)
    if item is None:
        raise LookupError(key)
    if item.own:
        raise TeamError(N_("That one is yours: let your team cheer it."))
    if item.given:
        return item, []
    now = now or utcnow()
    target = {"win_id": item.headline_id or item.item_id} if item.source == WIN else {"message_id": item.item_id}
    db.session.add(HighFive(team_id=seat.team.id, giver_id=seat.user_id, created_at=now, **target))
    try:
        db.session.flush()
    except IntegrityError:
        # A double tap raced; the first one counted.
        db.session.rollback()
        return feed_item(seat.team, seat.user_id, key), []
    cheers = award_activity(user, now, counters={"high_fives_given": 1}).celebrations
    news.high_five_given(seat.team.id, seat.user_id, item.author_id, item.headline, now)
    bump(seat.team.id)
    return feed_item(seat.team, seat.user_id, key), cheers
