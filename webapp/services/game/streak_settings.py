"""The streak's own settings: the daily minimum that keeps it, and the switch that hides it."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import update

from webapp.domain import inputs
from webapp.extensions import db
from webapp.models import DailyTotal, User
from webapp.services.game.settings import SettingsError
from webapp.services.game.streak import minimum_of
from webapp.services.teams.version import bump_for_member
from webapp.services.today import today_for
from webapp.services.transaction import transaction

MAX_MINIMUM = 1000
MINIMUM_CHOICES = (5, 10, 15, 20, 30)  # one tap each on the settings page


def parse_minimum(raw: str | None) -> int:
    """A daily minimum from the form, or ``SettingsError`` with a clear message."""
    try:
        message = gettext("Enter a whole number of dials from 1 to %(most)s.", most=MAX_MINIMUM)
        return inputs.whole_number(raw, 1, MAX_MINIMUM, message)
    except inputs.InputError as refused:
        raise SettingsError({"min_dials": str(refused)}) from None


def set_minimum(user: User, raw: str | None, now: datetime | None = None) -> int:
    """Save the daily minimum, or raise ``SettingsError`` and change nothing.

    It applies from today on: today's row takes it unless today already
    counts (a change never takes back a day already earned); earlier days
    keep the minimum they were recorded with.
    """
    setting = parse_minimum(raw)
    table = DailyTotal.__table__
    with transaction():
        user.min_dials = setting
        minimum = minimum_of(user)
        db.session.execute(
            update(table)
            .where(
                table.c.user_id == user.id,
                table.c.local_date == today_for(user, now),
                table.c.showed_up.is_(False),
            )
            .values(min_dials=minimum, showed_up=table.c.dials >= minimum)
        )
    return setting


def set_streak_hidden(user: User, hidden: bool) -> None:
    """Hide (or show) the streak counter and the rep's own rank on boards; the rest of the game stays."""
    with transaction():
        user.hide_streak = hidden
        bump_for_member(user.id)  # an open board re-renders the rep's own row
