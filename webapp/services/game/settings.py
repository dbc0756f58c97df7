"""The rep's game settings: working days, the hour a day starts, goal targets."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from webapp.domain.streaks import checkpoint_day
from webapp.extensions import db
from webapp.models import DailyTotal, User
from webapp.services.today import today_for
from webapp.services.transaction import transaction


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
        days = sorted({int(d) for d in working_days})
        if not days or any(d < 0 or d > 6 for d in days):
            raise ValueError
    except ValueError:
        errors["working_days"] = "Choose at least one working day."
        days = []
    try:
        hour = int(day_start_hour)
        if not 0 <= hour <= 12:
            raise ValueError
    except ValueError:
        errors["day_start_hour"] = "The day starts at an hour from 0 to 12."
        hour = 0
    targets = {}
    for kind in ("dials", "conversations", "follow_ups"):
        raw = (goals.get(kind) or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            errors[f"goal_{kind}"] = "Enter a whole number from 1 to 1000."
        else:
            targets[kind] = int(raw)
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
