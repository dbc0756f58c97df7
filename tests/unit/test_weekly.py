"""The weekly summary's rules, as tables."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.domain.weekly import best_day, needs_a_hand, summary_due, week_start

MON, SUN = date(2026, 11, 30), date(2026, 11, 29)
LAST_MON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("local_now", "sent_for", "due"),
    [
        (datetime(2026, 11, 30, 7, 59), None, None),  # Monday, before eight
        (datetime(2026, 11, 30, 8, 0), None, LAST_MON),
        (datetime(2026, 11, 30, 23, 30), date(2026, 11, 16), LAST_MON),
        (datetime(2026, 11, 30, 9, 0), LAST_MON, None),  # sent already
        (datetime(2026, 12, 1, 9, 0), None, None),  # Tuesday: wait for next Monday
        (datetime(2026, 11, 29, 12, 0), None, None),  # Sunday
    ],
)
def test_a_summary_is_due_on_monday_from_eight_once(local_now, sent_for, due):
    assert summary_due(local_now, sent_for) == due


@pytest.mark.parametrize(("day", "monday"), [(MON, MON), (SUN, LAST_MON), (date(2026, 11, 25), LAST_MON)])
def test_weeks_start_on_monday(day, monday):
    assert week_start(day) == monday


@pytest.mark.parametrize(
    ("dials", "best"),
    [
        ({}, None),
        ({LAST_MON: 0}, None),
        ({LAST_MON: 12, date(2026, 11, 24): 40, date(2026, 11, 25): 7}, (date(2026, 11, 24), 40)),
        ({date(2026, 11, 25): 30, LAST_MON: 30}, (LAST_MON, 30)),  # a tie goes to the earlier day
    ],
)
def test_the_best_day_has_the_most_dials(dials, best):
    assert best_day(dials) == best


@pytest.mark.parametrize(
    ("dials", "before", "working", "reason"),
    [
        (0, 0, True, "no dials logged last week"),
        (0, 50, False, None),  # a week off
        (9, 40, True, "dials fell from 40 to 9"),
        (20, 40, True, None),  # half is fine
        (3, 10, True, None),  # a small week before says little
        (120, 100, True, None),
    ],
)
def test_who_may_need_a_hand(dials, before, working, reason):
    assert needs_a_hand(dials, before, working) == reason
