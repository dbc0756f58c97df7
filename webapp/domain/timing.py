"""When a call happened: validating device clocks and placing calls on local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from webapp.domain.wording import N_

# Short weekday names, Monday first (``date.weekday()`` order), wherever a weekday is shown.
WEEKDAY_LABELS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class TimingError(ValueError):
    """A call time the server will not accept; the message is shown to the rep."""


def check_occurred_at(occurred_at: datetime, now: datetime, *, window_days: int, skew_seconds: int) -> datetime:
    """Return ``occurred_at`` in UTC if it is inside the accepted window, else raise.

    Device clocks drift, so a small skew into the future is accepted; calls
    older than the sync window are refused so a stale outbox cannot rewrite
    history long settled.
    """
    if occurred_at.tzinfo is None:
        raise TimingError("The call time must include a timezone offset.")
    occurred_at = occurred_at.astimezone(UTC)
    if occurred_at > now + timedelta(seconds=skew_seconds):
        raise TimingError(N_("That call time is in the future; check the device clock."))
    if occurred_at < now - timedelta(days=window_days):
        raise TimingError(
            f"That call is more than {window_days} days old; calls can only be logged within {window_days} days."
        )
    return occurred_at


def is_valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA timezone this machine knows."""
    if not name or name not in _known_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def timezone_names() -> list[str]:
    """Every IANA timezone name, sorted, for a settings picker."""
    return sorted(_known_timezones())


_TIMEZONES: frozenset[str] | None = None


def _known_timezones() -> frozenset[str]:
    # Reading the tz database is slow; the set never changes while running.
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones())
    return _TIMEZONES


def local_to_utc(day: date, at: time, tz_name: str) -> datetime:
    """The UTC instant of a wall-clock time on a local date (for calls added later)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)
