"""Weekly leagues as tables: sizes from five to eight, grouped by last week's dials."""

from __future__ import annotations

import pytest

from webapp.domain.leagues import group_leagues, has_leagues, in_promotion_zone, league_sizes


@pytest.mark.parametrize(
    ("members", "sizes"),
    [
        (0, []),
        (8, [8]),
        (9, [5, 4]),  # the one size where five to eight cannot hold
        (10, [5, 5]),
        (16, [8, 8]),
        (17, [6, 6, 5]),
        (20, [7, 7, 6]),
        (41, [7, 7, 7, 7, 7, 6]),
    ],
)
def test_league_sizes_are_as_even_as_can_be(members, sizes):
    assert league_sizes(members) == sizes


def test_from_ten_members_every_league_holds_five_to_eight():
    for members in range(10, 200):
        assert all(5 <= size <= 8 for size in league_sizes(members)), members


@pytest.mark.parametrize(("members", "leagues"), [(8, False), (9, True), (30, True)])
def test_only_teams_of_more_than_eight_race_in_leagues(members, leagues):
    assert has_leagues(members) is leagues


def test_the_busiest_race_each_other_and_new_reps_race_new_reps():
    entries = [(dials, f"Rep {n:02}", n) for n, dials in enumerate([300, 0, 250, 0, 120, 90, 80, 0, 200, 60, 0, 150])]
    leagues = group_leagues(entries)
    assert leagues == [[0, 2, 8, 11, 4, 5], [6, 9, 1, 3, 7, 10]]  # the four new reps (0 dials) share the second


def test_ties_group_by_name_so_a_refresh_never_reshuffles():
    entries = [(10, name, name) for name in ["cy", "Al", "bo", "Di", "ed", "Fa", "gi", "Hu", "io", "Jo"]]
    assert group_leagues(entries) == [["Al", "bo", "cy", "Di", "ed"], ["Fa", "gi", "Hu", "io", "Jo"]]


@pytest.mark.parametrize(("league", "rank", "moving"), [(1, 1, False), (2, 1, True), (2, 2, True), (2, 3, False)])
def test_the_top_two_of_a_lower_league_are_on_course_to_move_up(league, rank, moving):
    assert in_promotion_zone(league, rank) is moving
