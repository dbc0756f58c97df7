"""Board modes as tables: what "near me", private and the wall show of a ranked board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.domain.ranking import Metric
from webapp.domain.visibility import BoardMode, mode_of, near_me, own_only, parse_mode, tv_metric, tv_rows

BOARD = list(range(1, 21))  # twenty reps, ranked 1..20; each row is its own rank


@pytest.mark.parametrize(
    ("viewer", "top", "near", "between", "after"),
    [
        (1, [1, 2, 3], [], 0, 17),  # on the podium: the podium, and a count
        (4, [1, 2, 3, 4, 5, 6], [], 0, 14),  # the neighbourhood runs into the podium
        (6, [1, 2, 3, 4, 5, 6, 7, 8], [], 0, 12),  # two above (4, 5) touch the podium
        (7, [1, 2, 3], [5, 6, 7, 8, 9], 1, 11),  # rank 4 is a count between
        (12, [1, 2, 3], [10, 11, 12, 13, 14], 6, 6),
        (20, [1, 2, 3], [18, 19, 20], 14, 0),  # the last place sees no count below
        (None, [1, 2, 3], [], 0, 17),  # not on the board: the podium and a count
    ],
)
def test_near_me_shows_the_podium_and_the_viewers_neighbourhood(viewer, top, near, between, after):
    view = near_me(BOARD, lambda row: row == viewer)
    assert (view.top, view.near, view.hidden_between, view.hidden_after) == (top, near, between, after)


@pytest.mark.parametrize(("size", "viewer"), [(0, None), (1, 1), (2, 2), (5, 5)])
def test_near_me_on_a_small_board_shows_everyone(size, viewer):
    rows = list(range(1, size + 1))
    view = near_me(rows, lambda row: row == viewer)
    assert view.top + view.near == rows and view.hidden_between == view.hidden_after == 0


def test_no_rank_is_ever_shown_twice_or_lost_in_near_me():
    for viewer in BOARD:
        view = near_me(BOARD, lambda row, v=viewer: row == v)
        shown = view.top + view.near
        assert len(shown) == len(set(shown))
        assert len(shown) + view.hidden_between + view.hidden_after == len(BOARD)


def test_private_shows_only_the_viewers_own_row():
    assert own_only(BOARD, lambda row: row == 9) == [9]
    assert own_only(BOARD, lambda row: False) == []


@pytest.mark.parametrize(
    ("mode", "shown"),
    [(BoardMode.FULL, [1, 2, 3, 4, 5]), (BoardMode.NEAR_ME, [1, 2, 3, 4, 5]), (BoardMode.PRIVATE, [])],
)
def test_the_wall_never_shows_a_rank_below_the_top_five(mode, shown):
    assert tv_rows(BOARD, mode) == shown


@pytest.mark.parametrize(
    ("raw", "mode"), [("near_me", BoardMode.NEAR_ME), ("full", BoardMode.FULL), ("", BoardMode.NEAR_ME)]
)
def test_a_stored_mode_reads_kindly(raw, mode):
    assert mode_of(raw) is mode


@pytest.mark.parametrize("raw", ["", "everyone", None])
def test_an_unknown_mode_from_a_form_is_refused(raw):
    with pytest.raises(ValueError, match="near me"):
        parse_mode(raw)


@pytest.mark.parametrize(
    ("seconds", "metric"),
    [
        (0, Metric.POINTS),
        (19, Metric.POINTS),
        (20, Metric.DIALS),
        (39, Metric.DIALS),
        (40, Metric.MEETINGS),
        (60, Metric.POINTS),
    ],
)
def test_the_wall_cycles_points_dials_and_meetings_every_20_seconds(seconds, metric):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a whole minute: a cycle starts on it
    assert tv_metric(start + timedelta(seconds=seconds)) is metric
