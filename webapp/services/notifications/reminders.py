"""The reminders' minute: which reps are due a start nudge or a streak warning, sent once each.

The worker calls ``send_due_reminders`` every minute. A cheap look at each
rep's settings (``domain.reminders.may_open_now``) picks the few whose
window is open; only for them is the day read (dials, streak, freezes) and
the pure rules asked what is due. Each reminder is claimed by inserting its
inbox item with a ref unique per rep, kind, day and round: a second worker
running the same minute inserts nothing and sends nothing.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from sqlalchemy import select

from webapp.domain.notification_copy import RECENT_DAYS, choose_wording
from webapp.domain.reminders import REMINDER_KINDS, DayActivity, DueReminder, due_reminders, may_open_now
from webapp.domain.streaks import local_day
from webapp.extensions import db
from webapp.i18n import speaking
from webapp.models import DailyTotal, InboxItem, NotificationSettings, User, utcnow
from webapp.services.game.streak import live_streak
from webapp.services.game.time_off import ranges_around
from webapp.services.notifications import inbox
from webapp.services.notifications.preferences import HISTORY_DAYS, defaults_for, reminder_settings
from webapp.services.notifications.sent import recent_wordings, reminder_history
from webapp.services.transaction import writes


def _candidates(now: datetime) -> list[tuple[User, NotificationSettings]]:
    """Reps whose reminder window may be open now, or whose snooze ends about now."""
    snoozed = set(
        db.session.scalars(
            select(InboxItem.user_id).where(
                InboxItem.kind.in_(REMINDER_KINDS),
                InboxItem.snoozed_until <= now,
                InboxItem.snoozed_until > now - timedelta(days=1),
            )
        )
    )
    away = ranges_around(None, now)
    found = []
    for user, prefs in db.session.execute(
        select(User, NotificationSettings)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(User.deactivated_at.is_(None))  # a switched-off account is left alone
    ):
        prefs = prefs or defaults_for(user.id)
        kinds = [kind for kind in REMINDER_KINDS if getattr(prefs, kind)]
        if not kinds:
            continue
        if user.id in snoozed or may_open_now(kinds, reminder_settings(user, prefs, away.get(user.id, ())), now):
            found.append((user, prefs))
    return found


def activity_of(user: User, now: datetime) -> DayActivity:
    """The rep's day so far, as the reminder rules read it."""
    today = local_day(now, user.timezone or "UTC", user.day_start_hour or 0)
    dials = db.session.scalar(
        select(DailyTotal.dials).where(DailyTotal.user_id == user.id, DailyTotal.local_date == today)
    )
    _, view = live_streak(user, today)
    # The streak to lose is the one settled through yesterday (today adds to it only once won); the
    # day's minimum is the streak's own. A rep who hides their streak is never warned about it.
    return DayActivity(
        dials=dials or 0,
        streak_minimum=view.minimum,
        streak_current=0 if view.hidden else view.current,
        freezes=view.freezes,
    )


def _send(user: User, due: DueReminder, now: datetime) -> bool:
    recent = recent_wordings(user.id, due.kind, now - timedelta(days=RECENT_DAYS))
    wording = choose_wording(due.kind, recent, seed=zlib.crc32(f"{user.id}:{due.ref}".encode()))
    with speaking(user.locale) as say:
        title, body = wording.render(due.dials_left, say)
    item = inbox.post(
        user.id, due.kind, title, body, "/", ref=due.ref, wording=wording.key, local_date=due.day, now=now
    )
    return item is not None


@writes
def remind(user: User, prefs: NotificationSettings, now: datetime) -> int:
    """Send the rep whatever reminders are due at ``now``; returns how many this call claimed."""
    settings = reminder_settings(user, prefs, ranges_around([user.id], now).get(user.id, ()))
    history = reminder_history([user.id], now - timedelta(days=HISTORY_DAYS))[user.id]
    due = due_reminders(settings, activity_of(user, now), history, now)
    return sum(_send(user, reminder, now) for reminder in due)


def send_due_reminders(now: datetime | None = None) -> int:
    """Every rep's due reminders at ``now``, each rep in a unit of work of its own; returns how many were sent."""
    now = now or utcnow()
    return sum(remind(user, prefs, now) for user, prefs in _candidates(now))
