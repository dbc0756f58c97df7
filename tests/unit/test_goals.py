"""Micro-goals: three small rings the rep controls, with targets from their own numbers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.goals import (
    DEFAULT_TARGETS,
    DayCounts,
    GoalKind,
    GoalTargets,
    goal_progress,
    goals_newly_met,
    ring_geometry,
    suggest_target,
    suggested_targets,
)
from webapp.domain.outcomes import OUTCOME_CODES, Outcome

O = Outcome  # noqa: E741 (short: the tables below name many outcomes)


def tally(**by_outcome: int) -> DayCounts:
    return DayCounts(dials=sum(by_outcome.values()), by_outcome=by_outcome)


def rings(counts: DayCounts, targets: GoalTargets = DEFAULT_TARGETS) -> dict[GoalKind, tuple[int, int, bool]]:
    return {r.kind: (r.done, r.remaining, r.met) for r in goal_progress(counts, targets)}


# --- DayCounts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "conversations", "follow_ups", "rejections"),
    [
        (DayCounts(), 0, 0, 0),
        (tally(no_answer=30, voicemail=5), 0, 0, 0),
        (tally(not_interested=4, conversation=2), 2, 0, 4),
        (tally(conversation=1, follow_up=1, meeting=1, sale=1), 4, 3, 0),  # "or better" counts
        (tally(gatekeeper=7), 0, 0, 0),  # a gatekeeper is not a conversation
    ],
)
def test_what_counts_as_a_conversation_and_a_follow_up(counts, conversations, follow_ups, rejections):
    assert (counts.conversations, counts.follow_ups, counts.rejections) == (conversations, follow_ups, rejections)


def test_every_outcome_is_a_dial():
    counts = DayCounts.from_outcomes([O.NO_ANSWER, "voicemail", O.SALE])
    assert counts.dials == 3
    assert counts.with_call(O.MEETING).dials == 4
    assert counts.with_call(O.MEETING).count("meeting") == 1


def test_outcome_members_and_codes_are_the_same_key():
    counts = DayCounts(dials=2, by_outcome={O.SALE: 2})
    assert counts.count("sale") == counts.count(O.SALE) == 2
    assert list(counts.by_outcome) == ["sale"]


def test_points_add_up_from_the_outcomes():
    assert tally(no_answer=2, not_interested=1).points == 2 * 1 + 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by_outcome": {"won_lottery": 1}}, "Unknown outcome"),
        ({"by_outcome": {"sale": -1}}, "negative"),
        ({"dials": -1}, "negative"),
    ],
)
def test_bad_counts_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DayCounts(**kwargs)


# --- Rings --------------------------------------------------------------------


def test_goal_progress_is_back_to_zero_when_counts_are_zero():
    for ring in goal_progress(DayCounts()):
        assert (ring.done, ring.fraction, ring.met, ring.remaining) == (0, 0.0, False, ring.target)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            tally(no_answer=39),
            {GoalKind.DIALS: (39, 1, False), GoalKind.CONVERSATIONS: (0, 5, False), GoalKind.FOLLOW_UPS: (0, 1, False)},
        ),
        (
            tally(no_answer=35, conversation=4, follow_up=1),
            {GoalKind.DIALS: (40, 0, True), GoalKind.CONVERSATIONS: (5, 0, True), GoalKind.FOLLOW_UPS: (1, 0, True)},
        ),
        (
            tally(no_answer=80),  # going past a goal fills the ring, no more
            {GoalKind.DIALS: (80, 0, True), GoalKind.CONVERSATIONS: (0, 5, False), GoalKind.FOLLOW_UPS: (0, 1, False)},
        ),
    ],
)
def test_goal_progress_table(counts, expected):
    assert rings(counts) == expected


def test_rings_are_shown_dials_first_with_readable_labels():
    assert [r.label for r in goal_progress(DayCounts())] == ["Dials", "Conversations", "Follow-ups won"]


def test_a_target_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        GoalTargets(dials=0)


@pytest.mark.parametrize(
    ("before", "after", "newly_met"),
    [
        (tally(no_answer=39), tally(no_answer=40), [GoalKind.DIALS]),
        (
            tally(no_answer=35, conversation=4),
            tally(no_answer=35, conversation=4, follow_up=1),
            [GoalKind.DIALS, GoalKind.CONVERSATIONS, GoalKind.FOLLOW_UPS],
        ),
        (tally(no_answer=40), tally(no_answer=41), []),  # already met: no second cheer
        (tally(no_answer=40), tally(no_answer=39), []),  # an undo is not a goal
    ],
)
def test_goals_newly_met(before, after, newly_met):
    assert [r.kind for r in goals_newly_met(before, after)] == newly_met


COUNTS = st.builds(
    lambda values: DayCounts(dials=sum(values.values()), by_outcome=values),
    st.dictionaries(st.sampled_from(OUTCOME_CODES), st.integers(min_value=0, max_value=200)),
)
TARGETS = st.builds(
    GoalTargets,
    dials=st.integers(min_value=1, max_value=200),
    conversations=st.integers(min_value=1, max_value=50),
    follow_ups=st.integers(min_value=1, max_value=20),
)


@given(COUNTS, TARGETS)
def test_a_ring_never_overflows_and_remaining_matches_met(counts, targets):
    for ring in goal_progress(counts, targets):
        assert 0.0 <= ring.fraction <= 1.0
        assert ring.met == (ring.remaining == 0) == (ring.fraction == 1.0)


@given(COUNTS, st.sampled_from(OUTCOME_CODES), TARGETS)
def test_one_more_call_never_moves_a_ring_backwards(counts, outcome, targets):
    before = goal_progress(counts, targets)
    after = goal_progress(counts.with_call(outcome), targets)
    assert all(b.fraction <= a.fraction for b, a in zip(before, after, strict=True))


# --- Suggested targets --------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "default", "suggested"),
    [
        ([], 40, 40),  # no history yet: the default
        ([30, 50], 40, 40),  # two days are not a pattern
        ([30, 50, 45], 40, 45),
        ([10, 20, 30, 40], 40, 25),
        ([1, 2, 3, 4], 5, 3),  # an even count: mean of the middle two, half up
        ([0, 0, 0], 5, 1),  # never a target of zero
        ([100] + [20] * 10, 40, 20),  # only the last ten days count
        ([20] * 10 + [100], 40, 20),
        ([5, 200, 6, 7, 5], 40, 6),  # one huge day doesn't set the bar
    ],
)
def test_suggest_target_table(values, default, suggested):
    assert suggest_target(values, default) == suggested


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=30))
def test_a_suggested_target_is_realistic(values):
    recent = values[-10:]
    target = suggest_target(values, 40)
    assert target >= 1
    assert min(recent) <= target <= max(max(recent), 1)


def test_suggested_targets_skip_days_without_a_single_dial():
    history = [
        tally(no_answer=30, conversation=4),
        DayCounts(),
        tally(no_answer=40, conversation=6),
        DayCounts(),
        tally(no_answer=50, conversation=5, follow_up=2),
    ]
    targets = suggested_targets(history)
    # Dials 34, 46, 57; conversations or better 4, 6, 7; follow-ups 0, 0, 2 (but at least 1).
    assert (targets.dials, targets.conversations, targets.follow_ups) == (46, 6, 1)


# --- Ring geometry ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "offset_share"),
    [(0.0, 1.0), (0.25, 0.75), (0.5, 0.5), (1.0, 0.0), (1.7, 0.0), (-0.3, 1.0)],
)
def test_ring_dash_offset_leaves_the_undone_part_empty(fraction, offset_share):
    ring = ring_geometry(fraction, size=64, stroke_width=6)
    assert ring.radius == 29
    assert ring.circumference == pytest.approx(2 * math.pi * 29, abs=0.01)
    assert ring.dash_offset == pytest.approx(ring.circumference * offset_share, abs=0.01)


@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_a_fuller_ring_never_has_a_larger_offset(a, b):
    low, high = sorted((a, b))
    assert ring_geometry(high).dash_offset <= ring_geometry(low).dash_offset


def test_a_ring_too_thick_for_its_size_is_refused():
    with pytest.raises(ValueError):
        ring_geometry(0.5, size=10, stroke_width=6)
