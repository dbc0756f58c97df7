"""The one write path for calls: logging, syncing, undoing and backfilling all come here.

A call and the per-day aggregate it changes are written in one transaction,
so every page can read sums and they can never drift from the calls.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain import fair_play
from webapp.domain.celebrations import Celebration, challenge_reached
from webapp.domain.outcomes import parse_outcome, points_for
from webapp.domain.resilience import BOUNCE_BACK_POINTS, is_bounce_back
from webapp.domain.streaks import local_day
from webapp.domain.timing import check_occurred_at
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.models import Call, User, utcnow
from webapp.services import hot_sql, prepared
from webapp.services.coaching import aggregates as coaching
from webapp.services.game.progress import apply_calls
from webapp.services.game.state import GameState
from webapp.services.integrations import events as webhook_events
from webapp.services.notifications import news
from webapp.services.teams.challenges import ChallengeView, calls_changed
from webapp.services.transaction import writes

# How far back an imported export may reach.
IMPORT_WINDOW_DAYS = 366 * 30


class CallRejected(ValueError):
    """A tap the server will not record; the message is meant for the rep."""


@dataclass(frozen=True)
class TapResult:
    """What a tap did: the call, whether it is new, and what the game and the team made of it."""

    call: Call
    created: bool
    game: GameState | None = None
    celebrations: tuple[Celebration, ...] = ()
    in_team: bool | None = None  # None: not known (a replay changed nothing and read nothing)
    challenge: ChallengeView | None = None


@dataclass(frozen=True)
class Tap:
    """One tap as the device sent it: what happened, its client id, and when (device clock)."""

    outcome: str
    client_id: str | uuid.UUID
    occurred_at: datetime | None = None
    source: str = "app"  # "api" from a token, "dialer" from a disposition URL, "import" from a rep's export


@dataclass(frozen=True)
class CallsChanged:
    """What a change of calls did, for the screen that answers it."""

    game: GameState
    celebrations: tuple[Celebration, ...]
    in_team: bool
    challenge: ChallengeView | None


def parse_client_id(raw: str | uuid.UUID | None) -> uuid.UUID:
    """The client UUID of a tap, or ``CallRejected`` with a clear message."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        raise CallRejected("The call id must be a UUID, like 1b4e28ba-2fa1-11d2-883f-0016d3cca427.") from None


def record_call(
    user: User, outcome: str, client_id: str | uuid.UUID, occurred_at: datetime | None = None, *, now=None
) -> TapResult:
    """Log one call for ``user``; a client id seen before records nothing and is a success.

    Raises ``CallRejected`` for an unknown outcome, a malformed id, or a time
    outside the sync window, and writes nothing then.
    """
    result = record_calls(user, [Tap(outcome, client_id, occurred_at)], now=now)[0]
    if isinstance(result, CallRejected):
        raise result
    return result


@writes
def record_calls(user: User, taps: Sequence[Tap], *, now: datetime | None = None) -> list[TapResult | CallRejected]:
    """Log taps in order; each answers a ``TapResult`` or the ``CallRejected`` that refused it.

    The one write path for calls: a live tap is a batch of one, an offline
    sync a batch of many. Each call is inserted on its own (a known client id
    is a duplicate, recorded once); then the game, the team and coaching's
    aggregates move once for all the new calls, in that order, in one
    transaction (the caller's, when it has one open).
    """
    now = now or utcnow()
    answers: list[Call | CallRejected] = []
    last_outcome, last_at = user.last_call_outcome, user.last_call_at
    run: int | None = None  # fast "No answer" taps in the current run; read from the calls only when needed
    for tap in taps:
        try:
            call = _new_call(user, tap, now, last_outcome, last_at)
        except CallRejected as rejected:
            answers.append(rejected)
            continue
        if fair_play.is_fast(last_outcome, last_at, call.outcome, call.occurred_at):
            run = (_stored_run(user) if run is None else run) + 1
            call.points = fair_play.points_with_fair_play(call.points, run)
        else:
            run = 0
        answers.append(call)
        if last_at is None or call.occurred_at >= last_at:
            last_outcome, last_at = call.outcome, call.occurred_at
    new_ids = _insert_new([a for a in answers if isinstance(a, Call)])
    created = []
    for answer in answers:
        # pop: only the first of two calls with one client id is new.
        if isinstance(answer, Call) and (row_id := new_ids.pop(answer.client_id, None)) is not None:
            answer.id = row_id
            created.append(answer)
    change = calls_changed_by(user, created, +1, now) if created else None
    new = {id(call) for call in created}
    # Replays answer with the call already stored, all read with one query.
    stored = {
        call.client_id: call
        for call in find_calls(user, [a.client_id for a in answers if isinstance(a, Call) and id(a) not in new])
    }
    results: list[TapResult | CallRejected] = []
    for answer in answers:
        if isinstance(answer, CallRejected):
            results.append(answer)
        elif id(answer) in new:
            results.append(TapResult(answer, True, change.game, change.celebrations, change.in_team, change.challenge))
        else:
            results.append(TapResult(stored[answer.client_id], created=False))
    return results


def calls_changed_by(user: User, calls: list[Call], sign: int, now: datetime) -> CallsChanged:
    """The conductor: new (``sign`` +1) or undone (-1) calls move the game, then the team, then coaching,
    and a teammate's news (a meeting or sale) and the team's webhook events wait for the worker."""
    reviews = coaching.reviews_of(calls) if sign < 0 else []
    game = apply_calls(user, calls, sign, now, review_points=coaching.review_points_by_day(reviews, calls))
    team = calls_changed(user, calls, sign, game.team_id)
    coaching.calls_changed(user, calls, sign, reviews)
    # History brought in from an export is no news: teammates and webhooks hear of today's calls only.
    fresh = [call for call in calls if call.source != "import"]
    if fresh:
        news.calls_logged(user.id, game.team_id, fresh, sign, now)
        webhook_events.calls_changed(user, game.team_id, fresh, sign, game.celebrations, team.challenge, now)
    cheers = game.celebrations
    if team.challenge is not None and team.challenge.reached_now:
        cheers += (challenge_reached(team.challenge.label, team.challenge.team_name),)
    return CallsChanged(game.state, cheers, team.in_team, team.challenge)


def _insert_new(calls: list[Call]) -> dict[uuid.UUID, int]:
    """Insert the calls whose client id is new; return their row ids by client id.

    The unique (user, client id) constraint decides, in the insert itself,
    whether a call is new or a replay: no lookup first, and no race between
    two deliveries of the same tap. A live tap takes a statement compiled
    once; a batch goes in as one multi-row insert.
    """
    if len(calls) == 1:
        new_id = prepared.run(hot_sql.INSERT_CALL, _call_row(calls[0])).scalar()
        return {calls[0].client_id: new_id} if new_id is not None else {}
    rows, seen = [], set()
    for call in calls:
        if call.client_id not in seen:  # a repeated id inside one batch is a duplicate too
            seen.add(call.client_id)
            rows.append(_call_row(call))
    if not rows:
        return {}
    rows.sort(key=lambda row: row["client_id"])  # keys locked in one order: two batches never deadlock
    table = Call.__table__
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.client_id])
        .returning(table.c.client_id, table.c.id)
    )
    return {row.client_id: row.id for row in db.session.connection().execute(statement, rows)}


def _new_call(user: User, tap: Tap, now: datetime, last_outcome: str | None, last_at: datetime | None) -> Call:
    """Validate a tap and build its call, or raise ``CallRejected`` with a clear message."""
    try:
        code = parse_outcome(tap.outcome or "")
        when = check_occurred_at(
            tap.occurred_at or now,
            now,
            # A rep's own export brings their history: any age, never the future.
            window_days=IMPORT_WINDOW_DAYS if tap.source == "import" else current_app.config["SYNC_WINDOW_DAYS"],
            skew_seconds=current_app.config["CLOCK_SKEW_SECONDS"],
        )
    except ValueError as error:
        raise CallRejected(str(error)) from None
    bounce = is_bounce_back(last_outcome, last_at, when)
    return Call(
        user_id=user.id,
        client_id=parse_client_id(tap.client_id),
        outcome=code.value,
        occurred_at=when,
        local_date=local_day(when, user.timezone, user.day_start_hour or 0),
        points=points_for(code) + (BOUNCE_BACK_POINTS if bounce else 0),
        bounce_back=bounce,
        created_at=now,
        undone_at=None,
        source=tap.source,
    )


def undo_call(user: User, client_id: str | uuid.UUID, *, now: datetime | None = None) -> UndoResult:
    """Take a call back out of every count. Undoing twice changes nothing the second time.

    Raises ``CallRejected`` when the rep has no call with that id.
    """
    answer = undo_calls(user, [client_id], now=now)[0]
    if isinstance(answer, CallRejected):
        raise answer
    return answer


@dataclass(frozen=True)
class UndoResult:
    """An undo that found its call: ``undone`` is True when this undo took it back (not an earlier one)."""

    call: Call
    undone: bool
    change: CallsChanged | None = None


@writes
def undo_calls(
    user: User, client_ids: Sequence[str | uuid.UUID], *, now: datetime | None = None
) -> list[UndoResult | CallRejected]:
    """Take calls back, in order; each answers an ``UndoResult`` or the ``CallRejected`` that refused it.

    Each call is claimed in the database itself: ``UPDATE ... WHERE undone_at
    IS NULL`` flips it once, and only the undo whose update flipped it takes
    it out of the counts, however many undos of it arrive at once (a double
    tap, two devices, a live undo racing an outbox replay). The calls leave
    every count together, so a synced batch of a thousand undos costs a few
    statements more than one.
    """
    now = now or utcnow()
    wanted: list[uuid.UUID | CallRejected] = []
    for raw in client_ids:
        try:
            wanted.append(parse_client_id(raw))
        except CallRejected as rejected:
            wanted.append(rejected)
    found = {call.client_id: call for call in find_calls(user, [w for w in wanted if isinstance(w, uuid.UUID)])}
    claimed = _claim([call for call in found.values() if call.undone_at is None], now)
    taken_back = [call for call in found.values() if call.id in claimed]
    change = calls_changed_by(user, taken_back, -1, now) if taken_back else None
    answers: list[UndoResult | CallRejected] = []
    for want in wanted:
        call = found.get(want) if isinstance(want, uuid.UUID) else None
        if call is None:
            answers.append(
                want if isinstance(want, CallRejected) else CallRejected(N_("There is no such call to undo."))
            )
        elif call.id in claimed:
            claimed.discard(call.id)  # the first undo of it in this batch took it back; a repeat is a duplicate
            answers.append(UndoResult(call, True, change))
        else:
            answers.append(UndoResult(call, False))  # undone before, or by a concurrent undo
    return answers


def _claim(calls: list[Call], now: datetime) -> set[int]:
    """Mark the calls undone where nobody did yet; the ids this transaction flipped."""
    if not calls:
        return set()
    flipped = set(
        db.session.scalars(
            update(Call)
            .where(Call.id.in_([call.id for call in calls]), Call.undone_at.is_(None))
            .values(undone_at=now)
            .returning(Call.id)
            .execution_options(synchronize_session=False)
        )
    )
    for call in calls:
        if call.id in flipped:
            set_committed_value(call, "undone_at", now)
    return flipped


def find_calls(user: User, client_ids: Sequence[uuid.UUID]) -> list[Call]:
    """The rep's calls with these client ids (one query), undone or not."""
    ids = set(client_ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Call).where(Call.user_id == user.id, Call.client_id.in_(ids))))


def _stored_run(user: User) -> int:
    """The fast run ending at the rep's latest call, rebuilt from their last few calls.

    Read only when a tap is a fast "No answer" (a handful of rows off the
    (user, occurred_at) index), so a tap at a calling pace reads nothing more.
    """
    latest = db.session.execute(
        select(Call.outcome, Call.occurred_at)
        .where(Call.user_id == user.id, Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc())
        .limit(fair_play.ALLOWANCE + 2)
    ).all()
    return fair_play.run_of([(row.outcome, row.occurred_at) for row in reversed(latest)])


def _call_row(call: Call) -> dict:
    return {name: getattr(call, name) for name in hot_sql.CALL_COLUMNS}
