"""The team feed: wins and posts newest first, paged by cursor, with high-fives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from webapp.domain import inputs
from webapp.extensions import db
from webapp.models import (
    HighFive,
    Team,
    TeamMember,
    TeamMessage,
    User,
    Win,
    utcnow,
)
from webapp.services.game.progress import award_activity
from webapp.services.notifications import news
from webapp.services.teams.seats import Seat, TeamError
from webapp.services.teams.version import bump
from webapp.services.transaction import writes

FEED_PAGE = 15
LIVE_LIMIT = 100
MESSAGE_MAX = 280
# Feed items sort newest first by (time, source, id); the source breaks ties between a win and a post.
WIN, MESSAGE = 0, 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedItem:
    """A win or a post in the team feed, with its high-fives."""

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

    @property
    def cursor(self) -> str:
        """This item's place in the feed, for paging."""
        return f"{(self.at - _EPOCH) // timedelta(microseconds=1)}-{self.source}-{self.item_id}"


@dataclass(frozen=True)
class FeedPage:
    """Items newest first, and the cursor of the next (older) page, if there may be one."""

    items: list[FeedItem]
    older: str | None = None
    since: str | None = None


@dataclass(frozen=True)
class Cursor:
    """A position in the feed's order: (time, source, id)."""

    at: datetime
    source: int
    item_id: int


class BadCursor(ValueError):
    """A feed cursor that names no place in any feed (a 400: only a hand-made URL sends one)."""


# The latest instant a cursor can name, in microseconds since 1970 (the end of year 9999).
_MAX_MICROS = (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


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
        raise BadCursor("That place in the feed does not exist. Reload the page to see the newest posts.") from None
    return Cursor(_EPOCH + timedelta(microseconds=micros), source, item_id)


def _after_clause(at_column, id_column, source: int, cursor: Cursor, *, older: bool):
    """SQL for "strictly older than" (or "at least as new as") ``cursor`` in one source."""
    if older:
        if source < cursor.source:
            return at_column <= cursor.at
        if source > cursor.source:
            return at_column < cursor.at
        return or_(at_column < cursor.at, and_(at_column == cursor.at, id_column < cursor.item_id))
    if source < cursor.source:
        return at_column > cursor.at
    if source > cursor.source:
        return at_column >= cursor.at
    return or_(at_column > cursor.at, and_(at_column == cursor.at, id_column >= cursor.item_id))


def _win_query(team_id: int):
    return (
        select(Win.id, Win.kind, Win.title, Win.detail, Win.occurred_at.label("at"), Win.user_id, User.display_name)
        .join(TeamMember, TeamMember.user_id == Win.user_id)
        .join(User, User.id == Win.user_id)
        .where(TeamMember.team_id == team_id, Win.kind != "reward")
    )


def _message_query(team_id: int):
    return (
        select(
            TeamMessage.id,
            TeamMessage.kind,
            TeamMessage.body,
            TeamMessage.created_at.label("at"),
            TeamMessage.user_id,
            User.display_name,
        )
        .outerjoin(User, User.id == TeamMessage.user_id)
        .where(TeamMessage.team_id == team_id)
    )


def _fetch(team_id: int, cursor: Cursor | None, older: bool, limit: int) -> list[tuple[int, object]]:
    """Up to ``limit`` rows of each source on the right side of ``cursor``, merged newest first."""
    rows: list[tuple[int, object]] = []
    for source, query, at_col, id_col in (
        (WIN, _win_query(team_id), Win.occurred_at, Win.id),
        (MESSAGE, _message_query(team_id), TeamMessage.created_at, TeamMessage.id),
    ):
        if cursor:
            query = query.where(_after_clause(at_col, id_col, source, cursor, older=older))
        query = query.order_by(at_col.desc(), id_col.desc()).limit(limit)
        rows.extend((source, row) for row in db.session.execute(query))
    rows.sort(key=lambda pair: (pair[1].at, pair[0], pair[1].id), reverse=True)
    return rows[:limit]


def _items(team_id: int, viewer_id: int | None, rows: list[tuple[int, object]]) -> list[FeedItem]:
    """Feed items with their high-fives (one query for the whole page)."""
    win_ids = [row.id for source, row in rows if source == WIN]
    message_ids = [row.id for source, row in rows if source == MESSAGE]
    fives: dict[tuple[int, int], list[tuple[int, str]]] = {}
    if rows:
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
    items = []
    for source, row in rows:
        givers = fives.get((source, row.id), [])
        is_win = source == WIN
        items.append(
            FeedItem(
                key=f"{'w' if is_win else 'm'}{row.id}",
                source=source,
                item_id=row.id,
                kind=row.kind,
                author_id=row.user_id,
                author=row.display_name or "Team",
                title=row.title if is_win else row.body,
                detail=row.detail if is_win else "",
                at=row.at,
                high_fives=len(givers),
                givers=tuple(name for _, name in givers),
                given=any(gid == viewer_id for gid, _ in givers),
                own=row.user_id is not None and row.user_id == viewer_id,
            )
        )
    return items


def feed_first_page(team: Team, viewer_id: int | None, limit: int = FEED_PAGE) -> FeedPage:
    """The newest items; ``since`` pins the live block to them, ``older`` continues below."""
    rows = _fetch(team.id, None, True, limit)
    items = _items(team.id, viewer_id, rows)
    since = items[-1].cursor if items else None
    return FeedPage(items, older=since if len(items) == limit else None, since=since)


def feed_since(team: Team, viewer_id: int | None, since: str | None) -> FeedPage:
    """The live block: every item at least as new as ``since`` (the newest page when there is none)."""
    cursor = parse_cursor(since)
    rows = _fetch(team.id, cursor, False, LIVE_LIMIT if cursor else FEED_PAGE)
    return FeedPage(_items(team.id, viewer_id, rows), since=since if cursor else None)


def feed_before(team: Team, viewer_id: int | None, before: str | None, limit: int = FEED_PAGE) -> FeedPage:
    """The page of items older than ``before`` (empty when there is none); ``BadCursor`` for a malformed one."""
    cursor = parse_cursor(before)
    if cursor is None:
        return FeedPage([])
    items = _items(team.id, viewer_id, _fetch(team.id, cursor, True, limit))
    return FeedPage(items, older=items[-1].cursor if len(items) == limit else None)


def feed_item(team: Team, viewer_id: int | None, key: str) -> FeedItem | None:
    """One item of this team's feed by key (``w12`` or ``m7``), or ``None``."""
    source = {"w": WIN, "m": MESSAGE}.get((key or "")[:1])
    item_id = inputs.record_id(key[1:])
    if source is None or item_id is None:
        return None
    query = (
        _win_query(team.id).where(Win.id == item_id)
        if source == WIN
        else _message_query(team.id).where(TeamMessage.id == item_id)
    )
    row = db.session.execute(query).first()
    return _items(team.id, viewer_id, [(source, row)])[0] if row else None


def _message_body(raw: str) -> str:
    """A post's text on one line, or ``TeamError`` saying what to change."""
    try:
        # Runs of spaces and line breaks fold into one space, so a post may be typed longer than it is stored.
        body = " ".join(inputs.text(raw, MESSAGE_MAX * 4, "The post", multiline=True).split())
    except inputs.InputError as refused:
        raise TeamError(str(refused)) from None
    if not body:
        raise TeamError("Write something first: a tip, a line that worked, or how the calls are going.")
    if len(body) > MESSAGE_MAX:
        raise TeamError(f"Keep it under {MESSAGE_MAX} characters ({len(body)} now).")
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
    raise TeamError("That post could not be sent as it was. Reload the page and post it again.")


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

    Raises ``LookupError`` when the item is not in this team's feed and
    ``TeamError`` for the giver's own item.
    """
    item = feed_item(seat.team, seat.user_id, key)
    if item is None:
        raise LookupError(key)
    if item.own:
        raise TeamError("That one is yours: let your team cheer it.")
    if item.given:
        return item, []
    now = now or utcnow()
    target = {"win_id": item.item_id} if item.source == WIN else {"message_id": item.item_id}
    db.session.add(HighFive(team_id=seat.team.id, giver_id=seat.user_id, created_at=now, **target))
    try:
        db.session.flush()
    except IntegrityError:
        # A double tap raced; the first one counted.
        db.session.rollback()
        return feed_item(seat.team, seat.user_id, key), []
    cheers = award_activity(user, now, counters={"high_fives_given": 1}).celebrations
    news.high_five_given(seat.team.id, seat.user_id, item.author_id, item.title, now)
    bump(seat.team.id)
    return feed_item(seat.team, seat.user_id, key), cheers
