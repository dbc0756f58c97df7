"""Bursts in the team feed: a rep's wins close together are one item; big moments and posts stand alone;
pages cut anywhere show every win once, each burst whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.feed_bursts import (
    BURST_GAP,
    bursts,
    feed_entries,
    headline,
    in_one_burst,
    joins_bursts,
)
from webapp.domain.feed_wording import burst_line, burst_parts, win_detail, win_phrase

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("earlier", "later", "together"),
    [
        (at(0), at(0), True),  # one tap, several wins
        (at(0), at(29), True),
        (at(0), at(30), True),  # the gap itself still counts
        (at(0), at(30) + timedelta(microseconds=1), False),
        (at(0), at(95), False),
        (at(10), at(0), False),  # out of order is no burst
    ],
)
def test_two_wins_share_a_burst_when_no_more_than_the_gap_apart(earlier, later, together):
    assert in_one_burst(earlier, later) is together
    assert BURST_GAP == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        ([], []),
        ([0], [[0]]),
        ([0, 5, 12], [[0, 5, 12]]),
        ([0, 25, 50, 75], [[0, 25, 50, 75]]),  # a chain: each within the gap of the one before
        ([0, 31], [[0], [31]]),  # a gap longer than the burst makes two
        ([0, 10, 60, 70, 200], [[0, 10], [60, 70], [200]]),
        ([0, 0, 0], [[0, 0, 0]]),
    ],
)
def test_a_reps_wins_are_cut_into_bursts_where_they_pause(minutes, expected):
    assert bursts([at(m) for m in minutes]) == [[at(m) for m in burst] for burst in expected]


@pytest.mark.parametrize(
    ("kind", "ref", "joins"),
    [
        ("badge", "badge:day_25", True),
        ("badge", "badge:early_bird", True),
        ("goal", "goal:2026-11-20:dials", True),
        ("best", "best:2026-11-20", True),
        ("meeting", "call:abc", True),
        ("sale", "call:abc", True),
        ("badge", "badge:first_meeting", False),  # big moments stand alone
        ("badge", "badge:first_sale", False),
        ("level", "level:4", False),
        ("streak", "streak:5:2026-11-20", False),
        ("tough", "tough:abc", False),  # shared by the rep, like a post
        ("reward", "reward:1:2026-11-20", False),
        ("something_new", "x", False),
    ],
)
def test_automatic_wins_join_bursts_and_big_moments_stand_alone(kind, ref, joins):
    assert joins_bursts(kind, ref) is joins


@pytest.mark.parametrize(
    ("kinds", "named"),
    [
        (["badge", "goal", "sale", "meeting"], "sale"),
        (["badge", "meeting", "goal"], "meeting"),
        (["badge", "best", "goal"], "goal"),
        (["badge", "best"], "best"),
        (["badge"], "badge"),
        ([], None),
    ],
)
def test_a_burst_is_named_by_its_most_telling_win(kinds, named):
    assert headline(kinds) == named


@pytest.mark.parametrize(
    ("kind", "ref", "title", "english"),
    [
        ("badge", "badge:day_25", "Badge: Warmed up", "Badge: Warmed up"),
        ("goal", "goal:2026-11-20:follow_ups", "Follow-ups won goal met", "Follow-up goal met"),
        ("goal", "goal:2026-11-20:dials", "Dials goal met", "Dial goal met"),
        ("best", "best:2026-11-20", "New personal best day", "New personal best day"),
        ("meeting", "call:x", "Meeting booked", "Meeting booked"),
        ("level", "level:7", "Reached level 7", "Reached level 7"),
        ("streak", "streak:10:2026-11-20", "10-day streak", "10-day streak"),
        ("badge", "badge:retired_code", "Badge: Old one", "Badge: Old one"),  # unknown: the stored title
        ("badge", "test:1", "win 1", "win 1"),
    ],
)
def test_the_feed_names_a_win_from_what_it_is(kind, ref, title, english):
    assert win_phrase(kind, ref, title) == english


def test_a_badge_standing_alone_explains_itself_and_a_best_keeps_its_numbers():
    assert win_detail("badge", "badge:day_25", "") == "Make 25 dials in one day."
    assert win_detail("best", "best:2026-11-20", "42 dials (was 30)") == "42 dials (was 30)"
    assert win_detail("meeting", "call:x", "") == ""


@pytest.mark.parametrize(
    ("calls", "parts", "line"),
    [
        (5, ["Badge: Warmed up", "Dial goal met"], "5 calls · Badge: Warmed up · Dial goal met"),
        (1, ["Meeting booked"], "1 call · Meeting booked"),
        (0, ["Badge: Breather"], "Badge: Breather"),  # a badge from a reset: no calls to lead with
    ],
)
def test_a_burst_reads_as_one_line_led_by_its_calls(calls, parts, line):
    assert burst_line(calls, parts) == line


@pytest.mark.parametrize(
    ("wins", "parts"),
    [
        ([("badge", "badge:day_25", "")], ["Badge: Warmed up"]),
        (
            [("badge", "badge:first_dial", ""), ("meeting", "call:x", ""), ("badge", "badge:first_follow_up", "")],
            ["Badges: First dial, Foot in the door", "Meeting booked"],
        ),
        ([("goal", "goal:d:dials", ""), ("badge", "badge:gone", "Badge: Gone")], ["Dial goal met", "Badge: Gone"]),
    ],
)
def test_several_badges_in_a_burst_are_one_part(wins, parts):
    assert list(burst_parts(wins)) == parts


# ---------------------------------------------------------------- the walk over the feed


@dataclass(frozen=True)
class Row:
    id: int
    user_id: int | None
    minute: float
    grouped: bool = True
    source: int = 0

    @property
    def at(self) -> datetime:
        return at(self.minute)

    @property
    def order(self) -> tuple[datetime, int, int]:
        return (self.at, self.source, self.id)


def walk(rows: list[Row]) -> list[list[int]]:
    """Entries as lists of ids, oldest row first, newest entry first."""
    newest_first = sorted(rows, key=lambda row: row.order, reverse=True)
    return [[row.id for row in reversed(entry)] for entry in feed_entries(newest_first)]


SAM, ANA = 1, 2


@pytest.mark.parametrize(
    ("rows", "entries"),
    [
        ([], []),
        (  # Sam's badge, goal and best in one burst are one entry
            [Row(1, SAM, 0), Row(2, SAM, 10), Row(3, SAM, 20)],
            [[1, 2, 3]],
        ),
        (  # a first meeting in the middle stands alone and does not break the burst
            [Row(1, SAM, 0), Row(2, SAM, 5, grouped=False), Row(3, SAM, 5)],
            [[2], [1, 3]],
        ),
        (  # a post stands alone
            [Row(1, SAM, 0), Row(1, SAM, 1, grouped=False, source=1), Row(2, SAM, 2)],
            [[1], [1, 2]],
        ),
        (  # a gap longer than the burst makes two entries
            [Row(1, SAM, 0), Row(2, SAM, 45)],
            [[2], [1]],
        ),
        (  # bursts of two reps interleave; each takes its place from its first win
            [Row(1, SAM, 0), Row(2, ANA, 5), Row(3, SAM, 20), Row(4, ANA, 25)],
            [[2, 4], [1, 3]],
        ),
        (  # a post after a burst began sits above it, even while the burst grows past it
            [Row(1, SAM, 0), Row(9, ANA, 10, grouped=False, source=1), Row(2, SAM, 20)],
            [[9], [1, 2]],
        ),
        (  # a long chain is one burst
            [Row(n, SAM, 25 * n) for n in range(1, 8)],
            [[1, 2, 3, 4, 5, 6, 7]],
        ),
    ],
)
def test_the_walk_makes_one_entry_per_burst_newest_place_first(rows, entries):
    assert walk(rows) == entries


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from([SAM, ANA, 3]),
        st.integers(min_value=0, max_value=300),  # minutes
        st.booleans(),  # grouped
        st.sampled_from([0, 0, 0, 1]),  # source: mostly wins
    ),
    max_size=40,
).map(
    lambda raw: [
        Row(n + 1, user, minute, grouped and source == 0, source)
        for n, (user, minute, grouped, source) in enumerate(raw)
    ]
)


def reference_entries(rows: list[Row]) -> set[tuple[int, ...]]:
    """Each rep's grouped wins cut by the gap rule (their ids), every other row alone (-1 and its id)."""
    found: set[tuple[int, ...]] = {(-1, row.id) for row in rows if not row.grouped}
    for user in {row.user_id for row in rows}:
        mine = sorted((row for row in rows if row.grouped and row.user_id == user), key=lambda row: row.order)
        burst: list[Row] = []
        for row in mine:
            if burst and not in_one_burst(burst[-1].at, row.at):
                found.add(tuple(r.id for r in burst))
                burst = []
            burst.append(row)
        if burst:
            found.add(tuple(r.id for r in burst))
    return found


@settings(max_examples=200, deadline=None)
@given(rows_strategy)
def test_the_walk_gathers_exactly_the_bursts_the_rule_defines_in_place_order(rows):
    newest_first = sorted(rows, key=lambda row: row.order, reverse=True)
    entries = list(feed_entries(newest_first))
    assert sorted(row.id for entry in entries for row in entry) == sorted(row.id for row in rows)
    places = [entry[-1].order for entry in entries]
    assert places == sorted(places, reverse=True) and len(set(places)) == len(places)
    as_ids = {tuple(row.id for row in reversed(entry)) if entry[-1].grouped else (-1, entry[0].id) for entry in entries}
    assert as_ids == reference_entries(rows)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.integers(min_value=1, max_value=6))
def test_pages_cut_at_any_size_show_every_row_once_and_each_burst_on_one_page(rows, page_size):
    """The feed read page by page (each from the place the last one ended) matches the whole walk.

    A page sees only rows older than its cursor; the rows of a burst above it
    are what ``burst_onward`` adds in the service, so here they are put back
    from the whole walk to compare.
    """
    newest_first = sorted(rows, key=lambda row: row.order, reverse=True)
    whole = list(feed_entries(newest_first))
    pages: list[tuple[Row, ...]] = []
    cursor = None
    while True:
        below = [row for row in newest_first if cursor is None or row.order < cursor]
        page = []
        for entry in feed_entries(below):
            page.append(entry)
            if len(page) == page_size:
                break
        for entry in page:
            full = next(candidate for candidate in whole if candidate[-1] == entry[-1])
            assert entry == tuple(row for row in full if cursor is None or row.order < cursor)
        pages.extend(page)
        if len(page) < page_size:
            break
        cursor = page[-1][-1].order
    assert [entry[-1] for entry in pages] == [entry[-1] for entry in whole]
