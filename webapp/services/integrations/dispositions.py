"""Calls reported by a dialer's disposition URL, and the rep's mapping of its codes.

A code means what the rep mapped it to, else what their coach mapped it to
for the team, else the default. A mapped code is logged at once through the sync's write path (marked
``source="dialer"``). An unmapped one is kept as a pending call and its code
listed for mapping; saving a mapping logs the calls that waited for it. The
dialer's own call id becomes the call's client id, so a retried URL, or one
retried after its code was mapped, never counts twice.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.domain.dispositions import DEFAULT_MAPPING, normalise_code, outcome_for
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import (
    DispositionMapping,
    PendingDialerCall,
    TeamDispositionMapping,
    TeamMember,
    User,
    utcnow,
)
from webapp.services.calls import find_calls
from webapp.services.integrations.api_calls import ID_NAMESPACE
from webapp.services.sync import SyncItem, apply_batch
from webapp.services.teams import seats
from webapp.services.transaction import writes

SOURCE = "dialer"


class DispositionRefused(ValueError):
    """A disposition request or mapping that cannot be used; the message says why."""


@dataclass(frozen=True)
class DialerAnswer:
    """What a disposition request did: ``accepted``, ``duplicate``, ``pending`` or ``rejected``."""

    status: str
    code: str
    outcome: str | None = None
    reason: str | None = None

    def as_json(self) -> dict:
        """The answer the dialer gets (most ignore it; a person testing the URL reads it)."""
        body = {"status": self.status, "code": self.code, "outcome": self.outcome}
        if self.reason:
            body["reason"] = self.reason
        return body


@dataclass(frozen=True)
class CodeRow:
    """One line of the mapping page: a code, what it means now, and the calls waiting for it."""

    code: str
    outcome: str | None
    default: str | None
    waiting: int


def overrides_of(user: User) -> dict[str, str | None]:
    """The codes mapped away from the defaults for this rep: their own first, then their coach's for the team."""
    return {**team_overrides_of(_team_id(user)), **_own_overrides_of(user)}


def _own_overrides_of(user: User) -> dict[str, str | None]:
    rows = db.session.execute(
        select(DispositionMapping.code, DispositionMapping.outcome).where(DispositionMapping.user_id == user.id)
    )
    return {code: outcome for code, outcome in rows}


def team_overrides_of(team_id: int | None) -> dict[str, str | None]:
    """The coach's mapping for the team (None: none, or no team)."""
    if team_id is None:
        return {}
    rows = db.session.execute(
        select(TeamDispositionMapping.code, TeamDispositionMapping.outcome).where(
            TeamDispositionMapping.team_id == team_id
        )
    )
    return {code: outcome for code, outcome in rows}


def _team_id(user: User) -> int | None:
    seat = seats.seat_of(user)
    return seat.team.id if seat else None


def parse_when(raw: str | None) -> datetime | None:
    """A dialer's call time: Unix seconds, or ISO 8601 with an offset; None when absent."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), UTC)
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise DispositionRefused("occurred_at: Unix seconds, or a time like 2026-12-01T09:00:00+01:00.")


def client_id_for(call_id: str) -> uuid.UUID:
    """The client id of a dialer's call: the same derivation as ``POST /api/v1/calls``' client ids."""
    try:
        return uuid.UUID(call_id)
    except ValueError:
        return uuid.uuid5(ID_NAMESPACE, f"call:{call_id}")


@writes
def receive(
    user: User, raw_code: str | None, call_id: str | None, occurred_at: datetime | None, *, now: datetime | None = None
) -> DialerAnswer:
    """Log a dialer's call by its disposition code, or keep it pending while the code is unmapped."""
    try:
        code = normalise_code(raw_code)
    except ValueError as error:
        raise DispositionRefused(str(error)) from None
    call_id = (call_id or "").strip()
    if not 1 <= len(call_id) <= 100:
        raise DispositionRefused("Add the dialer's call id, like call_id=--A--uniqueid--B--, so a retry counts once.")
    now = now or utcnow()
    client_id = client_id_for(call_id)
    outcome = outcome_for(code, overrides_of(user))
    if outcome is None:
        return _keep_pending(user, code, client_id, occurred_at or now, now)
    item = SyncItem(client_id=client_id, kind="tap", outcome=outcome, occurred_at=occurred_at)
    result = apply_batch(user, [item], now=now, source=SOURCE)[0]
    return DialerAnswer(result.status, code, outcome, result.reason)


def _keep_pending(user: User, code: str, client_id: uuid.UUID, occurred_at: datetime, now: datetime) -> DialerAnswer:
    if find_calls(user, [client_id]):
        return DialerAnswer("duplicate", code)
    table = PendingDialerCall.__table__
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # The unique (rep, client id) decides in the insert: a retry racing this one is a duplicate.
    statement = (
        insert(table)
        .values(user_id=user.id, code=code, client_id=client_id, occurred_at=occurred_at, received_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.client_id])
        .returning(table.c.id)
    )
    new = db.session.execute(statement).scalar() is not None
    return DialerAnswer(
        "pending" if new else "duplicate",
        code,
        reason=f"{code} is not mapped to an outcome yet; the call waits in Settings until it is.",
    )


def code_rows(user: User) -> list[CodeRow]:
    """Every code the rep may map: the defaults, their own and their team's, and the ones calls wait for (first)."""
    team = team_overrides_of(_team_id(user))
    waiting = Counter(db.session.scalars(select(PendingDialerCall.code).where(PendingDialerCall.user_id == user.id)))
    return _rows({**team, **_own_overrides_of(user)}, team, waiting)


def team_code_rows(team_id: int) -> list[CodeRow]:
    """The coach's view: the team's mapping, and the codes the members' calls wait for."""
    team = team_overrides_of(team_id)
    waiting = Counter(
        db.session.scalars(
            select(PendingDialerCall.code)
            .join(TeamMember, TeamMember.user_id == PendingDialerCall.user_id)
            .where(TeamMember.team_id == team_id)
        )
    )
    return _rows(team, {}, waiting)


def _rows(overrides: dict[str, str | None], base: dict[str, str | None], waiting: Counter) -> list[CodeRow]:
    codes = set(DEFAULT_MAPPING) - {code.upper() for code in OUTCOME_CODES} | set(overrides) | set(waiting)
    rows = [CodeRow(code, outcome_for(code, overrides), outcome_for(code, base), waiting[code]) for code in codes]
    return sorted(rows, key=lambda row: (not row.waiting, row.code))


def waiting_calls(user: User) -> list[PendingDialerCall]:
    """The calls that wait for a mapping (or could not be logged once mapped), oldest first."""
    query = select(PendingDialerCall).where(PendingDialerCall.user_id == user.id)
    return list(db.session.scalars(query.order_by(PendingDialerCall.occurred_at)))


@writes
def save_mapping(user: User, wanted: dict[str, str | None], *, now: datetime | None = None) -> int:
    """Store the rep's mapping (code to outcome, or None) and log the calls that waited; how many were logged."""
    cleaned = _clean(wanted)
    team = team_overrides_of(_team_id(user))
    for code, outcome in cleaned.items():
        # The team's (or the default) meaning chosen again is no override; anything else is the rep's own.
        if outcome == outcome_for(code, team):
            db.session.execute(
                delete(DispositionMapping).where(DispositionMapping.user_id == user.id, DispositionMapping.code == code)
            )
        else:
            db.session.merge(DispositionMapping(user_id=user.id, code=code, outcome=outcome))
    db.session.flush()
    return release_waiting(user, now=now)


@writes
def save_team_mapping(team_id: int, wanted: dict[str, str | None], *, now: datetime | None = None) -> int:
    """The coach's mapping for every member without their own; logs the members' calls that waited for it."""
    for code, outcome in _clean(wanted).items():
        if outcome == DEFAULT_MAPPING.get(code):
            db.session.execute(
                delete(TeamDispositionMapping).where(
                    TeamDispositionMapping.team_id == team_id, TeamDispositionMapping.code == code
                )
            )
        else:
            db.session.merge(TeamDispositionMapping(team_id=team_id, code=code, outcome=outcome))
    db.session.flush()
    members = db.session.scalars(
        select(User).join(TeamMember, TeamMember.user_id == User.id).where(TeamMember.team_id == team_id)
    )
    return sum(release_waiting(member, now=now) for member in members)


def _clean(wanted: dict[str, str | None]) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    for raw, outcome in wanted.items():
        try:
            code = normalise_code(raw)
        except ValueError as error:
            raise DispositionRefused(str(error)) from None
        if outcome is not None and outcome not in OUTCOME_CODES:
            raise DispositionRefused(worded(N_("%(code)s: choose one of the eight outcomes."), code=code))
        cleaned[code] = outcome
    return cleaned


@writes
def release_waiting(user: User, *, now: datetime | None = None) -> int:
    """Log the pending calls whose code is mapped now; those refused (too old) stay, with the reason."""
    overrides = overrides_of(user)
    ready = [call for call in waiting_calls(user) if outcome_for(call.code, overrides)]
    if not ready:
        return 0
    items = [
        SyncItem(
            client_id=call.client_id,
            kind="tap",
            outcome=outcome_for(call.code, overrides),
            occurred_at=call.occurred_at,
        )
        for call in ready
    ]
    logged = 0
    for call, result in zip(ready, apply_batch(user, items, now=now, source=SOURCE), strict=True):
        if result.status == "rejected":
            call.problem = (result.reason or "refused")[:200]
            continue
        logged += result.status == "accepted"
        db.session.delete(call)
    return logged
