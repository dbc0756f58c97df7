"""Kind lines at hard moments, without repeating the same one every time."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.encouragement import LINES, Moment, pick_line


def test_there_are_at_least_thirty_lines_across_the_moments():
    assert sum(len(lines) for lines in LINES.values()) >= 30


@pytest.mark.parametrize("moment", list(Moment))
def test_every_moment_has_several_short_distinct_lines(moment):
    lines = LINES[moment]
    assert len(lines) >= 5
    assert len(set(lines)) == len(lines)
    assert all(len(line) <= 80 for line in lines)


@pytest.mark.parametrize("word", ["fail", "lazy", "should have", "pathetic", "loser", "wrong with you"])
def test_no_line_judges_the_rep(word):
    judging = re.compile(rf"\b{word}", re.IGNORECASE)
    for lines in LINES.values():
        for line in lines:
            assert not judging.search(line)


@pytest.mark.parametrize(
    ("moment", "seed", "recent"),
    [("after_no", 1, ()), ("bad_run", 42, (0, 1)), (Moment.COMEBACK, 7, (3,))],
)
def test_the_same_seed_and_history_pick_the_same_line(moment, seed, recent):
    assert pick_line(moment, seed, recent) == pick_line(moment, seed, recent)


def test_the_index_returned_matches_the_text():
    index, text = pick_line("after_reset", 5)
    assert LINES[Moment.AFTER_RESET][index] == text


def test_different_seeds_spread_across_the_lines():
    shown = {pick_line("after_no", seed)[0] for seed in range(200)}
    assert len(shown) == len(LINES[Moment.AFTER_NO])


def test_when_every_line_was_shown_recently_the_last_one_is_still_avoided():
    count = len(LINES[Moment.AFTER_NO])
    recent = tuple(range(count))  # newest first: index 0 was shown last
    for seed in range(50):
        assert pick_line("after_no", seed, recent)[0] != 0


def test_an_unknown_moment_is_refused():
    with pytest.raises(ValueError, match="Unknown moment 'lunch'"):
        pick_line("lunch", 1)


@given(
    moment=st.sampled_from(list(Moment)),
    seed=st.integers(-(2**63), 2**63),
    recent=st.lists(st.integers(-3, 10), max_size=12),
)
def test_a_recent_line_is_never_picked_while_alternatives_exist(moment, seed, recent):
    index, text = pick_line(moment, seed, recent)
    count = len(LINES[moment])
    assert 0 <= index < count and LINES[moment][index] == text
    if set(range(count)) - set(recent):
        assert index not in recent
    elif count > 1:
        last_shown = next(i for i in recent if 0 <= i < count)
        assert index != last_shown
