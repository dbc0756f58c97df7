"""Streaks that reward showing up, and forgive: the rules as tables.

Day codes, one letter per day, independent of the calendar:

    S  showed up on a working day (the minimum, 10 dials; not the goal)
    G  the whole goal met on a working day (40 dials)
    D  twice the minimum on a working day (20 dials): what wins a streak back
    m  a missed working day (3 dials)        .  a working day without calls
    o  a day off                              O  the goal met on a day off
    t  time off (a working day marked away)   T  the goal met on a time-off day
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.domain.days import local_day
from webapp.domain.streaks import (
    DEFAULT_WORKING_DAYS,
    MAX_FREEZES,
    REPLAY_WINDOW_DAYS,
    DayRecord,
    StreakState,
    advance_streak,
    checkpoint_day,
    daily_minimum,
    roll_checkpoint,
    stamp_working_days,
    streak_today,
)

MONDAY = date(2026, 3, 2)
EVERY_DAY = frozenset(range(7))

CODES = {
    "S": DayRecord(counted=True, showed_up=True, dials=10),
    "G": DayRecord(goal_met=True, counted=True, showed_up=True, dials=40),
    "D": DayRecord(counted=True, showed_up=True, dials=20),
    "m": DayRecord(counted=True, dials=3),
    ".": None,
    "o": DayRecord(counted=False),
    "O": DayRecord(goal_met=True, counted=False, showed_up=True, dials=40),
    "t": None,
    "T": DayRecord(goal_met=True, counted=True, showed_up=True, dials=40),
}


def days_from(pattern: str, first: date = MONDAY) -> tuple[dict[date, DayRecord], frozenset[date]]:
    """Day records and time-off days from a pattern like "SSmoD"."""
    records, away = {}, set()
    for offset, code in enumerate(pattern):
        day = first + timedelta(days=offset)
        if CODES[code] is not None:
            records[day] = CODES[code]
        if code in "tT":
            away.add(day)
    return records, frozenset(away)


def replay(pattern: str, first: date = MONDAY) -> StreakState:
    records, away = days_from(pattern, first)
    through = first + timedelta(days=len(pattern) - 1)
    return advance_streak(StreakState.fresh(first), records, through, EVERY_DAY, away)


@pytest.mark.parametrize(
    ("pattern", "current", "longest", "freezes"),
    [
        ("", 0, 0, 0),
        ("S", 1, 1, 0),  # a first session of 10 dials: "1 day streak"
        ("SSS", 3, 3, 0),  # showing up is what counts
        ("GGG", 3, 3, 0),  # ... and the whole goal still counts
        ("SSmS", 1, 2, 0),  # a missed working day with no freeze breaks it
        ("SS.S", 1, 2, 0),  # so does a working day without a call
        ("SSoS", 3, 3, 0),  # a day off never breaks it
        ("SSOS", 3, 3, 0),  # a goal met on a day off does not extend it either
        ("SStS", 3, 3, 0),  # time off never breaks it
        ("SSTS", 3, 3, 0),  # ... and calls on time off do not extend it
        ("tttttttt", 0, 0, 0),
        ("SSSSS", 5, 5, 0),  # showing up alone banks no freeze
        ("GGGGG", 5, 5, 1),  # five goal days bank one
        ("GGSGGG", 6, 6, 1),  # a day at the minimum neither adds to the five nor resets them
        ("GGGGGm", 5, 5, 0),  # a freeze covers a missed day
        ("GGGGGmm", 0, 5, 0),  # one freeze covers one missed day, not two
        ("GGGGGGGGGGmm", 10, 10, 0),
        ("G" * 15, 15, 15, MAX_FREEZES),  # never more than two banked
        ("GGGGGmGGGG", 9, 9, 0),  # a miss restarts the count to the next freeze
        ("GGGGtGm", 5, 5, 0),  # time off does not interrupt "five goal days"
        ("mmm", 0, 0, 0),
        # Repair: twice the minimum on the next working day wins the streak back.
        ("SSmD", 3, 3, 0),  # the missed day is forgiven: 2, then today
        ("SSmoD", 3, 3, 0),  # the next *working* day, whatever lies between
        ("SSmtttD", 3, 3, 0),
        ("SSmSD", 2, 2, 0),  # only the next working day: then the chance is gone
        ("SSmmD", 1, 2, 0),  # a second miss ends the chance too
        ("mD", 1, 1, 0),  # nothing to win back
        ("GGGGGmmD", 6, 6, 0),  # after the freeze ran out, a repair still saves it
        ("SmDSmD", 1, 3, 0),  # once a calendar month: the second repair is not made
        ("SSSSSSmD", 7, 7, 0),
    ],
)
def test_streak_table(pattern, current, longest, freezes):
    state = replay(pattern)
    assert (state.current, state.longest, state.freezes) == (current, longest, freezes)


def test_a_repair_is_allowed_again_in_the_next_calendar_month():
    march_27 = date(2026, 3, 27)
    state = replay("SmDSmD", march_27)  # repairs on 29 March and 1 April
    assert (state.current, state.repaired_on) == (4, date(2026, 4, 1))


def test_a_freeze_is_spent_before_a_repair_is_offered():
    state = replay("GGGGGm")
    assert (state.current, state.freezes, state.broken) == (5, 0, 0)


def test_a_missed_day_remembers_the_streak_it_broke_until_the_next_working_day():
    state = replay("SSSm")
    assert (state.current, state.broken, state.broken_on) == (0, 3, MONDAY + timedelta(days=3))
    assert replay("SSSmS").broken == 0


def test_a_day_off_never_breaks_a_streak_over_a_real_weekend():
    # Two working weeks Mon-Fri at the minimum; nothing logged at the weekend.
    days = {
        MONDAY + timedelta(days=i): DayRecord(showed_up=True, dials=10)
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


def test_a_day_recorded_as_a_working_day_keeps_counting_after_settings_change():
    saturday = MONDAY + timedelta(days=5)
    days = {saturday: DayRecord(showed_up=True, counted=True)}
    # Saturday is no longer a working day in the current (default) setting.
    state = advance_streak(StreakState.fresh(saturday), days, saturday)
    assert state.current == 1


def test_a_day_recorded_as_a_day_off_stays_a_day_off():
    tuesday = MONDAY + timedelta(days=1)
    days = {MONDAY: CODES["S"], tuesday: DayRecord(counted=False)}
    state = advance_streak(StreakState.fresh(MONDAY), days, tuesday)
    assert state.current == 1


def test_a_day_counts_by_the_minimum_it_was_recorded_with():
    # 12 dials on a day whose minimum was 10 showed up; a later minimum of 15 does not reach back.
    days = {MONDAY: DayRecord(showed_up=True, dials=12, minimum=10)}
    assert advance_streak(StreakState.fresh(MONDAY), days, MONDAY).current == 1
    view = streak_today(StreakState.fresh(MONDAY), days, MONDAY + timedelta(days=1), minimum=15)
    assert (view.current, view.dials_to_keep) == (1, 15)


def test_stamping_old_working_days_keeps_a_settings_change_from_breaking_a_streak():
    # Mon-Fri goals met, nothing on the weekend; then the rep adds Saturday and Sunday.
    sunday = MONDAY + timedelta(days=6)
    days = {MONDAY + timedelta(days=i): DayRecord(goal_met=True) for i in range(5)}
    before = advance_streak(StreakState.fresh(MONDAY), days, sunday, DEFAULT_WORKING_DAYS)
    assert (before.current, before.freezes) == (5, 1)
    # Without stamping, the empty weekend would now read as two missed working days.
    unstamped = advance_streak(StreakState.fresh(MONDAY), days, sunday, EVERY_DAY)
    assert unstamped.current == 0
    stamped = stamp_working_days(days, MONDAY, sunday, DEFAULT_WORKING_DAYS)
    after = advance_streak(StreakState.fresh(MONDAY), stamped, sunday, EVERY_DAY)
    assert after == before


@pytest.mark.parametrize(
    ("setting", "goal", "minimum"),
    [(None, 40, 10), (10, 40, 10), (15, 40, 15), (10, 5, 5), (30, 30, 30), (0, 40, 10), (3, 1, 1)],
)
def test_the_daily_minimum_is_the_reps_own_and_never_more_than_the_whole_goal(setting, goal, minimum):
    assert daily_minimum(setting, goal) == minimum


def test_invalid_working_days_are_refused():
    with pytest.raises(ValueError, match="Working days"):
        advance_streak(StreakState.fresh(MONDAY), {}, MONDAY, {7})


def test_a_broken_streak_needs_the_day_that_broke_it():
    with pytest.raises(ValueError, match="broken"):
        StreakState(as_of=MONDAY, broken=3)


# --- Today ---------------------------------------------------------------------

THURSDAY = MONDAY + timedelta(days=3)


@pytest.mark.parametrize(
    ("today_record", "minimum", "current", "today_met", "dials_to_keep", "at_risk"),
    [
        (None, 10, 3, False, 10, True),  # nothing yet: at risk, not broken
        (None, 15, 3, False, 15, True),  # the rep's own minimum
        (DayRecord(counted=True, dials=4), 10, 3, False, 6, True),
        (DayRecord(counted=True, showed_up=True, dials=10), 10, 4, True, 0, False),
        (DayRecord(counted=True, showed_up=True, goal_met=True, dials=40), 10, 4, True, 0, False),
        # Today's row keeps the minimum it was recorded with (5), whatever the setting says now.
        (DayRecord(counted=True, dials=3, minimum=5), 10, 3, False, 2, True),
        (DayRecord(counted=True, showed_up=True, dials=5, minimum=5), 10, 4, True, 0, False),
    ],
)
def test_streak_today_on_a_working_day(today_record, minimum, current, today_met, dials_to_keep, at_risk):
    days, _ = days_from("SSS")
    if today_record is not None:
        days[THURSDAY] = today_record
    view = streak_today(StreakState.fresh(MONDAY), days, THURSDAY, EVERY_DAY, minimum=minimum)
    assert (view.current, view.today_met, view.dials_to_keep, view.at_risk) == (
        current,
        today_met,
        dials_to_keep,
        at_risk,
    )
    assert view.missed_on is None and not view.repair_offered


def test_on_a_day_off_nothing_is_at_risk_and_nothing_is_needed():
    saturday = MONDAY + timedelta(days=5)
    days, _ = days_from("SSSSS")
    view = streak_today(StreakState.fresh(MONDAY), days, saturday)
    assert (view.current, view.working_today, view.dials_to_keep, view.at_risk) == (5, False, 0, False)


def test_on_time_off_nothing_is_at_risk_and_the_screen_knows_why():
    days, away = days_from("SSSt")
    view = streak_today(StreakState.fresh(MONDAY), days, THURSDAY, EVERY_DAY, time_off=away)
    assert (view.current, view.working_today, view.time_off_today) == (3, False, True)
    assert (view.dials_to_keep, view.at_risk) == (0, False)


@pytest.mark.parametrize(
    ("pattern", "current", "missed_when", "repair_streak", "needed", "repaired"),
    [
        ("SSSm.", 0, "Yesterday", 3, 20, False),  # the morning after
        ("SSSmm", 0, "Yesterday", 3, 17, False),  # 3 dials so far today
        ("SSSmS", 1, "Yesterday", 3, 10, False),  # the minimum reached: a new streak, and the offer still open
        ("SSSmD", 4, "Yesterday", 3, 0, True),  # won back, and today counts too
        ("SSSSmoo.", 0, "Friday", 4, 20, False),  # a Friday missed, the Monday after
        ("SSmDSm.", 0, "", 0, 0, False),  # this month's repair is used: no offer
        ("GGGGGm.", 5, "", 0, 0, False),  # a freeze saved it: nothing to win back
    ],
)
def test_the_morning_after_a_miss_offers_a_repair(pattern, current, missed_when, repair_streak, needed, repaired):
    records, _ = days_from(pattern)
    today = MONDAY + timedelta(days=len(pattern) - 1)
    working = DEFAULT_WORKING_DAYS if "o" in pattern else EVERY_DAY
    view = streak_today(StreakState.fresh(MONDAY), records, today, working)
    assert (view.current, view.missed_when, view.repair_streak) == (current, missed_when, repair_streak)
    assert (view.repair_dials_needed, view.repaired_today) == (needed, repaired)
    assert view.repair_offered == (needed > 0)
    if repair_streak:
        assert view.repair_dials == 20 and view.missed_on is not None


def test_a_repair_needs_twice_the_minimum_the_day_was_recorded_with():
    days, _ = days_from("SSSm")
    days[MONDAY + timedelta(days=4)] = DayRecord(counted=True, showed_up=True, dials=12, minimum=6)
    view = streak_today(StreakState.fresh(MONDAY), days, MONDAY + timedelta(days=4), EVERY_DAY)
    assert (view.current, view.repaired_today, view.repair_dials) == (4, True, 12)


def test_a_call_synced_late_counts_on_the_day_it_happened():
    friday = MONDAY + timedelta(days=4)
    days, _ = days_from("SS")  # Wednesday and Thursday not synced yet
    checkpoint = StreakState.fresh(MONDAY)
    assert streak_today(checkpoint, days, friday).current == 0
    days.update(days_from("SS", MONDAY + timedelta(days=2))[0])  # the phone comes back online
    assert streak_today(checkpoint, days, friday).current == 4


def test_a_checkpoint_must_be_settled_before_today():
    with pytest.raises(ValueError, match="before today"):
        streak_today(StreakState(as_of=MONDAY), {}, MONDAY)


def test_the_checkpoint_rolls_to_the_last_day_that_can_no_longer_change():
    today = MONDAY + timedelta(days=20)
    records, _ = days_from("S" * 20)
    rolled = roll_checkpoint(StreakState.fresh(MONDAY), records, today, EVERY_DAY)
    assert rolled.as_of == checkpoint_day(today) == today - timedelta(days=REPLAY_WINDOW_DAYS)
    assert roll_checkpoint(rolled, {}, today) is rolled  # nothing to do on the next tap


def test_a_freeze_is_kept_when_there_is_no_streak_to_save():
    state = StreakState(as_of=MONDAY - timedelta(days=1), current=0, longest=8, freezes=1)
    after = advance_streak(state, days_from("m")[0], MONDAY)
    assert (after.current, after.freezes) == (0, 1)


# --- Calls, DST changes and a day that starts after midnight -------------------


def streak_from_calls(bursts, tz: str, start_hour: int, today: date, minimum: int = 10) -> int:
    """The streak on ``today`` from bursts of calls ``(utc instant, dials)``, every day a working day."""
    dials: dict[date, int] = {}
    for instant, count in bursts:
        day = local_day(instant, tz, start_hour)
        dials[day] = dials.get(day, 0) + count
    records = {day: DayRecord(counted=True, showed_up=n >= minimum, dials=n) for day, n in dials.items()}
    return streak_today(StreakState.fresh(today - timedelta(days=7)), records, today, EVERY_DAY).current


def at(tz_offset_hours: int, *args: int) -> datetime:
    """A local wall-clock time with a known UTC offset, as a UTC instant."""
    return datetime(*args, tzinfo=UTC) - timedelta(hours=tz_offset_hours)


# Europe/Berlin springs forward in the night of Saturday 28 to Sunday 29 March 2026 (+1 -> +2);
# America/New_York falls back in the night of Saturday 31 October to Sunday 1 November (-4 -> -5).
SPRING_LATE_SHIFT = [
    (at(1, 2026, 3, 27, 10), 10),  # Friday
    (at(1, 2026, 3, 28, 23, 30), 5),  # Saturday evening...
    (at(2, 2026, 3, 29, 3, 30), 5),  # ...and on after midnight, past the jump: still Saturday with a 04:00 start
    (at(2, 2026, 3, 29, 10), 10),  # Sunday
    (at(2, 2026, 3, 30, 10), 10),  # Monday
]
FALL_BACK_NIGHT = [
    (at(-4, 2026, 10, 30, 12), 10),  # Friday
    (at(-4, 2026, 10, 31, 23, 30), 4),  # Saturday 23:30 EDT
    (at(-4, 2026, 11, 1, 1, 30), 3),  # Sunday 01:30 EDT...
    (at(-5, 2026, 11, 1, 1, 30), 3),  # ...and 01:30 EST, the same wall-clock hour again
    (at(-5, 2026, 11, 2, 12), 10),  # Monday
]


@pytest.mark.parametrize(
    ("bursts", "tz", "start_hour", "today", "current"),
    [
        # With a 04:00 start the late session is one day (Saturday): four days in a row.
        (SPRING_LATE_SHIFT, "Europe/Berlin", 4, date(2026, 3, 30), 4),
        # From midnight it splits into 5 + 5: Saturday misses, Sunday (15) is no repair, so 2.
        (SPRING_LATE_SHIFT, "Europe/Berlin", 0, date(2026, 3, 30), 2),
        # A 25-hour Sunday: both 01:30s are Sunday's; 4 on Saturday misses, 6 on Sunday misses too.
        (FALL_BACK_NIGHT, "America/New_York", 0, date(2026, 11, 2), 1),
        # With a 02:00 start all three land on Saturday (10 dials): Fri, Sat, then Sunday missed.
        (FALL_BACK_NIGHT, "America/New_York", 2, date(2026, 11, 1), 2),
        (FALL_BACK_NIGHT, "America/New_York", 2, date(2026, 11, 2), 1),
    ],
)
def test_streak_table_across_dst_changes_and_late_day_starts(bursts, tz, start_hour, today, current):
    assert streak_from_calls(bursts, tz, start_hour, today) == current
