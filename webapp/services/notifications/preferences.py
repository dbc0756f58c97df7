"""What a rep wants to hear about, and when; and the reminder kinds that paused themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from webapp.domain.inputs import InputError, whole_number
from webapp.domain.reminders import (
    REMINDER_KINDS,
    ReminderSettings,
    ignored_in_a_row,
    is_paused,
)
from webapp.domain.streaks import local_day
from webapp.extensions import db
from webapp.models import NotificationSettings, User, utcnow
from webapp.services.game.time_off import ranges_around
from webapp.services.notifications.sent import reminder_history
from webapp.services.transaction import writes

# The kinds a rep can switch, in the order Settings lists them.
KINDS: dict[str, LazyString] = {
    "start_nudge": lazy_gettext("Start-of-day nudge"),
    "streak_risk": lazy_gettext("Streak at risk"),
    "high_fives": lazy_gettext("High-fives received"),
    "team_wins": lazy_gettext("Team wins (a teammate's meeting or sale, a challenge reached)"),
}
AT_RISK_LEAD_HOURS = tuple(range(1, 9))
HISTORY_DAYS = 14


class PreferencesError(ValueError):
    """Field-by-field messages for notification settings that were not accepted."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def settings_of(user_id: int) -> NotificationSettings:
    """The rep's notification settings; a new, unsaved row with the defaults when there is none."""
    row = db.session.get(NotificationSettings, user_id)
    return row if row is not None else defaults_for(user_id)


def defaults_for(user_id: int) -> NotificationSettings:
    defaults = {
        column.key: column.default.arg
        for column in NotificationSettings.__table__.columns
        if column.default is not None and not callable(column.default.arg)
    }
    return NotificationSettings(user_id=user_id, **defaults)


def push_wanted(user_id: int, kind: str) -> bool:
    """Whether the rep wants ``kind`` pushed. Kinds without a switch (a coach's word) are always on."""
    if kind not in KINDS:
        return True
    return bool(getattr(settings_of(user_id), kind))


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def reminder_settings(
    user: User, prefs: NotificationSettings, time_off: tuple[tuple[date, date], ...] = ()
) -> ReminderSettings:
    """The rules' view of the rep: their day, time off, quiet hours and reminder choices.

    ``time_off`` is the rep's ranges around now (``services.game.time_off.ranges_around``,
    one query for many reps).
    """
    resumed = {kind: at for kind in REMINDER_KINDS if (at := getattr(prefs, f"{kind}_resumed_at", None)) is not None}
    return ReminderSettings(
        timezone=user.timezone or "UTC",
        day_start_hour=user.day_start_hour or 0,
        working_days=user.working_day_set,
        time_off=time_off,
        nudge_at=_clock(prefs.nudge_minute),
        at_risk_lead=timedelta(minutes=prefs.at_risk_lead_minutes),
        quiet_start=_clock(prefs.quiet_start_minute),
        quiet_end=_clock(prefs.quiet_end_minute),
        kinds_on=frozenset(kind for kind in REMINDER_KINDS if getattr(prefs, kind)),
        resumed_at=resumed,
    )


def _parse_clock(raw: str | None) -> int:
    """Minutes after midnight from "HH:MM" (what ``<input type=time>`` sends), or ValueError."""
    hours, _, minutes = (raw if isinstance(raw, str) else "").strip().partition(":")
    # "HH:MM", or "HH:MM:SS" as some browsers send: the seconds are dropped.
    return whole_number(hours, 0, 23) * 60 + whole_number(minutes[:2], 0, 59)


@writes
def update_preferences(user: User, form) -> NotificationSettings:
    """Save the kinds and times from the settings form, or raise ``PreferencesError`` and change nothing."""
    errors: dict[str, str] = {}
    minutes: dict[str, int] = {}
    refusals = {
        "nudge_at": lazy_gettext("Enter the nudge time as a time, like 09:15."),
        "quiet_start": lazy_gettext("Enter the start as a time, like 09:15."),
        "quiet_end": lazy_gettext("Enter the end as a time, like 09:15."),
    }
    for field, refusal in refusals.items():
        try:
            minutes[field] = _parse_clock(form.get(field))
        except ValueError:
            errors[field] = str(refusal)
    try:
        lead = whole_number(form.get("at_risk_lead_hours"), AT_RISK_LEAD_HOURS[0], AT_RISK_LEAD_HOURS[-1])
    except InputError:
        errors["at_risk_lead_hours"] = gettext(
            "Choose from %(low)s to %(high)s hours before your day ends.",
            low=AT_RISK_LEAD_HOURS[0],
            high=AT_RISK_LEAD_HOURS[-1],
        )
    if errors:
        raise PreferencesError(errors)
    prefs = settings_of(user.id)
    for kind in KINDS:
        setattr(prefs, kind, form.get(kind) == "on")
    prefs.nudge_minute = minutes["nudge_at"]
    prefs.quiet_start_minute = minutes["quiet_start"]
    prefs.quiet_end_minute = minutes["quiet_end"]
    prefs.at_risk_lead_minutes = lead * 60
    db.session.add(prefs)
    return prefs


@writes
def resume(user: User, kind: str, now: datetime | None = None) -> None:
    """Resume a reminder kind that paused itself: the ignored ones before now stop counting."""
    if kind not in REMINDER_KINDS:
        raise PreferencesError({"kind": "There is no such reminder."})
    prefs = settings_of(user.id)
    setattr(prefs, kind, True)
    setattr(prefs, f"{kind}_resumed_at", now or utcnow())
    db.session.add(prefs)


@dataclass(frozen=True)
class Panel:
    """What Settings shows: the choices, which reminders paused themselves, the rep's devices."""

    prefs: NotificationSettings
    paused: dict[str, int]
    at_risk_lead_hours: int

    def clock(self, minutes: int) -> str:
        """Minutes after midnight as "HH:MM"."""
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


def panel(user: User, now: datetime | None = None) -> Panel:
    """The rep's notification settings as Settings shows them."""
    now = now or utcnow()
    prefs = settings_of(user.id)
    settings = reminder_settings(user, prefs, ranges_around([user.id], now).get(user.id, ()))
    today = local_day(now, settings.timezone, settings.day_start_hour)
    history = reminder_history([user.id], now - timedelta(days=HISTORY_DAYS))[user.id]
    paused = {
        kind: ignored_in_a_row(kind, history, today, settings.resumed_at.get(kind))
        for kind in REMINDER_KINDS
        if getattr(prefs, kind) and is_paused(kind, history, today, settings)
    }
    return Panel(prefs, paused, prefs.at_risk_lead_minutes // 60)


def users_with_settings(user_ids: list[int]) -> dict[int, NotificationSettings]:
    """Settings rows of many reps at once (defaults for those without one)."""
    rows = {
        row.user_id: row
        for row in db.session.scalars(select(NotificationSettings).where(NotificationSettings.user_id.in_(user_ids)))
    }
    return {user_id: rows.get(user_id) or defaults_for(user_id) for user_id in user_ids}
