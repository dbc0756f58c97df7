"""Call buddies: pairing (one invites, the other accepts; either ends it), the buddy line, nudges.

A pair is live only while both buddies are still members of its team, so a
member who leaves (or is removed) ends their pairing without a write here.
At most one buddy at a time: an invite is refused while either has one,
accepting closes every other open invite of both, and each rep in an active
pair holds a ``BuddySeat`` (one a rep, by primary key), so two accepts racing
cannot pair anyone twice. The nudge limit (one an
hour per pair) is a single conditional UPDATE, so two racing nudges send one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain.buddies import (
    BIG_MOMENT_KINDS,
    NUDGE_EVERY,
    BuddyRefused,
    BuddyStreak,
    RepDays,
    buddy_streak,
    may_invite,
    nudge_text,
    pair_today,
    settle_buddy_streak,
)
from webapp.domain.goals import DEFAULT_TARGETS
from webapp.domain.streaks import StreakState, StreakView
from webapp.domain.time_off import days_off
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import BuddyPair, BuddySeat, DailyTotal, HighFive, TeamMember, TimeOff, User, Win, utcnow
from webapp.services.game.streak import day_record, live_streak, minimum_of
from webapp.services.notifications import inbox
from webapp.services.teams.feed_rows import burst_of
from webapp.services.teams.seats import Seat
from webapp.services.today import today_for
from webapp.services.transaction import writes

INVITED, ACTIVE, ENDED = "invited", "active", "ended"


@dataclass(frozen=True)
class BuddyLine:
    """The one compact line on Today about the rep's buddy."""

    pair_id: int
    buddy: User
    streak: StreakView  # the buddy's own streak (``hidden`` when they hide it)
    dials_today: int
    dial_goal: int
    last_call_at: datetime | None
    together: BuddyStreak
    moment: Win | None  # the buddy's big moment today, if any
    moment_given: bool
    next_nudge_at: datetime | None  # None: a nudge may go now


def _live(query, *pair_tables):
    """Only pairs whose both members are still in the pair's team."""
    for column in pair_tables:
        seat = aliased(TeamMember)
        query = query.join(seat, and_(seat.user_id == column, seat.team_id == BuddyPair.team_id))
    return query


def _open_pairs(user_id: int, statuses: tuple[str, ...]):
    query = select(BuddyPair).where(
        BuddyPair.status.in_(statuses), or_(BuddyPair.inviter_id == user_id, BuddyPair.invitee_id == user_id)
    )
    return _live(query, BuddyPair.inviter_id, BuddyPair.invitee_id)


def pair_of(user_id: int) -> BuddyPair | None:
    """The rep's live buddy pairing, if any."""
    return db.session.scalars(_open_pairs(user_id, (ACTIVE,)).order_by(BuddyPair.id.desc())).first()


def buddy_id(pair: BuddyPair, user_id: int) -> int:
    """The other one of the pair."""
    return pair.invitee_id if pair.inviter_id == user_id else pair.inviter_id


def invites_to(user_id: int) -> list[tuple[BuddyPair, User]]:
    """Open invites the rep received, with who sent them, oldest first."""
    query = _open_pairs(user_id, (INVITED,)).where(BuddyPair.invitee_id == user_id)
    query = query.add_columns(User).join(User, User.id == BuddyPair.inviter_id).order_by(BuddyPair.id)
    return list(db.session.execute(query).tuples())


def invites_from(user_id: int) -> list[BuddyPair]:
    """Open invites the rep sent."""
    return list(db.session.scalars(_open_pairs(user_id, (INVITED,)).where(BuddyPair.inviter_id == user_id)))


def _member(seat: Seat, user_id: int) -> User | None:
    row = db.session.get(TeamMember, user_id)
    return db.session.get(User, user_id) if row is not None and row.team_id == seat.team.id else None


@writes
def invite(seat: Seat, inviter: User, invitee_id: int, now: datetime | None = None) -> BuddyPair:
    """Ask a teammate to be buddies; ``BuddyRefused`` (with why) writes nothing."""
    invitee = _member(seat, invitee_id)
    paired = invitee is not None and pair_of(invitee_id) is not None
    may_invite(seat.user_id, invitee_id, invitee is not None, pair_of(seat.user_id) is not None, paired)
    for sent in invites_from(seat.user_id):
        if sent.invitee_id == invitee_id:
            return sent  # asked already: one invite is enough
    now = now or utcnow()
    pair = BuddyPair(team_id=seat.team.id, inviter_id=seat.user_id, invitee_id=invitee_id, status=INVITED)
    pair.created_at = now
    db.session.add(pair)
    db.session.flush()
    inbox.post(
        invitee_id,
        "buddy",
        f"{inviter.display_name} asks you to be call buddies",
        "Buddies see each other's effort on Today and can nudge each other.",
        url=f"/teams/{seat.team.id}/buddies",
        now=now,
    )
    return pair


def _open_invite(seat: Seat, user: User, inviter_id: int) -> tuple[BuddyPair, User]:
    """The invite ``seat``'s rep may accept from ``inviter_id``; ``BuddyRefused`` says why not."""
    invited = [pair for pair, _ in invites_to(seat.user_id) if pair.inviter_id == inviter_id]
    if not invited:
        raise BuddyRefused(N_("That invite is no longer open."))
    inviter = db.session.get(User, inviter_id)
    assert inviter is not None
    # Worded for the one accepting: "you" are them, "they" the one who asked.
    may_invite(seat.user_id, inviter_id, True, pair_of(seat.user_id) is not None, pair_of(inviter_id) is not None)
    return invited[0], inviter


def _take_seats(pair: BuddyPair, user_ids: tuple[int, int], now: datetime) -> bool:
    """Seat both reps in ``pair``; False when either holds a seat already (an accept that raced this one won).

    On False the caller refuses, which rolls back the seat that was taken.

    Seats left by pairs that are no longer live (one of them left the team)
    are given back first, and those pairs ended. A live pair's seat is never
    touched, so a racing accept's seat stands and this INSERT skips it.
    """
    held = set(db.session.scalars(select(BuddySeat.pair_id).where(BuddySeat.user_id.in_(user_ids))))
    if held:
        live = set(
            db.session.scalars(
                _live(
                    select(BuddyPair.id).where(BuddyPair.id.in_(held), BuddyPair.status == ACTIVE),
                    BuddyPair.inviter_id,
                    BuddyPair.invitee_id,
                )
            )
        )
        stale = held - live
        if stale:
            db.session.execute(delete(BuddySeat).where(BuddySeat.pair_id.in_(stale)))
            db.session.execute(
                update(BuddyPair)
                .where(BuddyPair.id.in_(stale), BuddyPair.status == ACTIVE)
                .values(status=ENDED, ended_at=now)
            )
    # The INSERT itself decides (no error to recover from, on either database): a seat held already is skipped.
    table = BuddySeat.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    taken = db.session.scalars(
        dialect.insert(table)
        .values([{"user_id": user_id, "pair_id": pair.id} for user_id in user_ids])
        .on_conflict_do_nothing(index_elements=[table.c.user_id])
        .returning(table.c.user_id)
    ).all()
    return len(taken) == len(user_ids)


@writes
def accept(seat: Seat, user: User, inviter_id: int, now: datetime | None = None) -> BuddyPair:
    """Accept a teammate's invite: the pair starts today, every other open invite of both closes.

    One buddy at a time is the database's rule too (``BuddySeat``): when two
    accepts race, the one that loses gives the answer it would have had a
    moment later, from the same checks.
    """
    now = now or utcnow()
    pair, inviter = _open_invite(seat, user, inviter_id)
    if not _take_seats(pair, (seat.user_id, inviter_id), now):
        db.session.expire_all()  # read what the accept that won committed
        _open_invite(seat, user, inviter_id)
        raise BuddyRefused(N_("They have a buddy already. Ask someone else, or cheer them on the team feed."))
    pair.status, pair.started_on = ACTIVE, pair_today(today_for(user, now), today_for(inviter, now))
    db.session.execute(
        update(BuddyPair)
        .where(
            BuddyPair.status == INVITED,
            BuddyPair.id != pair.id,
            or_(
                BuddyPair.inviter_id.in_([inviter_id, seat.user_id]),
                BuddyPair.invitee_id.in_([inviter_id, seat.user_id]),
            ),
        )
        .values(status=ENDED, ended_at=now)
    )
    inbox.post(inviter_id, "buddy", f"{user.display_name} is your call buddy now", "", url="/", now=now)
    return pair


@writes
def end(seat: Seat, other_id: int, now: datetime | None = None) -> bool:
    """End the pairing (or the open invite, either way) between the rep and ``other_id``; False if none."""
    mine = or_(
        and_(BuddyPair.inviter_id == seat.user_id, BuddyPair.invitee_id == other_id),
        and_(BuddyPair.inviter_id == other_id, BuddyPair.invitee_id == seat.user_id),
    )
    db.session.execute(delete(BuddySeat).where(BuddySeat.pair_id.in_(select(BuddyPair.id).where(mine))))
    return bool(
        db.session.execute(
            update(BuddyPair)
            .where(mine, BuddyPair.status.in_((INVITED, ACTIVE)))
            .values(status=ENDED, ended_at=now or utcnow())
        ).rowcount
    )


@writes
def nudge(seat: Seat, user: User, key: str, now: datetime | None = None) -> datetime:
    """Send the buddy a kind preset nudge (in-app, pushed when they have notifications on).

    At most one an hour per pair, whichever buddy sends it; returns when the
    next one may go. ``BuddyRefused`` says why nothing was sent.
    """
    text = nudge_text(key)
    pair = pair_of(seat.user_id)
    if pair is None:
        raise BuddyRefused(N_("Pick a buddy first: nudges go between buddies."))
    now = now or utcnow()
    claimed = db.session.execute(
        update(BuddyPair)
        .where(
            BuddyPair.id == pair.id,
            or_(BuddyPair.last_nudge_at.is_(None), BuddyPair.last_nudge_at <= now - NUDGE_EVERY),
        )
        .values(last_nudge_at=now)
    ).rowcount
    if not claimed:
        db.session.refresh(pair)
        raise BuddyRefused(worded(N_("One nudge an hour: the next one can go at %(time)s."), time=_clock(pair, user)))
    inbox.post(buddy_id(pair, seat.user_id), "buddy_nudge", f"{user.display_name} nudged you", text, url="/", now=now)
    return now + NUDGE_EVERY


def _clock(pair: BuddyPair, user: User) -> str:
    assert pair.last_nudge_at is not None
    return (pair.last_nudge_at + NUDGE_EVERY).astimezone(ZoneInfo(user.timezone)).strftime("%H:%M")


def _rep_days(user: User, first: date, last: date) -> RepDays:
    """A buddy's days since the pair began, as their own streak reads them (one query each)."""
    minimum = minimum_of(user)
    rows = db.session.scalars(
        select(DailyTotal).where(DailyTotal.user_id == user.id, DailyTotal.local_date >= first)
    ).all()
    spans = db.session.execute(
        select(TimeOff.first_day, TimeOff.last_day).where(TimeOff.user_id == user.id, TimeOff.last_day >= first)
    ).all()
    return RepDays(
        {row.local_date: day_record(row, minimum) for row in rows},
        user.working_day_set,
        days_off([tuple(span) for span in spans], first, last),
    )


def _checkpoint(pair: BuddyPair) -> StreakState | None:
    """The buddy streak as stored on the pair, settled through ``streak_as_of``; ``None`` before the first read."""
    if pair.streak_as_of is None:
        return None
    broken = pair.streak_broken if pair.streak_broken_on is not None else 0
    return StreakState(
        pair.streak_as_of,
        pair.streak_current,
        pair.streak_longest,
        pair.streak_freezes,
        pair.streak_toward_freeze,
        broken,
        pair.streak_broken_on if broken else None,
        pair.streak_repaired_on,
    )


@writes
def _store_checkpoint(pair: BuddyPair, before: date | None, state: StreakState) -> None:
    """Keep the moved checkpoint; a read that raced this one and stored it first wins (both stored the same)."""
    values = {
        "streak_as_of": state.as_of,
        "streak_current": state.current,
        "streak_longest": state.longest,
        "streak_freezes": state.freezes,
        "streak_toward_freeze": state.toward_freeze,
        "streak_broken": state.broken,
        "streak_broken_on": state.broken_on,
        "streak_repaired_on": state.repaired_on,
    }
    unchanged = BuddyPair.streak_as_of.is_(None) if before is None else BuddyPair.streak_as_of == before
    db.session.execute(update(BuddyPair).where(BuddyPair.id == pair.id, unchanged).values(**values))
    for name, value in values.items():
        set_committed_value(pair, name, value)


def together(pair: BuddyPair, a: User, b: User, now: datetime) -> BuddyStreak:
    """The pair's buddy streak now: the stored checkpoint, moved on when days became final, and the last days replayed.

    The days read are those after the checkpoint (about a week), however long
    the pair has lasted; the first read of a pair replays from its first day
    once. A late call, an undo or time off can only touch the last week, which
    is always replayed, so they show at once.
    """
    today = pair_today(today_for(a, now), today_for(b, now))
    first = pair.started_on or today
    stored = _checkpoint(pair)
    since = stored if stored is not None and first - timedelta(days=1) <= stored.as_of < today else None
    start = since.as_of + timedelta(days=1) if since else first
    days_a, days_b = _rep_days(a, start, today), _rep_days(b, start, today)
    settled = settle_buddy_streak(first, days_a, days_b, today, since)
    if settled != stored and (stored is None or settled.as_of > stored.as_of):
        _store_checkpoint(pair, stored.as_of if stored else None, settled)
    return buddy_streak(first, days_a, days_b, today, since=settled)


def big_moment(buddy: User, day: date) -> Win | None:
    """The buddy's big moment on their ``day``: their first meeting booked, else the first goal met."""
    return db.session.scalars(
        select(Win)
        .where(Win.user_id == buddy.id, Win.local_date == day, Win.kind.in_(BIG_MOMENT_KINDS))
        .order_by((Win.kind == "meeting").desc(), Win.occurred_at, Win.id)
    ).first()


def buddy_line(user: User, now: datetime | None = None) -> BuddyLine | None:
    """Today's line about the rep's buddy, or ``None`` without one."""
    pair = pair_of(user.id)
    if pair is None:
        return None
    now = now or utcnow()
    buddy = db.session.get(User, buddy_id(pair, user.id))
    assert buddy is not None
    buddy_today = today_for(buddy, now)
    _, streak = live_streak(buddy, buddy_today)
    row = db.session.get(DailyTotal, (buddy.id, buddy_today))
    moment = big_moment(buddy, buddy_today)
    # The feed keeps one high-five a burst, on the win that names it: the moment's burst is what was cheered.
    given = moment is not None and (
        db.session.scalar(
            select(HighFive.id)
            .where(HighFive.win_id.in_([row.id for row in burst_of(moment)]), HighFive.giver_id == user.id)
            .limit(1)
        )
        is not None
    )
    wait_until = pair.last_nudge_at + NUDGE_EVERY if pair.last_nudge_at else None
    return BuddyLine(
        pair_id=pair.id,
        buddy=buddy,
        streak=streak,
        dials_today=row.dials if row else 0,
        dial_goal=buddy.goal_dials or DEFAULT_TARGETS.dials,
        last_call_at=buddy.last_call_at,
        together=together(pair, user, buddy, now),
        moment=moment,
        moment_given=given,
        next_nudge_at=wait_until if wait_until and wait_until > now else None,
    )


def moment_key(user: User, key: str, now: datetime | None = None) -> str:
    """The key of the buddy's big moment when ``key`` names it; ``LookupError`` otherwise."""
    line = buddy_line(user, now)
    if line is None or line.moment is None or key != f"w{line.moment.id}":
        raise LookupError(key)
    return key
