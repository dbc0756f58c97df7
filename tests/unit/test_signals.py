"""Coach signals as tables: each flag, why in words, and the kind word it suggests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from webapp.domain.signals import KIND_WORDS, Flag, MemberToday, flags_first, signals_for, usual_by_now

CALM = MemberToday(
    minute_now=14 * 60,
    start_by_minute=10 * 60,
    working_today=True,
    dials_today=20,
    no_run=0,
    reset_after=3,
    reset_since_run=False,
    usual_by_now=20,
    streak=4,
    streak_at_risk=False,
    dials_to_keep=0,
    minutes_left=9 * 60,
)


@pytest.mark.parametrize(
    ("changes", "flags", "why"),
    [
        ({}, [], None),
        ({"dials_today": 0, "minute_now": 10 * 60 + 30}, [Flag.NOT_STARTED], "No dial yet at 10:30"),
        ({"dials_today": 0, "minute_now": 9 * 60 + 59, "usual_by_now": 0}, [], None),  # before the start time
        ({"dials_today": 0, "working_today": False, "usual_by_now": None}, [], None),  # a day off
        ({"no_run": 3}, [Flag.NO_RUN], "3 no's in a row (their reset comes at 3)"),
        ({"no_run": 2}, [], None),  # under their own threshold
        ({"no_run": 5, "reset_since_run": True}, [], None),  # they took a reset
        ({"no_run": 1, "reset_after": 1}, [Flag.NO_RUN], "1 no in a row"),
        ({"dials_today": 9}, [Flag.BELOW_PACE], "9 dials by 14:00; on a usual day they have 20 by now"),
        ({"dials_today": 10}, [], None),  # half their usual pace is not "below"
        ({"dials_today": 1, "usual_by_now": 5}, [], None),  # a usual pace too small to compare
        ({"dials_today": 1, "usual_by_now": None}, [], None),  # no history yet
        (
            {"streak_at_risk": True, "dials_today": 4, "dials_to_keep": 6, "minutes_left": 120, "usual_by_now": 6},
            [Flag.STREAK_AT_RISK],
            "A 4-day streak needs 6 more dials, with about 2 h of their day left",
        ),
        ({"streak_at_risk": True, "dials_to_keep": 6, "minutes_left": 240}, [], None),  # still time
        ({"streak_at_risk": True, "streak": 0, "dials_to_keep": 6, "minutes_left": 60}, [], None),  # nothing to lose
        (
            {
                "dials_today": 0,
                "minute_now": 16 * 60,
                "no_run": 0,
                "streak_at_risk": True,
                "dials_to_keep": 10,
                "minutes_left": 150,
            },
            [Flag.NOT_STARTED, Flag.STREAK_AT_RISK],
            "the team starts by 10:00",
        ),
    ],
)
def test_each_flag_says_why_and_suggests_a_kind_word(changes, flags, why):
    found = signals_for(replace(CALM, **changes))
    assert [signal.flag for signal in found] == flags
    assert all(signal.kind_word == KIND_WORDS[signal.flag] for signal in found)
    if why:
        assert why in " ".join(signal.why for signal in found)


@pytest.mark.parametrize(
    ("days", "minute", "usual"),
    [
        ([[540, 600, 660], [545, 700], [560, 570, 580, 590]], 600, 1),  # before 10:00: 1, 1 and 4
        ([[540, 600, 660], [545, 700], [560, 570, 580, 590]], 24 * 60, 3),
        ([[540], [545]], 600, None),  # two days of history is not enough
        ([], 600, None),
    ],
)
def test_the_usual_pace_is_the_median_of_dials_by_this_minute(days, minute, usual):
    assert usual_by_now(days, minute) == usual


def test_flags_come_first_then_names():
    assert flags_first([(0, "Ann"), (2, "zed"), (1, "Bo"), (2, "Al")]) == [3, 1, 2, 0]
