"""Celebrations: cheer what a tap earned, most important first, and never a badge twice."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.badges import PlayerStats, newly_earned
from webapp.domain.celebrations import (
    Celebration,
    CelebrationKind,
    Reward,
    TapSnapshot,
    celebrations_for_tap,
    challenge_reached,
    moment_and_toasts,
    rewards_reached,
)
from webapp.domain.goals import DayCounts, GoalTargets
from webapp.domain.outcomes import OUTCOME_CODES, points_for

K = CelebrationKind


def tally(**by_outcome: int) -> DayCounts:
    return DayCounts(dials=sum(by_outcome.values()), by_outcome=by_outcome)


COFFEE = Reward(1, "Coffee", "dials", 40)
WALK = Reward(2, "A walk outside", "conversations", 3)
CAKE = Reward("cake", "Cake", "follow_ups", 1)
TREAT = Reward(4, "A treat", "points", 100)


@pytest.mark.parametrize(
    ("before", "after", "reached"),
    [
        (tally(no_answer=39), tally(no_answer=40), [COFFEE]),
        (tally(no_answer=40), tally(no_answer=41), []),  # already past it
        (tally(no_answer=40), tally(no_answer=39), []),  # an undo reaches nothing
        (tally(conversation=2), tally(conversation=2, follow_up=1), [WALK, CAKE]),  # a follow-up is a conversation too
        (tally(sale=3), tally(sale=3, not_interested=1), []),  # 90 -> 95 points
        (tally(sale=3, not_interested=1), tally(sale=3, not_interested=2), [TREAT]),  # 95 -> 100 points
    ],
)
def test_rewards_reached_when_a_tap_crosses_the_threshold(before, after, reached):
    assert rewards_reached([COFFEE, WALK, CAKE, TREAT], before, after) == reached


def test_a_reward_already_celebrated_today_stays_quiet():
    assert rewards_reached([COFFEE], tally(no_answer=39), tally(no_answer=40), already_celebrated={1}) == []


def test_a_reward_with_an_unknown_metric_is_refused():
    with pytest.raises(ValueError):
        Reward(9, "Nap", "naps", 1)


def test_a_quiet_tap_celebrates_nothing():
    before = TapSnapshot(xp=10, counts=tally(no_answer=5))
    after = TapSnapshot(xp=11, counts=tally(no_answer=6))
    assert celebrations_for_tap(before, after, [COFFEE]) == []


def test_a_big_tap_celebrates_level_then_badge_then_reward_then_goal():
    targets = GoalTargets(dials=40, conversations=5, follow_ups=1)
    before = TapSnapshot(xp=45, counts=tally(no_answer=39), targets=targets, earned_badges=frozenset({"first_dial"}))
    after = TapSnapshot(
        xp=50,
        counts=tally(no_answer=40),
        targets=targets,
        earned_badges=frozenset({"first_dial", "day_25", "nos_10"}),
    )
    cheers = celebrations_for_tap(before, after, [COFFEE])
    assert [c.kind for c in cheers] == [K.LEVEL, K.BADGE, K.BADGE, K.REWARD, K.GOAL]
    assert cheers[0].title == "Level 2"
    assert [c.title for c in cheers[1:3]] == ["Badge: Warmed up", "Badge: Thick skin"]  # catalogue order
    assert cheers[3].title == "Reward unlocked: Coffee"
    assert cheers[4] == Celebration(K.GOAL, "Dial goal met", cheers[4].message, big=False)
    assert [c.big for c in cheers] == [True, False, False, False, False]


def test_closing_goal_rings_is_a_small_win_even_the_last_one_of_the_day():
    before = TapSnapshot(xp=300, counts=tally(no_answer=34, conversation=5))
    after = TapSnapshot(xp=312, counts=tally(no_answer=34, conversation=5, follow_up=1))
    cheers = celebrations_for_tap(before, after)
    assert [(c.title, c.big) for c in cheers] == [("Dial goal met", False), ("Follow-up goal met", False)]


@pytest.mark.parametrize(
    ("codes", "big"),
    [
        ({"first_meeting"}, True),
        ({"first_sale"}, True),
        ({"first_dial"}, False),
        ({"nos_10"}, False),
        ({"team_challenge"}, False),  # the challenge itself is the big moment, not its badge
    ],
)
def test_only_a_first_meeting_or_first_sale_makes_a_badge_a_big_moment(codes, big):
    before = TapSnapshot(xp=10, counts=tally(no_answer=1), earned_badges=frozenset())
    after = TapSnapshot(xp=10, counts=tally(no_answer=1), earned_badges=frozenset(codes))
    (cheer,) = celebrations_for_tap(before, after)
    assert (cheer.kind, cheer.big, cheer.art) == (K.BADGE, big, f"badge:{next(iter(codes))}")


@pytest.mark.parametrize(("streak", "big_moment"), [(3, True), (5, True), (10, True), (4, False), (None, False)])
def test_a_streak_milestone_reached_by_this_tap_is_a_big_moment(streak, big_moment):
    counts = tally(no_answer=10)
    cheers = celebrations_for_tap(TapSnapshot(5, counts), TapSnapshot(6, counts), streak_reached=streak)
    assert [(c.kind, c.big, c.art) for c in cheers] == ([(K.STREAK, True, f"streak:{streak}")] if big_moment else [])


def test_a_level_up_is_a_big_moment_with_its_number_as_art():
    (cheer,) = celebrations_for_tap(TapSnapshot(45, DayCounts()), TapSnapshot(50, DayCounts()))
    assert (cheer.kind, cheer.big, cheer.art) == (K.LEVEL, True, "level:2")


def test_the_full_screen_shows_the_rarest_big_moment_and_the_rest_are_toasts():
    level = Celebration(K.LEVEL, "Level 3", "...", big=True, art="level:3")
    badge = Celebration(K.BADGE, "Badge: First meeting", "...", big=True, art="badge:first_meeting")
    small = Celebration(K.BADGE, "Badge: Breaking the ice", "...", big=False)
    goal = Celebration(K.GOAL, "Dial goal met", "...", big=False)
    challenge = challenge_reached("500 dials this week", "Night Owls")
    assert moment_and_toasts([level, badge, small, goal]) == (badge, [level, small, goal])
    assert moment_and_toasts([level, challenge]) == (challenge, [level])
    assert moment_and_toasts([small, goal]) == (None, [small, goal])
    assert moment_and_toasts([]) == (None, [])
    assert challenge.big and challenge.art == "badge:team_challenge" and "Night Owls" in challenge.message


def test_copy_is_short_and_warm():
    before = TapSnapshot(xp=0, counts=DayCounts())
    after = TapSnapshot(xp=60, counts=tally(sale=2), earned_badges=frozenset({"first_dial", "first_sale"}))
    for cheer in celebrations_for_tap(before, after, [CAKE]):
        assert 0 < len(cheer.title) <= 40 and 0 < len(cheer.message) <= 80
        assert "!" * 2 not in cheer.message


def test_undo_then_retap_never_celebrates_a_badge_twice():
    """The service's loop: award with newly_earned, celebrate the difference, undo, tap again."""
    held: frozenset[str] = frozenset()
    cheered: list[str] = []

    def tap(counts: DayCounts, xp: int, previous: TapSnapshot) -> TapSnapshot:
        nonlocal held
        stats = PlayerStats(lifetime_dials=counts.dials, today_dials=counts.dials)
        held = held | {b.code for b in newly_earned(stats, held)}
        after = TapSnapshot(xp=xp, counts=counts, earned_badges=held)
        cheered.extend(c.title for c in celebrations_for_tap(previous, after) if c.kind is K.BADGE)
        return after

    start = TapSnapshot(xp=0, counts=DayCounts())
    first = tap(tally(no_answer=1), 1, start)  # first dial
    undone = tap(DayCounts(), 0, first)  # undo: the badge is kept, nothing is cheered
    tap(tally(no_answer=1), 1, undone)  # tap again
    assert cheered == ["Badge: First dial"]


@given(
    st.lists(st.sampled_from(OUTCOME_CODES), max_size=80),
    st.lists(st.sampled_from(OUTCOME_CODES), max_size=5),
)
def test_every_cheer_has_a_known_kind_and_badges_come_only_from_new_codes(calls, more):
    before_counts = DayCounts.from_outcomes(calls)
    after_counts = DayCounts.from_outcomes(calls + more)
    xp_before = sum(points_for(c) for c in calls)
    xp_after = xp_before + sum(points_for(c) for c in more)
    before = TapSnapshot(xp_before, before_counts, earned_badges=frozenset({"first_dial"}))
    after = TapSnapshot(xp_after, after_counts, earned_badges=frozenset({"first_dial"}))
    cheers = celebrations_for_tap(before, after, [COFFEE, WALK, CAKE, TREAT])
    assert all(c.kind is not K.BADGE for c in cheers)
    order = [list(CelebrationKind).index(c.kind) for c in cheers]
    assert order == sorted(order)  # most important first
    assert sum(c.kind is K.LEVEL for c in cheers) <= 1
