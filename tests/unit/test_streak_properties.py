"""Streak properties over any history: what forgiving must never break."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.streaks import (
    MAX_FREEZES,
    DayRecord,
    StreakState,
    advance_streak,
    counts_for_streak,
    roll_checkpoint,
    streak_today,
)

MONDAY = date(2026, 3, 2)  # a history of up to 90 days crosses two month ends

RECORDS = st.one_of(
    st.none(),
    st.builds(
        DayRecord,
        goal_met=st.booleans(),
        counted=st.one_of(st.none(), st.booleans()),
        showed_up=st.booleans(),
        dials=st.integers(min_value=0, max_value=60),
        minimum=st.integers(min_value=1, max_value=20),
    ),
)
WORKING_DAYS = st.frozensets(st.integers(min_value=0, max_value=6))
HISTORIES = st.lists(RECORDS, max_size=90)
TIME_OFF = st.frozensets(st.integers(min_value=0, max_value=90)).map(
    lambda offsets: frozenset(MONDAY + timedelta(days=o) for o in offsets)
)


@st.composite
def states(draw, as_of=MONDAY - timedelta(days=1)):
    current = draw(st.integers(min_value=0, max_value=100))
    broken = 0 if current else draw(st.integers(min_value=0, max_value=30))
    return StreakState(
        as_of=as_of,
        current=current,
        longest=max(current, broken) + draw(st.integers(min_value=0, max_value=100)),
        freezes=draw(st.integers(min_value=0, max_value=MAX_FREEZES)),
        toward_freeze=draw(st.integers(min_value=0, max_value=4)),
        broken=broken,
        broken_on=as_of if broken else None,
        repaired_on=draw(st.one_of(st.none(), st.just(as_of - timedelta(days=3)))),
    )


def as_days(history: list[DayRecord | None]) -> dict[date, DayRecord]:
    return {MONDAY + timedelta(days=i): r for i, r in enumerate(history) if r is not None}


def step_by_step(state, days, through, working_days, time_off=frozenset()):
    """Every intermediate state, one day at a time."""
    seen = [state]
    day = state.as_of
    while day < through:
        day += timedelta(days=1)
        seen.append(advance_streak(seen[-1], days, day, working_days, time_off))
    return seen


@given(states(), HISTORIES, WORKING_DAYS, TIME_OFF)
def test_a_streak_is_never_negative_and_longest_never_decreases(state, history, working_days, time_off):
    days = as_days(history)
    seen = step_by_step(state, days, MONDAY + timedelta(days=len(history)), working_days, time_off)
    for before, after in pairwise(seen):
        assert 0 <= after.current <= after.longest
        assert after.longest >= before.longest
        assert 0 <= after.freezes <= MAX_FREEZES


@given(states(), RECORDS, WORKING_DAYS, st.booleans())
def test_a_day_off_or_a_time_off_day_never_breaks_or_extends_a_streak(state, record, working_days, away):
    day = state.as_of + timedelta(days=1)
    if away:
        time_off = frozenset({day})  # whatever the working days and the calls that day
    else:
        time_off = frozenset()
        if record is None or record.counted is None:
            working_days = working_days - {day.weekday()}
        else:
            record = replace(record, counted=False)
    days = {day: record} if record is not None else {}
    after = advance_streak(state, days, day, working_days, time_off)
    assert replace(after, as_of=state.as_of) == state


@given(states(), HISTORIES, WORKING_DAYS, TIME_OFF)
def test_a_freeze_covers_at_most_one_missed_working_day(state, history, working_days, time_off):
    days = as_days(history)
    seen = step_by_step(state, days, MONDAY + timedelta(days=len(history)), working_days, time_off)
    for before, after in pairwise(seen):
        if after.freezes < before.freezes:
            assert after.freezes == before.freezes - 1
            record = days.get(after.as_of)
            assert counts_for_streak(after.as_of, record, working_days, time_off)  # a working day...
            assert record is None or not record.kept  # ...that was missed
            assert after.current == before.current  # and the streak survives it


@given(states(), HISTORIES, WORKING_DAYS, TIME_OFF)
def test_a_repair_happens_at_most_once_a_calendar_month_and_only_the_day_after_a_miss(
    state, history, working_days, time_off
):
    days = as_days(history)
    seen = step_by_step(state, days, MONDAY + timedelta(days=len(history)), working_days, time_off)
    months = []
    for before, after in pairwise(seen):
        if after.repaired_on != before.repaired_on:
            assert after.repaired_on == after.as_of
            assert before.broken > 0  # the previous working day broke a streak...
            record = days[after.as_of]
            assert record.dials >= 2 * record.minimum  # ...and today reached twice the minimum
            assert after.current == before.broken + 1
            months.append((after.as_of.year, after.as_of.month))
    assert len(months) == len(set(months))
    if state.repaired_on is not None:
        assert (state.repaired_on.year, state.repaired_on.month) not in months


@given(states(), HISTORIES, WORKING_DAYS, TIME_OFF, st.data())
def test_replaying_in_two_chunks_equals_replaying_in_one(state, history, working_days, time_off, data):
    days = as_days(history)
    through = MONDAY + timedelta(days=len(history))
    split = data.draw(st.integers(min_value=0, max_value=len(history) + 1))
    middle = state.as_of + timedelta(days=split)
    first = advance_streak(state, days, middle, working_days, time_off)
    in_two = advance_streak(first, days, through, working_days, time_off)
    assert in_two == advance_streak(state, days, through, working_days, time_off)


@given(HISTORIES, WORKING_DAYS, TIME_OFF)
def test_a_checkpoint_eight_days_back_sees_the_same_streak_as_full_history(history, working_days, time_off):
    days = as_days(history)
    today = MONDAY + timedelta(days=len(history))
    start = StreakState.fresh(MONDAY)
    checkpoint = roll_checkpoint(start, days, today, working_days, time_off)
    recent = {d: r for d, r in days.items() if d > checkpoint.as_of}  # all a tap needs to load
    recent_off = {d for d in time_off if d > checkpoint.as_of}
    assert streak_today(checkpoint, recent, today, working_days, time_off=recent_off) == streak_today(
        start, days, today, working_days, time_off=time_off
    )


@given(HISTORIES, WORKING_DAYS, TIME_OFF)
def test_today_never_lowers_the_streak_while_it_is_still_going(history, working_days, time_off):
    days = as_days(history)
    today = MONDAY + timedelta(days=len(history))
    days.pop(today, None)  # nothing logged yet today
    start = StreakState.fresh(MONDAY)
    settled = advance_streak(start, days, today - timedelta(days=1), working_days, time_off)
    assert streak_today(start, days, today, working_days, time_off=time_off).current == settled.current


@given(HISTORIES, WORKING_DAYS, TIME_OFF, st.integers(min_value=1, max_value=20))
def test_undoing_every_tap_of_today_takes_the_day_back(history, working_days, time_off, minimum):
    days = as_days(history)
    today = MONDAY + timedelta(days=len(history))
    days.pop(today, None)
    start = StreakState.fresh(MONDAY)
    untouched = streak_today(start, days, today, working_days, minimum=minimum, time_off=time_off)
    # The day's row after its last tap is undone: no dials, stamped with the working days of the tap.
    undone = DayRecord(counted=today.weekday() in working_days, minimum=minimum)
    after_undo = streak_today(start, {**days, today: undone}, today, working_days, minimum=minimum, time_off=time_off)
    assert after_undo == untouched
