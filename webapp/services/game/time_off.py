"""Time off the rep marks (holiday, sick, training): add, list, remove.

The days neither keep nor break the streak (the replay reads them with the
day rows) and are not owed on the team board's "% of own goal", so a change
moves the rep's team version and an open board refreshes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import delete, select

from webapp.domain.time_off import (
    MAX_DAYS_BACK,
    OVERLAPS,
    TOO_FAR_BACK,
    TOO_LONG,
    TimeOffRange,
    TimeOffRefused,
    parse_time_off,
)
from webapp.extensions import db
from webapp.formats import fmt_date
from webapp.models import TimeOff, User
from webapp.services.teams.version import bump_for_member
from webapp.services.today import today_for
from webapp.services.transaction import transaction

# Ranges that ended longer ago than this leave the list (they stay in the data).
LISTED_DAYS_BACK = 31
MAX_ID = 2**31 - 1


def add_time_off(user: User, first: str, last: str, kind: str, now: datetime | None = None) -> TimeOffRange:
    """Mark days as time off, or raise ``TimeOffRefused`` (field -> message) and change nothing."""
    today = today_for(user, now)
    with transaction():
        # Only ranges that can touch the new one matter for the overlap check.
        earliest = today - timedelta(days=MAX_DAYS_BACK)
        existing = [
            TimeOffRange(first_day, last_day)
            for first_day, last_day in db.session.execute(
                select(TimeOff.first_day, TimeOff.last_day).where(
                    TimeOff.user_id == user.id, TimeOff.last_day >= earliest
                )
            )
        ]
        chosen = parse_time_off(first, last, kind, today, existing)
        db.session.add(TimeOff(user_id=user.id, first_day=chosen.first, last_day=chosen.last, kind=chosen.kind.value))
        bump_for_member(user.id)
    return chosen


def refusal_words(refused: TimeOffRefused) -> dict[str, str]:
    """The refusal's messages in the request's language: counted ones with their plural, dates as the rep reads them."""
    words = {name: gettext(message) for name, message in refused.errors.items()}
    for name, (reason, values) in refused.reasons.items():
        if reason == TOO_LONG:
            words[name] = ngettext(
                "Time off is at most %(num)s day at a time.",
                "Time off is at most %(num)s days at a time.",
                values["days"],
            )
        elif reason == TOO_FAR_BACK:
            words[name] = ngettext(
                "Time off can start at most %(num)s day back, on %(date)s or later: older days are already counted.",
                "Time off can start at most %(num)s days back, on %(date)s or later: older days are already counted.",
                values["days"],
                date=fmt_date(values["earliest"]),
            )
        elif reason == OVERLAPS:
            words[name] = gettext(
                "This overlaps your time off from %(first)s to %(last)s.",
                first=fmt_date(values["first"]),
                last=fmt_date(values["last"]),
            )
    return words


def remove_time_off(user: User, time_off_id: int) -> bool:
    """Remove one of the rep's own ranges; False when there is no such range of theirs.

    Days already settled into the streak (more than a week back) stay as they were.
    """
    if not 0 < time_off_id <= MAX_ID:
        return False  # no such row, and a number the database's integer would refuse
    with transaction():
        result = db.session.execute(delete(TimeOff).where(TimeOff.id == time_off_id, TimeOff.user_id == user.id))
        if result.rowcount:
            bump_for_member(user.id)
    return result.rowcount > 0


def time_off_of(user: User, now: datetime | None = None) -> list[TimeOff]:
    """The rep's current, coming and recent time off, soonest first."""
    since: date = today_for(user, now) - timedelta(days=LISTED_DAYS_BACK)
    return list(
        db.session.scalars(
            select(TimeOff)
            .where(TimeOff.user_id == user.id, TimeOff.last_day >= since)
            .order_by(TimeOff.first_day, TimeOff.id)
        )
    )


def ranges_around(user_ids: Iterable[int] | None, now: datetime) -> dict[int, tuple[tuple[date, date], ...]]:
    """Each rep's time off touching the days around ``now`` (whatever their timezone), in one query.

    ``user_ids`` None means every rep: the reminders' minute asks for all of them at once.
    """
    near = now.date()
    query = select(TimeOff.user_id, TimeOff.first_day, TimeOff.last_day).where(
        TimeOff.last_day >= near - timedelta(days=2), TimeOff.first_day <= near + timedelta(days=2)
    )
    if user_ids is not None:
        query = query.where(TimeOff.user_id.in_(list(user_ids)))
    found: dict[int, list[tuple[date, date]]] = {}
    for user_id, first, last in db.session.execute(query):
        found.setdefault(user_id, []).append((first, last))
    return {user_id: tuple(spans) for user_id, spans in found.items()}
