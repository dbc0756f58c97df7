"""Badges: earned once, withdrawn only when an undo makes them untrue, drawn safely for a strict CSP."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.badge_art import FAMILY_COLOURS, LOCKED_FILL, LOCKED_TEXT, badge_svg, moment_svg
from webapp.domain.badges import (
    BADGES,
    DAY_CALL_METRICS,
    KEPT_METRICS,
    LIFETIME_CALL_METRICS,
    METRICS,
    PERSONAL_BEST_MINIMUM,
    Badge,
    BadgeFamily,
    PlayerStats,
    badge_by_code,
    badge_progress,
    newly_earned,
    no_longer_earned,
)
from webapp.domain.outcomes import OUTCOME_CODES

SVG = "{http://www.w3.org/2000/svg}"


def codes(badges: list[Badge]) -> list[str]:
    return [b.code for b in badges]


# --- The catalogue --------------------------------------------------------------


def test_there_are_at_least_28_badges_with_unique_codes():
    assert len(BADGES) >= 28
    assert len({b.code for b in BADGES}) == len(BADGES)


def test_every_family_has_badges_and_every_badge_says_how_to_earn_it():
    assert {b.family for b in BADGES} == set(BadgeFamily)
    for badge in BADGES:
        assert badge.name and badge.description.endswith(".") and badge.cheer and badge.glyph


@pytest.mark.parametrize(
    ("code", "metric", "threshold"),
    [
        ("first_dial", "lifetime_dials", 1),
        ("day_25", "today_dials", 25),
        ("day_50", "today_dials", 50),
        ("day_100", "today_dials", 100),
        ("dials_1k", "lifetime_dials", 1000),
        ("dials_10k", "lifetime_dials", 10000),
        ("nos_10", "lifetime_rejections", 10),
        ("nos_100", "lifetime_rejections", 100),
        ("nos_1000", "lifetime_rejections", 1000),
        ("bounce_10", "bounce_backs", 10),
        ("bounce_50", "bounce_backs", 50),
        ("first_follow_up", "lifetime_follow_ups", 1),
        ("first_meeting", "lifetime_meetings", 1),
        ("first_sale", "lifetime_sales", 1),
        ("meetings_3_day", "today_meetings", 3),
        ("goal_days_5", "goal_days", 5),
        ("goal_days_20", "goal_days", 20),
        ("streak_5", "streak", 5),
        ("streak_20", "streak", 20),
        ("streak_60", "streak", 60),
        ("early_bird", "dialled_before_nine", 1),
        ("personal_best", "beat_best_day", 1),
        ("high_fives_10", "high_fives_given", 10),
        ("first_message", "messages_posted", 1),
        ("team_challenge", "challenges_reached", 1),
        ("reviews_10", "reviews", 10),
        ("reviews_50", "reviews", 50),
        ("resets_5", "resets", 5),
        ("objections_5", "distinct_objections_reviewed", 5),
    ],
)
def test_the_badges_the_product_promises(code, metric, threshold):
    badge = badge_by_code(code)
    assert (badge.metric, badge.threshold) == (metric, threshold)


def test_ten_nos_earn_thick_skin():
    assert badge_by_code("nos_10").name == "Thick skin"


def test_an_unknown_badge_code_is_a_clear_error():
    with pytest.raises(KeyError, match="no_such_badge"):
        badge_by_code("no_such_badge")


def test_a_badge_reading_an_unknown_metric_cannot_be_defined():
    with pytest.raises(ValueError, match="unknown metric"):
        Badge("x", "X", "Do x.", BadgeFamily.EFFORT, "vibes", 1, "X", "Yay.")


# --- Earning ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stats", "earned"),
    [
        (PlayerStats(), []),
        (PlayerStats(lifetime_dials=1, today_dials=1, lifetime_outcomes={"no_answer": 1}), ["first_dial"]),
        (PlayerStats(lifetime_dials=25, today_dials=25), ["first_dial", "day_25"]),
        (PlayerStats(lifetime_outcomes={"not_interested": 10}), ["nos_10"]),
        (PlayerStats(lifetime_outcomes={"meeting": 1}), ["first_conversation", "first_follow_up", "first_meeting"]),
        (PlayerStats(lifetime_outcomes={"sale": 1}), ["first_conversation", "first_follow_up", "first_sale"]),
        (PlayerStats(today_meetings=3), ["meetings_3_day"]),
        (PlayerStats(current_streak=0, longest_streak=20), ["streak_5", "streak_20"]),  # kept after a break
        (PlayerStats(current_streak=5, longest_streak=5), ["streak_5"]),
        (
            PlayerStats(high_fives_given=10, messages_posted=1, challenges_reached=1),
            ["high_fives_10", "first_message", "team_challenge"],
        ),
        (PlayerStats(reviews=10, resets=5, distinct_objections_reviewed=5), ["reviews_10", "resets_5", "objections_5"]),
    ],
)
def test_newly_earned_table(stats, earned):
    assert codes(newly_earned(stats, set())) == earned


@pytest.mark.parametrize(
    ("earliest_minute", "earned"),
    [(None, False), (8 * 60 + 59, True), (9 * 60, False), (7 * 60, True), (13 * 60, False)],
)
def test_early_bird_means_a_first_dial_before_nine_local_time(earliest_minute, earned):
    stats = PlayerStats(earliest_dial_minute_today=earliest_minute)
    assert ("early_bird" in codes(newly_earned(stats, set()))) == earned


@pytest.mark.parametrize(
    ("best_before", "today", "earned"),
    [
        (0, 5, False),  # day one: there is no best to beat yet
        (PERSONAL_BEST_MINIMUM - 1, 50, False),  # a tiny best doesn't count yet
        (PERSONAL_BEST_MINIMUM, PERSONAL_BEST_MINIMUM, False),  # equalling is not beating
        (PERSONAL_BEST_MINIMUM, PERSONAL_BEST_MINIMUM + 1, True),
        (60, 61, True),
    ],
)
def test_a_personal_best_means_beating_a_real_best_day(best_before, today, earned):
    stats = PlayerStats(best_previous_day_dials=best_before, today_dials=today)
    assert ("personal_best" in codes(newly_earned(stats, set()))) == earned


def test_a_badge_already_held_is_never_awarded_again():
    stats = PlayerStats(lifetime_dials=30, today_dials=30)
    assert codes(newly_earned(stats, {"first_dial"})) == ["day_25"]
    assert newly_earned(stats, {"first_dial", "day_25"}) == []


@pytest.mark.parametrize(
    ("code", "stats", "progress"),
    [
        ("day_50", PlayerStats(today_dials=37), (37, 50)),
        ("day_50", PlayerStats(today_dials=80), (50, 50)),  # capped: never "80/50"
        ("nos_100", PlayerStats(lifetime_outcomes={"not_interested": 12}), (12, 100)),
        ("early_bird", PlayerStats(), (0, 1)),
        ("streak_20", PlayerStats(current_streak=3, longest_streak=7), (7, 20)),
    ],
)
def test_badge_progress_for_a_37_of_50_label(code, stats, progress):
    assert badge_progress(badge_by_code(code), stats) == progress


COUNTER = st.integers(min_value=0, max_value=12_000)
STATS = st.builds(
    PlayerStats,
    lifetime_dials=COUNTER,
    lifetime_outcomes=st.dictionaries(st.sampled_from(OUTCOME_CODES), COUNTER),
    today_dials=st.integers(min_value=0, max_value=150),
    today_meetings=st.integers(min_value=0, max_value=5),
    bounce_backs=COUNTER,
    goal_days=COUNTER,
    current_streak=st.integers(min_value=0, max_value=80),
    longest_streak=st.integers(min_value=0, max_value=80),
    earliest_dial_minute_today=st.one_of(st.none(), st.integers(min_value=0, max_value=1439)),
    best_previous_day_dials=st.integers(min_value=0, max_value=150),
    reviews=COUNTER,
    resets=st.integers(min_value=0, max_value=10),
    high_fives_given=COUNTER,
    messages_posted=COUNTER,
    challenges_reached=st.integers(min_value=0, max_value=3),
    distinct_objections_reviewed=st.integers(min_value=0, max_value=6),
)


@given(st.lists(STATS, max_size=12))
def test_every_badge_is_awarded_at_most_once_across_any_sequence_of_stats(sequence):
    # Stats can go up and down (undo, a new day); the held set only grows.
    held: set[str] = set()
    awarded: list[str] = []
    for stats in sequence:
        new = codes(newly_earned(stats, held))
        assert not set(new) & held
        awarded += new
        held |= set(new)
    assert len(awarded) == len(set(awarded))


@given(STATS)
def test_progress_never_exceeds_the_target_and_is_full_exactly_when_earned(stats):
    earned = set(codes(newly_earned(stats, set())))
    for badge in BADGES:
        current, target = badge_progress(badge, stats)
        assert 0 <= current <= target == badge.threshold
        assert (current == target) == (badge.code in earned)


# --- Art ----------------------------------------------------------------------------


@pytest.mark.parametrize("earned", [True, False])
@pytest.mark.parametrize("badge", BADGES, ids=lambda b: b.code)
def test_badge_art_is_well_formed_accessible_and_csp_safe(badge, earned):
    svg = badge_svg(badge, earned)
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and badge.name in root.get("aria-label")
    assert root.find(f"{SVG}title").text == root.get("aria-label")
    assert not any("style" in el.attrib for el in root.iter())  # no inline styles
    assert not any(el.tag in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject") for el in root.iter())
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)


def test_locked_art_is_grey_and_says_how_to_earn_it():
    badge = badge_by_code("day_50")
    locked, earned = badge_svg(badge, earned=False), badge_svg(badge, earned=True)
    assert LOCKED_FILL in locked and FAMILY_COLOURS[badge.family] not in locked
    assert FAMILY_COLOURS[badge.family] in earned
    assert badge.description in ET.fromstring(locked).get("aria-label")


def test_every_badge_has_its_own_art():
    assert len({badge_svg(b, earned=True) for b in BADGES}) == len(BADGES)
    # ...and not only by its label: the drawing itself differs.
    drawings = {re.sub(r'(aria-label|data-badge)="[^"]*"|<title>.*?</title>', "", badge_svg(b, True)) for b in BADGES}
    assert len(drawings) == len(BADGES)


def test_badge_text_is_escaped():
    sneaky = replace(badge_by_code("first_dial"), name='<script>alert("x")</script>', glyph="<&>")
    svg = badge_svg(sneaky, earned=True)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text.startswith('<script>alert("x")')  # shown as text, not markup


def test_badge_art_scales_to_the_requested_size():
    root = ET.fromstring(badge_svg(BADGES[0], earned=True, size=96))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("96", "96", "0 0 64 64")


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize(
    ("background", "text"),
    [*((colour, "#ffffff") for colour in FAMILY_COLOURS.values()), (LOCKED_FILL, LOCKED_TEXT)],
)
def test_badge_text_has_readable_contrast(background, text):
    light, dark = sorted((_luminance(background), _luminance(text)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


# ---- what an undo takes back

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def test_every_metric_is_either_a_calls_or_kept():
    assert LIFETIME_CALL_METRICS | DAY_CALL_METRICS | KEPT_METRICS == set(METRICS)
    assert {"streak", "reviews", "resets", "high_fives_given"} <= KEPT_METRICS


@pytest.mark.parametrize(
    "held, lifetime, days, withdrawn",
    [
        # A sale undone: "First sale" is no longer true; "First dial" still is.
        ({"first_sale": MONDAY, "first_dial": MONDAY}, PlayerStats(lifetime_dials=1), {}, ["first_sale"]),
        ({"first_sale": MONDAY}, PlayerStats(lifetime_dials=2, lifetime_outcomes={"sale": 1}), {}, []),
        # A streak reached and reviews written cannot be undone by a tap.
        ({"streak_5": MONDAY, "reviews_10": MONDAY}, PlayerStats(), {}, []),
        # A day badge is read on the day it was earned, and only when that day lost a call.
        ({"day_25": MONDAY}, PlayerStats(), {MONDAY: PlayerStats(today_dials=24)}, ["day_25"]),
        ({"day_25": MONDAY}, PlayerStats(), {TUESDAY: PlayerStats(today_dials=0)}, []),
        ({"day_25": MONDAY}, PlayerStats(), {MONDAY: PlayerStats(today_dials=25)}, []),
        ({"early_bird": MONDAY}, PlayerStats(), {MONDAY: PlayerStats(earliest_dial_minute_today=600)}, ["early_bird"]),
    ],
)
def test_an_undo_withdraws_only_what_it_made_untrue(held, lifetime, days, withdrawn):
    assert codes(no_longer_earned(held, lifetime, days)) == withdrawn


@pytest.mark.parametrize(
    ("art", "label"),
    [
        ("badge:first_meeting", "First meeting badge, earned"),
        ("badge:first_sale", "First sale badge, earned"),
        ("level:7", "Level 7"),
        ("streak:10", "10-day streak"),
    ],
)
def test_every_big_moment_has_labelled_art_that_renders_under_a_strict_csp(art, label):
    svg = moment_svg(art)
    assert svg.startswith("<svg") and f'aria-label="{label}"' in svg and 'width="120"' in svg
    assert "style" not in svg and "<script" not in svg


@pytest.mark.parametrize("art", ["", "badge:nope", "level:x", "tea:3"])
def test_unknown_moment_art_is_simply_left_out(art):
    assert moment_svg(art) == ""
