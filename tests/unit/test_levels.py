"""Levels: a gentle start, a steeper climb, and a bar that always adds up."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.levels import (
    level_for,
    level_progress,
    level_start_xp,
    levels_crossed,
    xp_for_level,
)

xp_values = st.integers(min_value=0, max_value=5_000_000)


@pytest.mark.parametrize(
    ("xp", "level"),
    [
        (0, 1),
        (1, 1),
        (49, 1),
        (50, 2),  # about twenty mixed dials: the first morning
        (159, 2),
        (160, 3),
        (350, 4),
        (4289, 9),
        (4290, 10),
    ],
)
def test_level_for_xp(xp, level):
    assert level_for(xp) == level


def test_a_new_rep_starts_on_level_one_with_an_empty_bar():
    progress = level_progress(0)
    assert (progress.level, progress.xp_into_level, progress.fraction) == (1, 0, 0.0)
    assert progress.xp_to_next == progress.next_level_xp == 50


def test_level_two_comes_within_the_first_day_of_about_twenty_dials():
    # Twenty no-answers and voicemails alone (1-2 points) may fall short, but a
    # typical first session with a few no's gets there.
    assert 40 <= level_start_xp(2) <= 60


def test_each_level_needs_more_than_the_last():
    costs = [xp_for_level(level) for level in range(1, 60)]
    steps = [later - earlier for earlier, later in pairwise(costs)]
    assert all(step > 0 for step in steps)
    assert steps[-1] > steps[0]  # steeper later, not just longer


def test_level_start_is_the_sum_of_the_costs_before_it():
    total = 0
    for level in range(1, 80):
        assert level_start_xp(level) == total
        total += xp_for_level(level)


def test_negative_xp_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="negative"):
        level_progress(-1)


@pytest.mark.parametrize(
    ("before", "after", "crossed"),
    [
        (0, 10, []),
        (45, 55, [2]),
        (40, 400, [2, 3, 4]),
        (55, 45, []),  # an undo never celebrates backwards
        (50, 50, []),
    ],
)
def test_levels_crossed(before, after, crossed):
    assert levels_crossed(before, after) == crossed


@given(xp_values, xp_values)
def test_level_progress_is_monotone(a, b):
    low, high = sorted((a, b))
    p_low, p_high = level_progress(low), level_progress(high)
    assert p_low.level <= p_high.level
    if p_low.level == p_high.level:
        assert p_low.fraction <= p_high.fraction


@given(xp_values)
def test_the_progress_bar_always_adds_up(xp):
    p = level_progress(xp)
    assert p.level_start_xp <= xp < p.next_level_xp
    assert p.xp_into_level + p.xp_to_next == p.xp_for_level
    assert 0 <= p.fraction < 1
    assert level_for(p.level_start_xp) == p.level


@given(xp_values, xp_values)
def test_levels_crossed_matches_the_level_difference(a, b):
    assert len(levels_crossed(a, b)) == max(0, level_for(b) - level_for(a))
