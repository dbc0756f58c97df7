"""Streaks: working days in the rep's own timezone, kind to days off, bounded to replay."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.streaks import (
    DEFAULT_WORKING_DAYS,
    MAX_FREEZES,
    REPLAY_WINDOW_DAYS,
    DayRecord,
    StreakState,
    advance_streak,
    checkpoint_day,
    day_bounds_utc,
    local_day,
    roll_checkpoint,
    stamp_working_days,
    streak_today,
)

MONDAY = date(2026, 3, 2)

# Day codes for table tests, independent of the calendar:
#   G goal met on a working day    m missed working day
#   o day off                      O goal met on a day off
CODES = {
    "G": DayRecord(goal_met=True, counted=True),
    "m": DayRecord(goal_met=False, counted=True),
    "o": DayRecord(goal_met=False, counted=False),
    "O": DayRecord(goal_met=True, counted=False),
}


def days_from(pattern: str, first: date = MONDAY) -> dict[date, DayRecord]:
    """A ``days`` mapping from a pattern like "GGmoG", one letter per day."""
    return {first + timedelta(days=i): CODES[code] for i, code in enumerate(pattern)}


def replay(pattern: str) -> StreakState:
    days = days_from(pattern)
    return advance_streak(StreakState.fresh(MONDAY), days, MONDAY + timedelta(days=len(pattern) - 1))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- The rep's day ----------------------------------------------------------


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


# --- The streak, as a table -------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "current", "longest", "freezes"),
    [
        ("", 0, 0, 0),
        ("GGG", 3, 3, 0),
        ("GGmG", 1, 2, 0),  # a missed working day with no freeze breaks it
        ("GGoG", 3, 3, 0),  # a day off never breaks it
        ("GGOG", 3, 3, 0),  # a goal met on a day off does not extend it either
        ("ooooooo", 0, 0, 0),
        ("GGGGG", 5, 5, 1),  # five goal days bank a freeze
        ("GGGGGm", 5, 5, 0),  # ... which a missed day spends
        ("GGGGGmm", 0, 5, 0),  # one freeze covers one missed day, not two
        ("GGGGGGGGGG", 10, 10, 2),
        ("GGGGGGGGGGmm", 10, 10, 0),
        ("GGGGGGGGGGmmm", 0, 10, 0),
        ("G" * 15, 15, 15, MAX_FREEZES),  # never more than two banked
        ("GGGGGmGGGG", 9, 9, 0),  # a miss restarts the count to the next freeze
        ("GGGGGmGGGGG", 10, 10, 1),
        ("GGGGoGm", 5, 5, 0),  # days off don't interrupt "five in a row"
        ("mmm", 0, 0, 0),
        ("GGmGGGG", 4, 4, 0),
    ],
)
def test_streak_table(pattern, current, longest, freezes):
    state = replay(pattern)
    assert (state.current, state.longest, state.freezes) == (current, longest, freezes)


def test_a_day_off_never_breaks_a_streak_over_a_real_weekend():
    # Two working weeks Mon-Fri with the goal met; nothing logged at the weekend.
    days = {
        MONDAY + timedelta(days=i): DayRecord(goal_met=True)
        for i in range(12)
        if (MONDAY + timedelta(days=i)).weekday() < 5
    }
    state = advance_streak(StreakState.fresh(MONDAY), days, MONDAY + timedelta(days=11))
    assert state.current == 10


def test_a_saturday_counts_for_a_rep_who_works_saturdays():
    saturday = MONDAY + timedelta(days=5)
    days = {MONDAY + timedelta(days=i): DayRecord(goal_met=True) for i in range(5)}
    mon_to_sat = {0, 1, 2, 3, 4, 5}
    # No calls on Saturday: a working day missed, covered by the freeze from Mon-Fri.
    state = advance_streak(StreakState.fresh(MONDAY), days, saturday, mon_to_sat)
    assert (state.current, state.freezes) == (5, 0)
    state = advance_streak(StreakState.fresh(MONDAY), days, saturday, DEFAULT_WORKING_DAYS)
    assert (state.current, state.freezes) == (5, 1)


def test_a_day_recorded_as_a_working_goal_day_keeps_counting_after_settings_change():
    saturday = MONDAY + timedelta(days=5)
    days = {saturday: DayRecord(goal_met=True, counted=True)}
    # Saturday is no longer a working day in the current (default) setting.
    state = advance_streak(StreakState.fresh(saturday), days, saturday)
    assert state.current == 1


def test_a_day_recorded_as_a_day_off_stays_a_day_off():
    tuesday = MONDAY + timedelta(days=1)
    days = {MONDAY: CODES["G"], tuesday: DayRecord(goal_met=False, counted=False)}
    state = advance_streak(StreakState.fresh(MONDAY), days, tuesday)
    assert state.current == 1


def test_stamping_old_working_days_keeps_a_settings_change_from_breaking_a_streak():
    # Mon-Fri goals met, nothing on the weekend; then the rep adds Saturday and Sunday.
    sunday = MONDAY + timedelta(days=6)
    days = {MONDAY + timedelta(days=i): DayRecord(goal_met=True) for i in range(5)}
    every_day = set(range(7))
    before = advance_streak(StreakState.fresh(MONDAY), days, sunday, DEFAULT_WORKING_DAYS)
    assert (before.current, before.freezes) == (5, 1)
    # Without stamping, the empty weekend would now read as two missed working days.
    unstamped = advance_streak(StreakState.fresh(MONDAY), days, sunday, every_day)
    assert unstamped.current == 0
    stamped = stamp_working_days(days, MONDAY, sunday, DEFAULT_WORKING_DAYS)
    after = advance_streak(StreakState.fresh(MONDAY), stamped, sunday, every_day)
    assert after == before


def test_invalid_working_days_are_refused():
    with pytest.raises(ValueError, match="Working days"):
        advance_streak(StreakState.fresh(MONDAY), {}, MONDAY, {7})


# --- Today, checkpoints and late calls --------------------------------------


@pytest.mark.parametrize(
    ("today_record", "dials", "target", "current", "today_met", "dials_to_keep", "at_risk"),
    [
        (None, 0, 40, 3, False, 40, True),  # not met yet: at risk, not broken
        (DayRecord(goal_met=False), 31, 40, 3, False, 9, True),
        (DayRecord(goal_met=True), 40, 40, 4, True, 0, False),
        (DayRecord(goal_met=True), 55, 40, 4, True, 0, False),
    ],
)
def test_streak_today_on_a_working_day(today_record, dials, target, current, today_met, dials_to_keep, at_risk):
    thursday = MONDAY + timedelta(days=3)
    days = days_from("GGG")
    if today_record is not None:
        days[thursday] = today_record
    view = streak_today(StreakState.fresh(MONDAY), days, thursday, dials_today=dials, dial_target=target)
    assert (view.current, view.today_met, view.dials_to_keep, view.at_risk) == (
        current,
        today_met,
        dials_to_keep,
        at_risk,
    )


def test_on_a_day_off_nothing_is_at_risk_and_nothing_is_needed():
    saturday = MONDAY + timedelta(days=5)
    days = days_from("GGGGG")
    view = streak_today(StreakState.fresh(MONDAY), days, saturday, dials_today=0, dial_target=40)
    assert (view.current, view.working_today, view.dials_to_keep, view.at_risk) == (5, False, 0, False)


def test_a_call_synced_late_counts_on_the_day_it_happened():
    friday = MONDAY + timedelta(days=4)
    days = days_from("GG")  # Wednesday and Thursday not synced yet
    checkpoint = StreakState.fresh(MONDAY)
    assert streak_today(checkpoint, days, friday).current == 0
    days.update(days_from("GG", MONDAY + timedelta(days=2)))  # the phone comes back online
    assert streak_today(checkpoint, days, friday).current == 4


def test_a_checkpoint_must_be_settled_before_today():
    with pytest.raises(ValueError, match="before today"):
        streak_today(StreakState(as_of=MONDAY), {}, MONDAY)


def test_the_checkpoint_rolls_to_the_last_day_that_can_no_longer_change():
    today = MONDAY + timedelta(days=20)
    rolled = roll_checkpoint(StreakState.fresh(MONDAY), days_from("G" * 20), today, set(range(7)))
    assert rolled.as_of == checkpoint_day(today) == today - timedelta(days=REPLAY_WINDOW_DAYS)
    assert roll_checkpoint(rolled, {}, today) is rolled  # nothing to do on the next tap


# --- Properties ---------------------------------------------------------------

RECORDS = st.one_of(
    st.none(),
    st.builds(DayRecord, goal_met=st.booleans(), counted=st.one_of(st.none(), st.booleans())),
)
WORKING_DAYS = st.frozensets(st.integers(min_value=0, max_value=6))
HISTORIES = st.lists(RECORDS, max_size=60)


@st.composite
def states(draw, as_of=MONDAY - timedelta(days=1)):
    current = draw(st.integers(min_value=0, max_value=100))
    return StreakState(
        as_of=as_of,
        current=current,
        longest=current + draw(st.integers(min_value=0, max_value=100)),
        freezes=draw(st.integers(min_value=0, max_value=MAX_FREEZES)),
        toward_freeze=draw(st.integers(min_value=0, max_value=4)),
    )


def as_days(history: list[DayRecord | None]) -> dict[date, DayRecord]:
    return {MONDAY + timedelta(days=i): r for i, r in enumerate(history) if r is not None}


def step_by_step(state, days, through, working_days):
    """Every intermediate state, one day at a time."""
    seen = [state]
    day = state.as_of
    while day < through:
        day += timedelta(days=1)
        seen.append(advance_streak(seen[-1], days, day, working_days))
    return seen


@given(states(), HISTORIES, WORKING_DAYS)
def test_a_streak_is_never_negative_and_longest_never_decreases(state, history, working_days):
    days = as_days(history)
    through = MONDAY + timedelta(days=len(history))
    seen = step_by_step(state, days, through, working_days)
    for before, after in pairwise(seen):
        assert 0 <= after.current <= after.longest
        assert after.longest >= before.longest
        assert 0 <= after.freezes <= MAX_FREEZES


@given(states(), RECORDS, WORKING_DAYS)
def test_a_non_working_day_never_breaks_or_extends_a_streak(state, record, working_days):
    day = state.as_of + timedelta(days=1)
    if record is None or record.counted is None:
        working_days = working_days - {day.weekday()}
    else:
        record = DayRecord(goal_met=record.goal_met, counted=False)
    days = {day: record} if record is not None else {}
    after = advance_streak(state, days, day, working_days)
    assert (after.current, after.longest, after.freezes, after.toward_freeze) == (
        state.current,
        state.longest,
        state.freezes,
        state.toward_freeze,
    )


@given(states(), HISTORIES, WORKING_DAYS)
def test_a_freeze_is_spent_at_most_once_per_missed_day(state, history, working_days):
    days = as_days(history)
    seen = step_by_step(state, days, MONDAY + timedelta(days=len(history)), working_days)
    for before, after in pairwise(seen):
        if after.freezes < before.freezes:
            assert after.freezes == before.freezes - 1
            record = days.get(after.as_of)
            assert record is None or not record.goal_met  # only a miss spends one
            assert after.current == before.current  # ...and it saves the streak


@given(states(), HISTORIES, WORKING_DAYS, st.data())
def test_replaying_in_two_chunks_equals_replaying_in_one(state, history, working_days, data):
    days = as_days(history)
    through = MONDAY + timedelta(days=len(history))
    split = data.draw(st.integers(min_value=0, max_value=len(history) + 1))
    middle = state.as_of + timedelta(days=split)
    in_two = advance_streak(advance_streak(state, days, middle, working_days), days, through, working_days)
    assert in_two == advance_streak(state, days, through, working_days)


@given(HISTORIES, WORKING_DAYS)
def test_a_checkpoint_eight_days_back_sees_the_same_streak_as_full_history(history, working_days):
    days = as_days(history)
    today = MONDAY + timedelta(days=len(history))
    start = StreakState.fresh(MONDAY)
    checkpoint = roll_checkpoint(start, days, today, working_days)
    recent = {d: r for d, r in days.items() if d > checkpoint.as_of}  # all a tap needs to load
    assert streak_today(checkpoint, recent, today, working_days) == streak_today(start, days, today, working_days)


@given(HISTORIES, WORKING_DAYS)
def test_today_never_lowers_the_streak_while_it_is_still_going(history, working_days):
    days = as_days(history)
    today = MONDAY + timedelta(days=len(history))
    days.pop(today, None)  # nothing logged yet today
    start = StreakState.fresh(MONDAY)
    settled = advance_streak(start, days, today - timedelta(days=1), working_days)
    assert streak_today(start, days, today, working_days).current == settled.current


def test_a_freeze_is_kept_when_there_is_no_streak_to_save():
    state = StreakState(as_of=MONDAY - timedelta(days=1), current=0, longest=8, freezes=1)
    after = advance_streak(state, days_from("m"), MONDAY)
    assert (after.current, after.freezes) == (0, 1)
