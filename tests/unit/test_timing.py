"""Device clocks, sync windows and local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from webapp.domain.streaks import local_day
from webapp.domain.timing import TimingError, check_occurred_at, is_valid_timezone, local_to_utc

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "offset, ok",
    [
        (timedelta(0), True),
        (timedelta(minutes=4), True),  # inside the clock skew
        (timedelta(minutes=6), False),  # the future
        (-timedelta(days=6, hours=23), True),
        (-timedelta(days=7, minutes=1), False),  # older than the sync window
    ],
)
def test_call_times_are_accepted_inside_the_window_and_skew(offset, ok):
    when = NOW + offset
    if ok:
        assert check_occurred_at(when, NOW, window_days=7, skew_seconds=300) == when
    else:
        with pytest.raises(TimingError):
            check_occurred_at(when, NOW, window_days=7, skew_seconds=300)


def test_a_time_without_an_offset_is_refused():
    with pytest.raises(TimingError, match="timezone offset"):
        check_occurred_at(datetime(2026, 11, 27, 12), NOW, window_days=7, skew_seconds=300)


@pytest.mark.parametrize(
    "instant, tz, day_start, expected",
    [
        (datetime(2026, 11, 27, 23, 59, tzinfo=UTC), "Europe/London", 0, date(2026, 11, 27)),
        (datetime(2026, 11, 28, 0, 1, tzinfo=UTC), "Europe/London", 0, date(2026, 11, 28)),
        (datetime(2026, 11, 28, 3, 0, tzinfo=UTC), "America/New_York", 0, date(2026, 11, 27)),
        (datetime(2026, 11, 28, 3, 30, tzinfo=UTC), "Europe/London", 4, date(2026, 11, 27)),
    ],
)
def test_calls_fall_on_the_reps_local_day(instant, tz, day_start, expected):
    assert local_day(instant, tz, day_start) == expected


def test_a_wall_clock_time_converts_to_utc_across_daylight_saving():
    summer = local_to_utc(date(2026, 7, 1), time(9), "Europe/Berlin")
    winter = local_to_utc(date(2026, 12, 1), time(9), "Europe/Berlin")
    assert (summer.hour, winter.hour) == (7, 8)


@pytest.mark.parametrize(
    "name, ok", [("Europe/London", True), ("UTC", True), ("Mars/Base", False), ("", False), ("../etc/passwd", False)]
)
def test_only_known_timezones_are_valid(name, ok):
    assert is_valid_timezone(name) is ok
