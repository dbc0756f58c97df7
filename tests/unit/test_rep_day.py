"""The rep's day: a date in their own timezone, from their own start hour, across DST changes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.days import day_bounds_utc, local_day


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "tz", "start_hour", "day"),
    [
        # Europe/Berlin springs forward on 2026-03-29 (CET +1 -> CEST +2).
        (utc(2026, 3, 28, 22, 59), "Europe/Berlin", 0, date(2026, 3, 28)),  # 23:59 CET
        (utc(2026, 3, 28, 23, 1), "Europe/Berlin", 0, date(2026, 3, 29)),  # 00:01 CET
        (utc(2026, 3, 29, 21, 59), "Europe/Berlin", 0, date(2026, 3, 29)),  # 23:59 CEST
        (utc(2026, 3, 29, 22, 1), "Europe/Berlin", 0, date(2026, 3, 30)),  # 00:01 CEST
        # America/New_York falls back on 2026-11-01 (EDT -4 -> EST -5).
        (utc(2026, 11, 1, 3, 59), "America/New_York", 0, date(2026, 10, 31)),  # 23:59 EDT
        (utc(2026, 11, 1, 4, 1), "America/New_York", 0, date(2026, 11, 1)),  # 00:01 EDT
        (utc(2026, 11, 2, 4, 59), "America/New_York", 0, date(2026, 11, 1)),  # 23:59 EST
        (utc(2026, 11, 2, 5, 1), "America/New_York", 0, date(2026, 11, 2)),  # 00:01 EST
        # A 04:00 day start: 03:30 still belongs to yesterday, 04:00 is today.
        (utc(2026, 3, 29, 1, 30), "Europe/Berlin", 4, date(2026, 3, 28)),  # 03:30 CEST
        (utc(2026, 3, 29, 2, 0), "Europe/Berlin", 4, date(2026, 3, 29)),  # 04:00 CEST
        (utc(2026, 6, 10, 1, 30), "Europe/Berlin", 4, date(2026, 6, 9)),  # 03:30 CEST
        (utc(2026, 6, 10, 1, 30), "Europe/Berlin", 0, date(2026, 6, 10)),
        # Far from UTC, the UTC date is often not the rep's date.
        (utc(2026, 6, 10, 23, 0), "Pacific/Auckland", 0, date(2026, 6, 11)),
        (utc(2026, 6, 10, 3, 0), "America/Los_Angeles", 0, date(2026, 6, 9)),
    ],
)
def test_a_call_belongs_to_the_reps_local_day(instant, tz, start_hour, day):
    assert local_day(instant, tz, start_hour) == day


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2026, 1, 1, 12), "Europe/Berlin")


@pytest.mark.parametrize("hour", [-1, 24])
def test_a_day_start_hour_outside_the_clock_is_refused(hour):
    with pytest.raises(ValueError, match="day_start_hour"):
        local_day(utc(2026, 1, 1, 12), "Europe/Berlin", hour)


@pytest.mark.parametrize(
    ("day", "tz", "hours"),
    [
        (date(2026, 3, 29), "Europe/Berlin", 23),
        (date(2026, 10, 25), "Europe/Berlin", 25),
        (date(2026, 11, 1), "America/New_York", 25),
        (date(2026, 6, 1), "America/New_York", 24),
    ],
)
def test_a_day_is_23_or_25_hours_long_across_a_dst_change(day, tz, hours):
    start, end = day_bounds_utc(day, tz)
    assert end - start == timedelta(hours=hours)


TIMEZONES = st.sampled_from(
    [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",  # a half-hour DST shift
        "America/Santiago",  # DST changes at midnight
        "Asia/Kolkata",
        "Pacific/Chatham",
    ]
)
INSTANTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(UTC))


@given(INSTANTS, TIMEZONES, st.integers(min_value=0, max_value=23))
def test_every_instant_falls_inside_its_days_bounds(instant, tz, start_hour):
    day = local_day(instant, tz, start_hour)
    start, end = day_bounds_utc(day, tz, start_hour)
    assert start <= instant < end
    assert local_day(start, tz, start_hour) == day
    assert local_day(end, tz, start_hour) == day + timedelta(days=1)


@given(INSTANTS, TIMEZONES, st.integers(min_value=1, max_value=23))
def test_day_start_hour_only_ever_moves_a_call_back_to_yesterday(instant, tz, start_hour):
    midnight_day = local_day(instant, tz)
    assert local_day(instant, tz, start_hour) in (midnight_day, midnight_day - timedelta(days=1))
