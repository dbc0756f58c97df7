"""The wins log: meetings, sales, badges, levels, goals, bests and streak milestones, written once each."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select

from webapp.domain import celebrations as cheer_rules
from webapp.domain.badges import PlayerStats
from webapp.domain.outcomes import Outcome
from webapp.extensions import db
from webapp.models import Call, User, Win
from webapp.services import hot_sql, prepared

# Streak lengths that go into the wins log (and the team feed): the ones celebrated in full.
STREAK_MILESTONES = cheer_rules.STREAK_MILESTONES
# Outcomes that go into the wins log on their own.
WIN_OUTCOMES = {Outcome.MEETING.value: "Meeting booked", Outcome.SALE.value: "Sale"}


def log_win(user: User, kind: str, ref: str, title: str, detail: str, now: datetime, day: date) -> None:
    """Add a wins-log entry unless one with the same ``ref`` exists (the unique key decides)."""
    prepared.run(
        hot_sql.INSERT_WIN,
        {
            "user_id": user.id,
            "kind": kind,
            "ref": ref,
            "title": title,
            "detail": detail,
            "occurred_at": now,
            "local_date": day,
        },
    )


def remove_win(user: User, ref: str) -> None:
    """Take an entry out of the wins log (and so out of the team feed, with its high-fives)."""
    db.session.execute(delete(Win).where(Win.user_id == user.id, Win.ref == ref))


def log_call_wins(user: User, call: Call, sign: int) -> None:
    """Meetings and sales go into the wins log; their undo takes them out."""
    if call.outcome not in WIN_OUTCOMES:
        return
    ref = f"call:{call.client_id}"
    if sign > 0:
        log_win(user, call.outcome, ref, WIN_OUTCOMES[call.outcome], "", call.occurred_at, call.local_date)
    else:
        remove_win(user, ref)


def log_personal_best(user: User, stats: PlayerStats, sign: int, now: datetime, today: date) -> None:
    """A new best day goes into the wins log once; undoing below it takes it out."""
    ref = f"best:{today}"
    if stats.today_dials > stats.best_previous_day_dials:
        log_win(
            user,
            "best",
            ref,
            "New personal best day",
            f"{stats.today_dials} dials (was {stats.best_previous_day_dials})",
            now,
            today,
        )
    elif sign < 0:
        remove_win(user, ref)


def wins_log(user: User, limit: int = 100) -> list[Win]:
    """The rep's wins, newest first."""
    return list(
        db.session.scalars(
            select(Win).where(Win.user_id == user.id).order_by(Win.occurred_at.desc(), Win.id.desc()).limit(limit)
        )
    )
