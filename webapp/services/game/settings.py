"""The rep's game settings: working days, the hour a day starts, goal targets."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select

from webapp.domain import inputs
from webapp.domain.streaks import checkpoint_day
from webapp.extensions import db
from webapp.models import DailyTotal, User, utcnow
from webapp.services.today import today_for
from webapp.services.transaction import transaction, writes


class SettingsError(ValueError):
    """Field-by-field messages for game settings that were not accepted."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def update_game_settings(
    user: User, working_days: list[str], day_start_hour: str, goals: dict[str, str], now: datetime | None = None
) -> None:
    """Save working days, day start and goal targets, or raise ``SettingsError`` and change nothing.

    The days in the replay window are stamped with the *old* working days
    first, so a new setting applies from today on and never takes back a
    streak day already earned.
    """
    errors: dict[str, str] = {}
    try:
        days = sorted({inputs.whole_number(d, 0, 6) for d in working_days})
        if not days:
            raise inputs.InputError
    except inputs.InputError:
        errors["working_days"] = gettext("Choose at least one working day.")
        days = []
    try:
        hour = inputs.whole_number(day_start_hour, 0, 12, gettext("The day starts at an hour from 0 to 12."))
    except inputs.InputError as refused:
        errors["day_start_hour"] = str(refused)
        hour = 0
    targets = {}
    for kind in ("dials", "conversations", "follow_ups"):
        try:
            targets[kind] = inputs.whole_number(
                goals.get(kind), 1, 1000, gettext("Enter a whole number from %(low)s to %(high)s.", low=1, high=1000)
            )
        except inputs.InputError as refused:
            errors[f"goal_{kind}"] = str(refused)
    if errors:
        raise SettingsError(errors)
    today = today_for(user, now)
    first = checkpoint_day(today) + timedelta(days=1)
    old_working = user.working_day_set
    with transaction():
        for row in db.session.scalars(
            select(DailyTotal).where(DailyTotal.user_id == user.id, DailyTotal.local_date >= first)
        ):
            if row.counted is None:
                row.counted = row.local_date.weekday() in old_working
        user.working_days = ",".join(str(d) for d in days)
        user.day_start_hour = hour
        user.goal_dials, user.goal_conversations, user.goal_follow_ups = (
            targets["dials"],
            targets["conversations"],
            targets["follow_ups"],
        )


@writes
def answer_welcome(user: User, working_days: list[str], goals: dict[str, str], now: datetime | None = None) -> None:
    """Save the first-run answers (working days, goal targets) and mark the welcome seen, in one unit of work.

    Raises ``SettingsError`` and changes nothing, the welcome included, when an answer is not accepted.
    """
    update_game_settings(user, working_days, str(user.day_start_hour or 0), goals, now)
    mark_welcomed(user, now)


@writes
def mark_welcomed(user: User, now: datetime | None = None) -> None:
    """The rep answered or skipped the welcome: it never shows again, on this device or another."""
    if user.welcomed_at is None:
        user.welcomed_at = now or utcnow()
