"""Time off: ranges a rep marks ahead or afterwards, refused with a message the rep can act on."""

from datetime import date, timedelta

import pytest

from webapp.domain.ranking import goal_percent, working_days_between
from webapp.domain.time_off import (
    MAX_DAYS_BACK,
    MAX_RANGE_DAYS,
    TimeOffKind,
    TimeOffRange,
    TimeOffRefused,
    days_off,
    parse_time_off,
)

TODAY = date(2026, 11, 18)  # a Wednesday
CHRISTMAS = TimeOffRange(date(2026, 12, 21), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("first", "last", "kind", "expected"),
    [
        ("2026-11-23", "2026-11-27", "holiday", TimeOffRange(date(2026, 11, 23), date(2026, 11, 27))),
        ("2026-11-17", "", "sick", TimeOffRange(date(2026, 11, 17), date(2026, 11, 17), TimeOffKind.SICK)),
        (" 2026-11-18 ", "2026-11-18", "training", TimeOffRange(TODAY, TODAY, TimeOffKind.TRAINING)),
        # Afterwards, as far back as the streak still replays (7 days).
        ("2026-11-11", "2026-11-13", "sick", TimeOffRange(date(2026, 11, 11), date(2026, 11, 13), TimeOffKind.SICK)),
        # 60 days at most, ending the day before another range starts.
        ("2026-10-22", "2026-12-20", "other", None),
        ("2027-01-01", "2027-01-05", None, TimeOffRange(date(2027, 1, 1), date(2027, 1, 5))),
    ],
)
def test_a_range_of_time_off_is_accepted(first, last, kind, expected):
    today = date(2026, 10, 25) if expected is None else TODAY
    chosen = parse_time_off(first, last, kind, today, [CHRISTMAS])
    if expected is None:
        assert (chosen.days, chosen.kind) == (MAX_RANGE_DAYS, TimeOffKind.OTHER)
    else:
        assert chosen == expected


@pytest.mark.parametrize(
    ("first", "last", "kind", "field", "message"),
    [
        ("", "", "holiday", "first", "Enter the first day, like 2026-11-02."),
        ("18/11/2026", "", "holiday", "first", "Enter the first day"),
        ("2026-11-20", "next friday", "holiday", "last", "Enter the last day"),
        ("2026-02-30", "", "holiday", "first", "Enter the first day"),
        ("2026-11-27", "2026-11-23", "holiday", "last", "The last day comes before the first day."),
        ("2026-11-20", "2027-01-19", "holiday", "last", "Time off is at most 60 days at a time."),
        (
            "2026-11-10",
            "2026-11-12",
            "sick",
            "first",
            "Time off can start at most 7 days back, on 11 Nov 2026 or later",
        ),
        ("2027-11-20", "2027-11-21", "holiday", "last", "up to a year ahead"),
        (
            "2026-12-28",
            "2027-01-02",
            "holiday",
            "first",
            "This overlaps your time off from 21 Dec 2026 to 31 Dec 2026.",
        ),
        ("2026-12-31", "", "holiday", "first", "overlaps"),
        ("2026-12-01", "2026-12-21", "holiday", "first", "overlaps"),
        ("2026-11-23", "", "party", "kind", "Choose holiday, sick, training or other."),
    ],
)
def test_a_bad_range_is_refused_with_a_clear_message(first, last, kind, field, message):
    with pytest.raises(TimeOffRefused) as refused:
        parse_time_off(first, last, kind, TODAY, [CHRISTMAS])
    assert message in refused.value.errors[field]


def test_the_earliest_day_that_may_be_marked_is_the_first_day_the_streak_still_replays():
    earliest = TODAY - timedelta(days=MAX_DAYS_BACK)
    assert parse_time_off(earliest.isoformat(), "", "sick", TODAY).first == earliest
    with pytest.raises(TimeOffRefused):
        parse_time_off((earliest - timedelta(days=1)).isoformat(), "", "sick", TODAY)


def test_days_off_lists_the_days_of_ranges_inside_a_period():
    ranges = [(date(2026, 11, 14), date(2026, 11, 17)), (date(2026, 11, 20), date(2026, 11, 20))]
    assert days_off(ranges, date(2026, 11, 16), date(2026, 11, 22)) == {
        date(2026, 11, 16),
        date(2026, 11, 17),
        date(2026, 11, 20),
    }
    assert days_off(ranges, date(2026, 11, 21), date(2026, 11, 22)) == frozenset()


MONDAY = date(2026, 11, 16)
WEEKDAYS = {0, 1, 2, 3, 4}


@pytest.mark.parametrize(
    ("time_off", "owed"),
    [
        (set(), 5),
        ({MONDAY, MONDAY + timedelta(days=1)}, 3),  # two working days away
        ({MONDAY + timedelta(days=5)}, 5),  # a Saturday away changes nothing
        ({MONDAY + timedelta(days=i) for i in range(7)}, 0),
    ],
)
def test_time_off_is_not_owed_on_the_goal_board(time_off, owed):
    assert working_days_between(MONDAY, MONDAY + timedelta(days=6), WEEKDAYS, time_off) == owed


def test_a_rep_away_two_days_who_met_their_goal_on_the_other_three_stands_at_100_percent():
    away = {MONDAY, MONDAY + timedelta(days=1)}
    owed = working_days_between(MONDAY, MONDAY + timedelta(days=4), WEEKDAYS, away)
    assert goal_percent(3 * 40, 40, owed) == 100
