"""Teams: membership, invites, boards, the feed, high-fives, challenges, the coach view, TV links.

Boards and challenge bars read ``DailyTotal`` sums over the period's dates,
never the calls, so a board costs about the same with a million calls of
history as with ten thousand. Periods are the *team's* today, week (Monday
start) and month, in the team's timezone; each rep's day rows are in the
rep's own calendar, so a rep in another timezone counts their own local
Monday as Monday.

Every change a board or feed shows (a tap or undo of any member, a post, a
high-five, a member joining or leaving, private mode, a challenge) bumps
``Team.version`` in the same transaction. Live views use it as their ETag:
a poll when nothing changed costs one indexed read and an empty 304.

Private mode hides a rep from the boards only: they still see the boards,
their wins still reach the feed (the team cheers them), their dials still
count toward team challenges, and the coach still sees them in the coach view.

Tokens for invite and TV links come from ``secrets.token_urlsafe(32)`` (256
bits) and only their sha256 is stored, so a read of the database leaks no
live link; a revoked or rotated link stops working on the next request.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask import g, has_app_context
from sqlalchemy import Date, and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from webapp.domain import ranking
from webapp.domain.goals import DEFAULT_TARGETS
from webapp.domain.insights import FunnelStage, funnel_from_outcomes
from webapp.domain.outcomes import OUTCOME_CODES, label_for
from webapp.domain.ranking import Metric, Period
from webapp.domain.timing import is_valid_timezone
from webapp.extensions import db
from webapp.models import (
    Call,
    DailyTotal,
    HighFive,
    Team,
    TeamChallenge,
    TeamInvite,
    TeamMember,
    TeamMessage,
    User,
    Win,
    utcnow,
)
from webapp.services import game, statements

TOKEN_BYTES = 32
INVITE_DAYS = 7
BOARD_TOP = 10
FEED_PAGE = 15
LIVE_LIMIT = 100
MESSAGE_MAX = 280
CSV_MAX_DAYS = 366
COACH, MEMBER = "coach", "member"
# Feed items sort newest first by (time, source, id); the source breaks ties between a win and a post.
WIN, MESSAGE = 0, 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TeamError(ValueError):
    """A team action that was not done; the message is meant for the person who tried."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


# ---------------------------------------------------------------- tokens


def new_token() -> str:
    """A fresh secret for a link: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored of a link's token: its sha256, hex."""
    return hashlib.sha256((token or "").encode()).hexdigest()


# ---------------------------------------------------------------- membership


@dataclass(frozen=True)
class Seat:
    """A user's place in a team, as every team route sees it."""

    team: Team
    member: TeamMember

    @property
    def is_coach(self) -> bool:
        """Whether this member is the team's coach."""
        return self.member.role == COACH

    @property
    def user_id(self) -> int:
        """The member's user id."""
        return self.member.user_id


def seat_of(user: User) -> Seat | None:
    """The user's team seat, if they are in a team (one query)."""
    row = db.session.execute(
        select(TeamMember, Team).join(Team, Team.id == TeamMember.team_id).where(TeamMember.user_id == user.id)
    ).first()
    return Seat(row.Team, row.TeamMember) if row else None


def seat_in(user: User, team_id: int) -> Seat | None:
    """The user's seat in this team, or ``None`` when they are not a member of it."""
    seat = seat_of(user)
    return seat if seat and seat.team.id == team_id else None


def bump(team_id: int) -> None:
    """Move the team's version on (in SQL, so concurrent taps never lose a bump)."""
    statements.run(_bump_version, {"team_id": team_id})


def _bump_version(dialect: str):
    return update(Team).where(Team.id == bindparam("team_id")).values(version=Team.version + 1)


def create_team(user: User, name: str, tz_name: str, now: datetime | None = None) -> Team:
    """Start a team with ``user`` as its coach, or raise ``TeamError`` and create nothing."""
    name = (name or "").strip()
    tz_name = (tz_name or "").strip()
    errors = {}
    if not 1 <= len(name) <= 60:
        errors["name"] = "Give the team a name of 1 to 60 characters."
    if not is_valid_timezone(tz_name):
        errors["timezone"] = "Choose the team's timezone from the list, like Europe/London."
    current = seat_of(user)
    if current:
        errors["name"] = f"You are in {current.team.name} already. Leave it first to start a new team."
    if errors:
        raise TeamError("; ".join(errors.values()), errors)
    now = now or utcnow()
    team = Team(name=name, timezone=tz_name, created_at=now, version=0)
    db.session.add(team)
    db.session.flush()
    db.session.add(TeamMember(user_id=user.id, team_id=team.id, role=COACH, private_mode=False, joined_at=now))
    db.session.commit()
    return team


def members_of(team_id: int) -> list[tuple[TeamMember, User]]:
    """The team's members with their accounts, coach first, then by name."""
    return list(
        db.session.execute(
            select(TeamMember, User)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == team_id)
            .order_by((TeamMember.role == COACH).desc(), func.lower(User.display_name), User.id)
        ).tuples()
    )


def leave(seat: Seat) -> bool:
    """Leave the team; a coach hands the role on first. Returns True when the team closed (last one out)."""
    others = db.session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(TeamMember.team_id == seat.team.id, TeamMember.user_id != seat.user_id)
    )
    if seat.is_coach and others:
        raise TeamError("Hand the coach role to another member before you leave.")
    _drop_seat(seat, closing=not others)
    db.session.commit()
    return not others


def _drop_seat(seat: Seat, *, closing: bool) -> None:
    """Remove a seat inside the caller's transaction; the last one out closes the team."""
    if closing:
        db.session.execute(delete(Team).where(Team.id == seat.team.id))
    else:
        db.session.execute(delete(TeamMember).where(TeamMember.user_id == seat.user_id))
        bump(seat.team.id)
    db.session.expire_all()


def remove_member(seat: Seat, user_id: int) -> bool:
    """The coach takes a member off the team; False when there is no such other member."""
    if not seat.is_coach or user_id == seat.user_id:
        return False
    gone = db.session.execute(
        delete(TeamMember).where(TeamMember.team_id == seat.team.id, TeamMember.user_id == user_id)
    ).rowcount
    if gone:
        bump(seat.team.id)
    db.session.commit()
    return bool(gone)


def hand_coach_role(seat: Seat, user_id: int) -> bool:
    """The coach makes another member the coach and becomes a member; False when there is no such member."""
    target = db.session.get(TeamMember, user_id)
    if not seat.is_coach or target is None or target.team_id != seat.team.id or user_id == seat.user_id:
        return False
    target.role, seat.member.role = COACH, MEMBER
    bump(seat.team.id)
    db.session.commit()
    return True


def set_private(seat: Seat, private: bool) -> None:
    """Opt out of (or back into) the boards."""
    seat.member.private_mode = private
    bump(seat.team.id)
    db.session.commit()


# ---------------------------------------------------------------- invites


def create_invite(seat: Seat, now: datetime | None = None, days: int = INVITE_DAYS) -> str:
    """A new invite link's token, shown once; only its digest is kept."""
    now = now or utcnow()
    token = new_token()
    db.session.add(
        TeamInvite(
            team_id=seat.team.id,
            token_hash=token_digest(token),
            created_by=seat.user_id,
            created_at=now,
            expires_at=now + timedelta(days=days),
            uses=0,
        )
    )
    db.session.commit()
    return token


def open_invites(team_id: int, now: datetime | None = None) -> list[TeamInvite]:
    """Invites that still work, newest first."""
    return list(
        db.session.scalars(
            select(TeamInvite)
            .where(
                TeamInvite.team_id == team_id,
                TeamInvite.revoked_at.is_(None),
                TeamInvite.expires_at > (now or utcnow()),
            )
            .order_by(TeamInvite.created_at.desc(), TeamInvite.id.desc())
        )
    )


def revoke_invite(seat: Seat, invite_id: int, now: datetime | None = None) -> bool:
    """Withdraw an invite of this team; it stops working at once."""
    done = db.session.execute(
        update(TeamInvite)
        .where(TeamInvite.id == invite_id, TeamInvite.team_id == seat.team.id, TeamInvite.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    ).rowcount
    db.session.commit()
    return bool(done)


def invite_for(token: str, now: datetime | None = None) -> tuple[TeamInvite, Team] | None:
    """The live invite behind a token and its team; ``None`` for unknown, expired or revoked."""
    row = db.session.execute(
        select(TeamInvite, Team)
        .join(Team, Team.id == TeamInvite.team_id)
        .where(
            TeamInvite.token_hash == token_digest(token),
            TeamInvite.revoked_at.is_(None),
            TeamInvite.expires_at > (now or utcnow()),
        )
    ).first()
    return (row.TeamInvite, row.Team) if row else None


def join_with_invite(user: User, token: str, now: datetime | None = None) -> Team:
    """Join the invite's team (leaving any other), or raise ``TeamError`` and change nothing."""
    now = now or utcnow()
    found = invite_for(token, now)
    if found is None:
        raise TeamError("This invite link has expired or was withdrawn. Ask your coach for a fresh one.")
    invite, team = found
    current = seat_of(user)
    if current and current.team.id == team.id:
        return team
    if current:
        if current.is_coach and len(members_of(current.team.id)) > 1:
            raise TeamError(f"You coach {current.team.name}: hand the coach role on before you join another team.")
        _drop_seat(current, closing=len(members_of(current.team.id)) == 1)
    db.session.add(TeamMember(user_id=user.id, team_id=team.id, role=MEMBER, private_mode=False, joined_at=now))
    db.session.execute(update(TeamInvite).where(TeamInvite.id == invite.id).values(uses=TeamInvite.uses + 1))
    bump(team.id)
    db.session.commit()
    return db.session.get(Team, team.id)


# ---------------------------------------------------------------- boards


class BoardRow(NamedTuple):
    """One rep on a board (a tuple: a board of 200 builds 200 of these on every render)."""

    rank: int
    user_id: int
    name: str
    value: int
    metric: Metric
    viewer: bool = False

    @property
    def shown(self) -> str:
        """The value as the board shows it."""
        return _shown(self.metric, self.value)


@dataclass(frozen=True)
class Board:
    """A ranked board and the slice of it a screen shows."""

    period: Period
    metric: Metric
    start: date
    end: date
    rows: list[BoardRow]
    top: list[BoardRow]
    pinned: BoardRow | None
    viewer_private: bool = False
    full: bool = False

    @property
    def period_label(self) -> str:
        """The period in words."""
        if self.metric is Metric.IMPROVED:
            return "This week so far, against the same days last week"
        return ranking.PERIOD_LABELS[self.period]

    @property
    def metric_label(self) -> str:
        """The metric in words."""
        return ranking.METRIC_LABELS[self.metric]


def _metric_sum(metric: str):
    """SQL for one day row's count of a metric (points, or calls of the metric's outcomes)."""
    if metric == "points":
        return DailyTotal.points
    if metric in ("dials", "goal", "improved"):
        return DailyTotal.dials
    columns = [getattr(DailyTotal, code) for code in OUTCOME_CODES if code in ranking.METRIC_OUTCOMES[metric]]
    total = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


def _total(expression):
    return func.coalesce(func.sum(expression), 0)


def _period_total(metric: str, first: str, last: str):
    """A member's sum of ``metric`` over their day rows from ``:first`` to ``:last`` (a correlated subquery).

    Per member it is one range read of the (user_id, local_date) primary key,
    so its cost follows the period's length, not the length of the history.
    """
    return (
        select(_total(_metric_sum(metric)))
        .where(
            DailyTotal.user_id == TeamMember.user_id,
            DailyTotal.local_date.between(bindparam(first, type_=Date), bindparam(last, type_=Date)),
        )
        .scalar_subquery()
    )


@cache
def _board_statement(metric: Metric):
    """The board's query for a metric, built once: members (not in private mode) and their period sums."""
    values = (
        [_period_total("dials", "this_start", "end"), _period_total("dials", "start", "last_end")]
        if metric is Metric.IMPROVED
        else [_period_total(metric.value, "start", "end")]
    )
    return (
        select(TeamMember.user_id, User.display_name, User.goal_dials, User.working_days, *values)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id == bindparam("team_id"), TeamMember.private_mode.is_(False))
    )


def board(
    team: Team,
    period: Period,
    metric: Metric,
    now: datetime | None = None,
    *,
    viewer: Seat | None = None,
    full: bool = False,
    top: int = BOARD_TOP,
) -> Board:
    """The team's board: one read of the members' period sums, ranked with shared ties.

    Private-mode members are left out of the rows (and so of the ranks).
    """
    today = ranking.team_today(now or utcnow(), team.timezone)
    if metric is Metric.IMPROVED:
        period = Period.WEEK
        this_start, end = ranking.period_bounds(Period.WEEK, today)
        start, last_end = ranking.same_days_last_week(today)
        params = {"this_start": this_start, "end": today, "start": start, "last_end": last_end}
    else:
        start, end = ranking.period_bounds(period, today)
        params = {"start": start, "end": end}
    # Plain rows through the session's connection: no ORM entities to build for a 200-row board.
    rows = db.session.connection().execute(_board_statement(metric), {"team_id": team.id, **params}).all()
    score = _scorer(metric, start, min(today, end))
    ranked = ranking.competition_ranks([(score(row), row.display_name, row.user_id) for row in rows])
    viewer_id = viewer.user_id if viewer else None
    board_rows = [BoardRow(rank, uid, name, value, metric, uid == viewer_id) for rank, value, name, uid in ranked]
    shown, pinned = ranking.visible_rows(board_rows, lambda row: row.viewer, len(board_rows) if full else top)
    return Board(
        period,
        metric,
        params.get("this_start", start),
        end,
        board_rows,
        shown,
        pinned,
        viewer_private=bool(viewer and viewer.member.private_mode),
        full=full,
    )


def _scorer(metric: Metric, start: date, through: date):
    """How a member's summed row becomes their number on the board."""
    if metric is Metric.IMPROVED:
        return lambda row: row[4] - row[5]
    if metric is not Metric.GOAL:
        return lambda row: row[4]
    days_for: dict[str, int] = {}  # most reps share a working week: count its days once

    def goal(row) -> int:
        key = row.working_days or ""
        if key not in days_for:
            working = {int(d) for d in key.split(",") if d != ""}
            days_for[key] = ranking.working_days_between(start, through, working)
        return ranking.goal_percent(row[4], row.goal_dials or DEFAULT_TARGETS.dials, days_for[key])

    return goal


def _shown(metric: Metric, value: int) -> str:
    """How a board value reads; a week slower than the last is "building", not a minus."""
    if metric is Metric.GOAL:
        return f"{value}%"
    if metric is Metric.IMPROVED:
        return f"+{value} dials" if value > 0 else ("level" if value == 0 else "building")
    return f"{value:,}"


def leaderboard_json(team: Team, period: Period, metric: Metric, now: datetime | None = None) -> dict:
    """The shape of ``GET /api/v1/teams/<id>/leaderboard``: the rows the page ranks."""
    result = board(team, period, metric, now, full=True)
    return {
        "team_id": team.id,
        "period": result.period.value,
        "metric": result.metric.value,
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "rows": [{"rank": r.rank, "display_name": r.name, "value": r.value} for r in result.rows],
    }


def live_tag(team: Team, *parts) -> str:
    """An ETag for a live view: the team's version, the team's today, and what else the view depends on."""
    today = ranking.team_today(utcnow(), team.timezone)
    raw = ":".join(str(p) for p in (team.id, team.version, today.isoformat(), *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


# ---------------------------------------------------------------- the feed


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


def parse_cursor(raw: str | None) -> Cursor | None:
    """A cursor from a query string; ``None`` when absent or malformed."""
    try:
        micros, source, item_id = (int(part) for part in (raw or "").split("-"))
    except ValueError:
        return None
    if source not in (WIN, MESSAGE) or micros < 0:
        return None
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
    """The page of items older than ``before``; empty for a missing or malformed cursor."""
    cursor = parse_cursor(before)
    if cursor is None:
        return FeedPage([])
    items = _items(team.id, viewer_id, _fetch(team.id, cursor, True, limit))
    return FeedPage(items, older=items[-1].cursor if len(items) == limit else None)


def feed_item(team: Team, viewer_id: int | None, key: str) -> FeedItem | None:
    """One item of this team's feed by key (``w12`` or ``m7``), or ``None``."""
    source = {"w": WIN, "m": MESSAGE}.get((key or "")[:1])
    if source is None or not key[1:].isdigit():
        return None
    query = (
        _win_query(team.id).where(Win.id == int(key[1:]))
        if source == WIN
        else _message_query(team.id).where(TeamMessage.id == int(key[1:]))
    )
    row = db.session.execute(query).first()
    return _items(team.id, viewer_id, [(source, row)])[0] if row else None


def post_message(seat: Seat, user: User, body: str, now: datetime | None = None) -> list:
    """Post a short message to the team feed; returns the celebrations it earned."""
    body = " ".join((body or "").split())
    if not body:
        raise TeamError("Write something first: a tip, a line that worked, or how the calls are going.")
    if len(body) > MESSAGE_MAX:
        raise TeamError(f"Keep it under {MESSAGE_MAX} characters ({len(body)} now).")
    now = now or utcnow()
    db.session.add(TeamMessage(team_id=seat.team.id, user_id=seat.user_id, kind="message", body=body, created_at=now))
    _, cheers = game.award_activity(user, now, counters={"messages_posted": 1})
    bump(seat.team.id)
    db.session.commit()
    return cheers


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
    _, cheers = game.award_activity(user, now, counters={"high_fives_given": 1})
    bump(seat.team.id)
    db.session.commit()
    return feed_item(seat.team, seat.user_id, key), cheers


# ---------------------------------------------------------------- challenges


@dataclass(frozen=True)
class ChallengeView:
    """A challenge as its bar shows it."""

    challenge_id: int
    team_id: int
    team_name: str
    metric: str
    target: int
    done: int
    period: str
    ends_on: date
    reached: bool
    reached_now: bool = False

    @property
    def percent(self) -> int:
        """Progress as a whole percentage, at most 100."""
        return ranking.challenge_percent(self.done, self.target)

    @property
    def label(self) -> str:
        """The challenge in words, like "500 dials this week"."""
        words = {"today": "today", "week": "this week", "month": "this month"}[self.period]
        return f"{self.target:,} {ranking.CHALLENGE_LABELS[ranking.ChallengeMetric(self.metric)]} {words}"

    @property
    def bar_value(self) -> int:
        """The bar's fill (a full bar once reached)."""
        return min(self.done, self.target)


def current_challenge(team_id: int, today: date) -> TeamChallenge | None:
    """The team's running challenge on ``today`` (the latest set), if any."""
    return db.session.scalar(
        select(TeamChallenge)
        .where(
            TeamChallenge.team_id == team_id,
            TeamChallenge.ended_at.is_(None),
            TeamChallenge.starts_on <= today,
            TeamChallenge.ends_on >= today,
        )
        .order_by(TeamChallenge.created_at.desc(), TeamChallenge.id.desc())
        .limit(1)
    )


def challenge_progress(challenge: TeamChallenge) -> int:
    """The members' summed count toward the challenge, from their day rows in its dates."""
    return (
        db.session.scalar(
            select(_total(_metric_sum(challenge.metric)))
            .select_from(TeamMember)
            .join(DailyTotal, DailyTotal.user_id == TeamMember.user_id)
            .where(
                TeamMember.team_id == challenge.team_id,
                DailyTotal.local_date.between(challenge.starts_on, challenge.ends_on),
            )
        )
        or 0
    )


def set_challenge(seat: Seat, metric: str, target: str, period: str, now: datetime | None = None) -> TeamChallenge:
    """The coach sets the team's challenge (replacing a running one), or ``TeamError`` and nothing changes."""
    try:
        chosen_metric, chosen_target, chosen_period = ranking.parse_challenge(metric, target, period)
    except ValueError as invalid:
        errors = invalid.args[0]
        raise TeamError("; ".join(errors.values()), errors) from None
    now = now or utcnow()
    start, end = ranking.period_bounds(chosen_period, ranking.team_today(now, seat.team.timezone))
    db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.team_id == seat.team.id, TeamChallenge.ended_at.is_(None))
        .values(ended_at=now)
    )
    challenge = TeamChallenge(
        team_id=seat.team.id,
        metric=chosen_metric.value,
        target=chosen_target,
        period=chosen_period.value,
        starts_on=start,
        ends_on=end,
        created_by=seat.user_id,
        created_at=now,
    )
    db.session.add(challenge)
    db.session.flush()
    if challenge_progress(challenge) >= challenge.target:
        _reach(challenge, now)
    bump(seat.team.id)
    db.session.commit()
    return challenge


def end_challenge(seat: Seat, now: datetime | None = None) -> bool:
    """The coach stops the running challenge; False when there is none."""
    done = db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.team_id == seat.team.id, TeamChallenge.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    ).rowcount
    if done:
        bump(seat.team.id)
    db.session.commit()
    return bool(done)


def _reach(challenge: TeamChallenge, now: datetime) -> bool:
    """Mark the challenge reached once, credit every member and tell the feed; False if already reached."""
    won = db.session.execute(
        update(TeamChallenge)
        .where(TeamChallenge.id == challenge.id, TeamChallenge.reached_at.is_(None))
        .values(reached_at=now)
    ).rowcount
    if not won:
        return False
    for member_id in db.session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == challenge.team_id)):
        game.award_activity(db.session.get(User, member_id), now, counters={"challenges_reached": 1})
    view = _challenge_view(db.session.get(Team, challenge.team_id), challenge, challenge.target)
    db.session.add(
        TeamMessage(
            team_id=challenge.team_id,
            user_id=None,
            kind="challenge",
            created_at=now,
            body=f"Challenge reached: {view.label}. Every dial in it counted. Well done, team!",
        )
    )
    if has_app_context():
        g.team_challenge_reached = challenge.id
    return True


def _challenge_view(team: Team, challenge: TeamChallenge, done: int) -> ChallengeView:
    reached_now = has_app_context() and g.get("team_challenge_reached") == challenge.id
    return ChallengeView(
        challenge.id,
        team.id,
        team.name,
        challenge.metric,
        challenge.target,
        done,
        challenge.period,
        challenge.ends_on,
        challenge.reached_at is not None or reached_now,
        reached_now,
    )


def challenge_for(team: Team, now: datetime | None = None) -> ChallengeView | None:
    """The running challenge of the team with its progress, for a bar."""
    challenge = current_challenge(team.id, ranking.team_today(now or utcnow(), team.timezone))
    return _challenge_view(team, challenge, challenge_progress(challenge)) if challenge else None


# ---------------------------------------------------------------- hooks from the write path


def on_calls_change(user: User, calls: list[Call], sign: int, team_id: int | None) -> None:
    """Called inside the write path after a tap, a synced batch or an undo, in its transaction.

    Bumps the team's version (live boards and feeds refresh) and, when the
    calls count toward a running challenge, checks whether it was reached.
    The team and the challenge bar are kept for this request, so the main
    screen that follows a tap does not read them again. ``team_id`` is the
    rep's team as the write path already read it (``None``: no team).
    """
    team = _team_of_member(user.id) if team_id is not None else None
    g.closer_team = team
    if team is None:
        return
    bump(team.id)
    if sign < 0:
        return
    now = max(call.created_at or utcnow() for call in calls)
    challenge = current_challenge(team.id, ranking.team_today(now, team.timezone))
    if challenge is None:
        g.closer_challenge = None
        return
    progress = challenge_progress(challenge)
    counted = any(
        ranking.counts_toward(challenge.metric, call.outcome)
        and challenge.starts_on <= call.local_date <= challenge.ends_on
        for call in calls
    )
    if counted and challenge.reached_at is None and progress >= challenge.target:
        _reach(challenge, now)
    g.closer_challenge = _challenge_view(team, challenge, progress)


def on_points_change(user: User) -> None:
    """Points earned outside a call (a review, a reset) move the points board: bump the team's version."""
    team = _team_of_member(user.id)
    if team is not None:
        bump(team.id)


def main_screen_context(user: User) -> dict:
    """What the main screen shows of the rep's team (the challenge bar)."""
    team = g.pop("closer_team") if "closer_team" in g else _team_of_member(user.id)
    if team is None:
        return {"challenge": None}
    if "closer_challenge" in g:
        return {"challenge": g.pop("closer_challenge")}
    return {"challenge": challenge_for(team)}


def _member_team(dialect: str):
    return (
        select(Team.id, Team.name, Team.timezone)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == bindparam("user_id"))
    )


def _team_of_member(user_id: int):
    """The id, name and timezone of the user's team (a plain row), or ``None``.

    The write path and the main screen need no more of the team than this,
    so they read it with one prepared query instead of loading the seat.
    """
    return statements.first(_member_team, user_id=user_id)


# ---------------------------------------------------------------- the coach view


@dataclass(frozen=True)
class CoachRow:
    """One member as the coach sees them."""

    user_id: int
    name: str
    role: str
    private: bool
    dials_today: int
    dials_week: int
    funnel: tuple[FunnelStage, ...]
    streak: int
    last_call_at: datetime | None


def coach_rows(team: Team, now: datetime | None = None) -> list[CoachRow]:
    """Each member's dials today and this week, this week's funnel, streak and last call."""
    now = now or utcnow()
    today = ranking.team_today(now, team.timezone)
    week_start, week_end = ranking.period_bounds(Period.WEEK, today)
    day = DailyTotal.local_date
    last_call = (
        select(Call.occurred_at)
        .where(Call.user_id == TeamMember.user_id)
        .order_by(Call.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            TeamMember,
            User,
            _total(case((day == today, DailyTotal.dials), else_=0)).label("today"),
            *[_total(getattr(DailyTotal, code)).label(code) for code in OUTCOME_CODES],
            last_call.label("last"),
        )
        .join(User, User.id == TeamMember.user_id)
        .outerjoin(DailyTotal, and_(DailyTotal.user_id == TeamMember.user_id, day.between(week_start, week_end)))
        .where(TeamMember.team_id == team.id)
        .group_by(TeamMember.user_id, User.id)
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    result = []
    for row in rows:
        by_outcome = {code: getattr(row, code) for code in OUTCOME_CODES}
        streak = game.game_state(row.User, now).streak.current
        result.append(
            CoachRow(
                row.User.id,
                row.User.display_name,
                row.TeamMember.role,
                row.TeamMember.private_mode,
                row.today,
                sum(by_outcome.values()),
                funnel_from_outcomes(by_outcome),
                streak,
                row.last,
            )
        )
    return result


def parse_range(start: str, end: str) -> tuple[date, date]:
    """A CSV date range from the form, or ``TeamError`` with a clear message."""
    try:
        first, last = date.fromisoformat((start or "").strip()), date.fromisoformat((end or "").strip())
    except ValueError:
        raise TeamError("Enter both dates, like 2026-11-02.") from None
    if last < first:
        raise TeamError("The end date comes before the start date.")
    if (last - first).days >= CSV_MAX_DAYS:
        raise TeamError(f"Export at most {CSV_MAX_DAYS} days at a time.")
    return first, last


CSV_HEADER = ("date", "time_utc", "rep", "outcome", "points", "bounce_back")


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def calls_csv(team: Team, first: date, last: date) -> Iterator[str]:
    """The members' calls (undone ones left out) on local dates ``first`` to ``last``, as CSV lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_HEADER)
    query = (
        select(Call.local_date, Call.occurred_at, User.display_name, Call.outcome, Call.points, Call.bounce_back)
        .join(TeamMember, TeamMember.user_id == Call.user_id)
        .join(User, User.id == Call.user_id)
        .where(TeamMember.team_id == team.id, Call.undone_at.is_(None), Call.local_date.between(first, last))
        .order_by(Call.occurred_at, Call.id)
    )
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        yield line(
            (
                row.local_date.isoformat(),
                row.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                _cell(row.display_name),
                label_for(row.outcome),
                row.points,
                "yes" if row.bounce_back else "no",
            )
        )


# ---------------------------------------------------------------- TV links


def rotate_tv_link(seat: Seat) -> str:
    """A new TV link's token (the old link stops working); shown once, only its digest kept."""
    token = new_token()
    seat.team.tv_token_hash = token_digest(token)
    db.session.commit()
    return token


def revoke_tv_link(seat: Seat) -> None:
    """Turn the TV link off at once."""
    seat.team.tv_token_hash = None
    db.session.commit()


def team_for_tv(token: str) -> Team | None:
    """The team whose live TV link this is; ``None`` for an unknown or revoked token."""
    if not token:
        return None
    return db.session.scalar(select(Team).where(Team.tv_token_hash == token_digest(token)))


@dataclass
class TeamPage:
    """Everything the team's home page shows."""

    seat: Seat
    board: Board
    feed: FeedPage
    challenge: ChallengeView | None
    extra: dict = field(default_factory=dict)


def join_pending(user: User, token: str | None) -> Team | None:
    """Join the team of an invite kept from before registration; ``None`` when it no longer works."""
    if not token:
        return None
    try:
        return join_with_invite(user, token)
    except TeamError:
        db.session.rollback()
        return None


def home(seat: Seat, period: Period, metric: Metric, *, full: bool = False) -> TeamPage:
    """The team's home page: the board, the challenge bar and the newest feed items."""
    return TeamPage(
        seat,
        board(seat.team, period, metric, viewer=seat, full=full),
        feed_first_page(seat.team, seat.user_id),
        challenge_for(seat.team),
    )
