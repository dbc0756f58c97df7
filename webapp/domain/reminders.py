"""Reminders: which ones are due for a rep right now, and which stay quiet.

Two reminders exist, each at most once a day (plus a snoozed repeat):

- the **start nudge**, at the rep's chosen wall-clock time on a working day,
  only while no call is logged that day;
- **streak at risk**, a set time before the rep's day ends (the day ends at
  ``day_start_hour`` the next morning), on a working day, while the day's
  streak minimum is not reached, there is a streak to lose and no banked
  freeze would cover the miss. It says how many dials are left.

Restraint, in the rep's words:

- Nothing in quiet hours, and nothing on a day off or a time-off day.
- A reminder goes out only while it is still needed; the tick re-reads the
  rep's day every minute, so a rep already dialling never gets a nudge.
- A reminder that could not go out on time (quiet hours, a worker restart)
  may still go out inside its window, never after it.
- "Snooze 1 h" sends the same reminder again an hour later, if still needed
  and still inside the day (at most ``MAX_SNOOZES`` a day).
- After ``PAUSE_AFTER_IGNORED`` reminders of one kind in a row that the rep
  never opened, that kind pauses itself until the rep resumes it.

Everything here is plain values in, plain values out: the clock is an
argument, the rep's day comes from ``streaks.local_day``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from webapp.domain.streaks import day_bounds_utc, local_day

START_NUDGE = "start_nudge"
STREAK_RISK = "streak_risk"
REMINDER_KINDS: tuple[str, ...] = (START_NUDGE, STREAK_RISK)

# How late a start nudge may still go out (after quiet hours, or a worker that was down).
NUDGE_WINDOW = timedelta(hours=2)
SNOOZE = timedelta(hours=1)
MAX_SNOOZES = 3
PAUSE_AFTER_IGNORED = 3
DEFAULT_NUDGE_AT = time(9, 15)
DEFAULT_AT_RISK_LEAD = timedelta(hours=4)
DEFAULT_QUIET_START = time(21, 30)
DEFAULT_QUIET_END = time(7, 30)


@dataclass(frozen=True)
class ReminderSettings:
    """What the rep chose: their day, their quiet hours, and which reminders they want.

    ``time_off`` holds inclusive ``(first, last)`` date ranges of the rep's days.
    Quiet hours run from ``quiet_start`` to ``quiet_end`` on the wall clock and
    may cross midnight; equal times mean no quiet hours.
    """

    timezone: str = "UTC"
    day_start_hour: int = 0
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    time_off: tuple[tuple[date, date], ...] = ()
    nudge_at: time = DEFAULT_NUDGE_AT
    at_risk_lead: timedelta = DEFAULT_AT_RISK_LEAD
    quiet_start: time = DEFAULT_QUIET_START
    quiet_end: time = DEFAULT_QUIET_END
    kinds_on: frozenset[str] = frozenset(REMINDER_KINDS)
    resumed_at: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class DayActivity:
    """The rep's day so far: dials, the day's streak minimum, the streak and freezes in hand."""

    dials: int = 0
    streak_minimum: int = 1
    streak_current: int = 0
    freezes: int = 0


@dataclass(frozen=True)
class SentReminder:
    """A reminder already sent: its day (the rep's), round (0, then one per snooze) and fate."""

    kind: str
    day: date
    round: int
    sent_at: datetime
    opened: bool = False
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now. ``ref`` names it uniquely per rep: the claim that it is sent once."""

    kind: str
    day: date
    round: int
    dials_left: int = 0

    @property
    def ref(self) -> str:
        """Unique per rep, kind, day and round: the database refuses a second one."""
        return f"{self.kind}:{self.day.isoformat()}:{self.round}"


def is_quiet(now: datetime, settings: ReminderSettings) -> bool:
    """Whether ``now`` falls in the rep's quiet hours (wall clock, in their timezone)."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    wall = now.astimezone(ZoneInfo(settings.timezone)).time().replace(tzinfo=None)
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def is_time_off(day: date, settings: ReminderSettings) -> bool:
    """Whether ``day`` is inside one of the rep's time-off ranges."""
    return any(first <= day <= last for first, last in settings.time_off)


def is_working(day: date, settings: ReminderSettings) -> bool:
    """A day reminders may speak on: a working weekday and not time off."""
    return day.weekday() in settings.working_days and not is_time_off(day, settings)


def ignored_in_a_row(kind: str, history: Sequence[SentReminder], today: date, since: datetime | None = None) -> int:
    """Reminders of ``kind`` on days before ``today`` (after ``since``) never opened nor snoozed, newest first.

    Today's sends do not count yet: the rep may still open them.
    """
    count = 0
    for sent in sorted(history, key=lambda s: s.sent_at, reverse=True):
        if sent.kind != kind or sent.day >= today:
            continue
        if since is not None and sent.sent_at <= since:
            break
        if sent.opened or sent.snoozed_until is not None:
            break
        count += 1
    return count


def is_paused(kind: str, history: Sequence[SentReminder], today: date, settings: ReminderSettings) -> bool:
    """Whether ``kind`` paused itself: too many reminders in a row ignored since the rep last resumed it."""
    return ignored_in_a_row(kind, history, today, settings.resumed_at.get(kind)) >= PAUSE_AFTER_IGNORED


def window(kind: str, day: date, settings: ReminderSettings) -> tuple[datetime, datetime]:
    """The UTC instants ``[opens, closes)`` in which ``kind`` may be sent on the rep's ``day``."""
    day_start, day_end = day_bounds_utc(day, settings.timezone, settings.day_start_hour)
    if kind == START_NUDGE:
        # The nudge time is a wall-clock time inside the rep's day: before the day's start hour it is next morning.
        calendar_day = day + timedelta(days=1) if settings.nudge_at.hour < settings.day_start_hour else day
        opens = datetime.combine(calendar_day, settings.nudge_at, tzinfo=ZoneInfo(settings.timezone))
        opens = opens.astimezone(day_start.tzinfo)
        return max(opens, day_start), min(opens + NUDGE_WINDOW, day_end)
    if kind == STREAK_RISK:
        return max(day_end - settings.at_risk_lead, day_start), day_end
    raise ValueError(f"Unknown reminder kind {kind!r}.")


def still_needed(kind: str, activity: DayActivity) -> bool:
    """Whether the reminder still has something to say about the day so far."""
    if kind == START_NUDGE:
        return activity.dials == 0
    if kind == STREAK_RISK:
        return activity.streak_current > 0 and activity.freezes == 0 and activity.dials < activity.streak_minimum
    raise ValueError(f"Unknown reminder kind {kind!r}.")


def due_reminders(
    settings: ReminderSettings,
    activity: DayActivity,
    history: Sequence[SentReminder],
    now: datetime,
) -> list[DueReminder]:
    """The reminders to send at ``now``: at most one per kind, each still needed and allowed.

    ``history`` should hold the rep's reminders of the last couple of weeks
    (for the pause) and all of today's (for the once-a-day rule and snoozes).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware.")
    today = local_day(now, settings.timezone, settings.day_start_hour)
    if not is_working(today, settings) or is_quiet(now, settings):
        return []
    due = []
    for kind in REMINDER_KINDS:
        if kind not in settings.kinds_on or not still_needed(kind, activity):
            continue
        if is_paused(kind, history, today, settings):
            continue
        todays = sorted((s for s in history if s.kind == kind and s.day == today), key=lambda s: s.round)
        opens, closes = window(kind, today, settings)
        if not todays:
            if opens <= now < closes:
                due.append(_due(kind, today, 0, activity))
            continue
        latest = todays[-1]
        snoozed = latest.snoozed_until
        _, day_end = day_bounds_utc(today, settings.timezone, settings.day_start_hour)
        if snoozed is not None and snoozed <= now < day_end and latest.round < MAX_SNOOZES:
            due.append(_due(kind, today, latest.round + 1, activity))
    return due


def _due(kind: str, day: date, round_: int, activity: DayActivity) -> DueReminder:
    left = max(0, activity.streak_minimum - activity.dials) if kind == STREAK_RISK else 0
    return DueReminder(kind, day, round_, left)


def may_open_now(kinds: Collection[str], settings: ReminderSettings, now: datetime) -> bool:
    """A cheap first look, without the rep's data: could any reminder's window be open now?

    The worker asks this for every rep each minute and reads the day's
    numbers only for reps it answers ``True`` for. Snoozed repeats are found
    separately (the worker looks them up by their time).
    """
    today = local_day(now, settings.timezone, settings.day_start_hour)
    if not is_working(today, settings) or is_quiet(now, settings):
        return False
    for kind in kinds:
        opens, closes = window(kind, today, settings)
        if opens <= now < closes:
            return True
    return False
