"""The rules that help a rep shake off a no: review, resets, bounce back, closer to yes."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.outcomes import OUTCOME_CODES, Outcome
from webapp.domain.resilience import (
    BOUNCE_BACK_POINTS,
    RESET_POINTS,
    RESETS,
    RESETS_REWARDED_PER_DAY,
    ResetKind,
    closer_to_yes,
    is_bounce_back,
    rejection_run,
    reset_info,
    reset_points,
    reset_ready_after_seconds,
    should_offer_reset,
)
from webapp.domain.reviews import (
    OBJECTIONS,
    REVIEW_POINTS,
    REVIEW_TOGGLES,
    Objection,
    ReviewInput,
    review_points,
    validate_review,
)

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


# --- the review --------------------------------------------------------------


def test_objections_are_the_six_the_product_names():
    assert OBJECTIONS == (
        ("no_budget", "No budget"),
        ("bad_timing", "Bad timing"),
        ("too_busy", "Too busy / other priorities"),
        ("not_decision_maker", "Not the decision-maker"),
        ("happy_with_provider", "Happy with current provider"),
        ("other", "Other"),
    )


def test_review_asks_three_questions_in_order():
    assert [label for _, label in REVIEW_TOGGLES] == [
        "Asked the right questions?",
        "Listened actively?",
        "Was the timing right?",
    ]


@pytest.mark.parametrize(
    ("toggles", "objection", "next_time", "expected"),
    [
        ({}, None, None, ReviewInput()),
        ({}, "", "   ", ReviewInput()),
        (
            {"asked_right_questions": True, "listened_actively": False},
            "no_budget",
            "  Ask about budget cycle first.  ",
            ReviewInput(True, False, None, Objection.NO_BUDGET, "Ask about budget cycle first."),
        ),
        ({"timing_right": "yes"}, None, None, ReviewInput(timing_right=True)),
        ({"timing_right": "no"}, None, None, ReviewInput(timing_right=False)),
        ({"timing_right": ""}, None, None, ReviewInput()),
        ({}, " other ", None, ReviewInput(objection=Objection.OTHER)),
        ({}, None, "x" * 140, ReviewInput(next_time="x" * 140)),
    ],
)
def test_every_part_of_the_review_is_optional_and_cleaned(toggles, objection, next_time, expected):
    assert validate_review(toggles, objection, next_time) == expected


@pytest.mark.parametrize(
    ("toggles", "objection", "next_time", "message"),
    [
        ({}, "too_expensive", None, "Unknown objection 'too_expensive'"),
        ({}, None, "x" * 141, "at most 140 characters; this one has 141"),
        ({"smiled": True}, None, None, "Unknown review question 'smiled'"),
        ({"timing_right": "maybe"}, None, None, "must be yes, no or left blank"),
    ],
)
def test_bad_review_input_gets_a_clear_message(toggles, objection, next_time, message):
    with pytest.raises(ValueError, match=message):
        validate_review(toggles, objection, next_time)


def test_the_140_character_limit_applies_after_stripping():
    assert validate_review({}, None, "  " + "x" * 140 + "  ").next_time == "x" * 140


@pytest.mark.parametrize(
    ("review", "points"),
    [
        (ReviewInput(), 0),
        (ReviewInput(timing_right=False), REVIEW_POINTS),
        (ReviewInput(objection=Objection.BAD_TIMING), REVIEW_POINTS),
        (ReviewInput(next_time="Open with a question."), REVIEW_POINTS),
    ],
)
def test_a_review_earns_points_unless_nothing_was_answered(review, points):
    assert review_points(review) == points


# --- resets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("already_rewarded", "minutes", "points"),
    [
        (0, 1, RESET_POINTS),
        (0, 5, RESET_POINTS),
        (RESETS_REWARDED_PER_DAY - 1, 2, RESET_POINTS),
        (RESETS_REWARDED_PER_DAY, 2, 0),
        (RESETS_REWARDED_PER_DAY + 5, 2, 0),
    ],
)
def test_a_reset_is_rewarded_up_to_the_daily_cap_and_never_punished(already_rewarded, minutes, points):
    assert reset_points(already_rewarded, minutes) == points


@pytest.mark.parametrize("minutes", [0, 6, -1, 60])
def test_a_reset_lasts_one_to_five_minutes(minutes):
    with pytest.raises(ValueError, match="1 to 5 minutes"):
        reset_points(0, minutes)


@pytest.mark.parametrize(("minutes", "seconds"), [(1, 30), (2, 60), (3, 90), (5, 150)])
def test_a_rep_may_say_they_are_ready_after_half_the_reset(minutes, seconds):
    assert reset_ready_after_seconds(minutes) == seconds


@pytest.mark.parametrize("minutes", [0, 6, True])
def test_the_half_way_moment_needs_a_real_reset_length(minutes):
    with pytest.raises(ValueError, match="1 to 5 minutes"):
        reset_ready_after_seconds(minutes)


@pytest.mark.parametrize("kind", list(ResetKind))
def test_every_reset_has_a_label_and_guided_steps(kind):
    info = reset_info(kind)
    assert info.label and len(info.steps) >= 3
    assert 1 <= info.suggested_minutes <= 5


def test_breathing_reset_is_box_breathing_four_four_four_four():
    steps = reset_info("breathing").steps
    assert len(steps) == 4 and all("4" in step for step in steps)


def test_unknown_reset_is_refused():
    with pytest.raises(ValueError, match="Unknown reset 'nap'"):
        reset_info("nap")


def test_resets_are_offered_in_the_order_breathing_stretch_walk():
    assert [info.kind for info in RESETS] == ["breathing", "stretch", "walk"]


# --- bounce back -------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "gap_seconds", "expected"),
    [
        ("not_interested", 30, True),
        ("not_interested", 0, True),
        ("not_interested", 120, True),
        ("not_interested", 121, False),
        ("not_interested", -5, False),
        ("voicemail", 30, False),
        ("no_answer", 30, False),
        ("conversation", 30, False),
        ("sale", 30, False),
        (None, 30, False),
    ],
)
def test_dialling_again_soon_after_a_no_is_a_bounce_back(previous, gap_seconds, expected):
    assert is_bounce_back(previous, NOW, NOW + timedelta(seconds=gap_seconds)) is expected


def test_bounce_back_window_can_be_tuned():
    assert is_bounce_back(Outcome.NOT_INTERESTED, NOW, NOW + timedelta(minutes=4), window_seconds=300)


def test_bounce_back_is_worth_a_little():
    assert 0 < BOUNCE_BACK_POINTS < RESET_POINTS


# --- runs of no's ------------------------------------------------------------


@pytest.mark.parametrize(
    ("newest_first", "run"),
    [
        ([], 0),
        (["not_interested"], 1),
        (["not_interested", "not_interested", "not_interested"], 3),
        (["not_interested", "voicemail", "not_interested", "no_answer", "gatekeeper", "not_interested"], 3),
        (["voicemail", "not_interested", "not_interested"], 2),
        (["not_interested", "conversation", "not_interested", "not_interested"], 1),
        (["conversation", "not_interested"], 0),
        (["not_interested", "sale", "not_interested"], 1),
        (["no_answer", "voicemail"], 0),
    ],
)
def test_unanswered_dials_neither_extend_nor_break_a_run_of_nos(newest_first, run):
    assert rejection_run(newest_first) == run


def test_a_run_with_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="Unknown outcome"):
        rejection_run(["not_interested", "hung_up"])


@pytest.mark.parametrize(
    ("run", "threshold", "offered"),
    [
        (0, 3, False),
        (1, 3, False),
        (2, 3, False),
        (3, 3, True),
        (4, 3, False),
        (6, 3, True),
        (9, 3, True),
        (2, 2, True),
        (5, 5, True),
    ],
)
def test_a_reset_is_offered_at_the_threshold_and_every_threshold_after(run, threshold, offered):
    assert should_offer_reset(run, threshold) is offered


def test_a_zero_threshold_is_refused():
    with pytest.raises(ValueError):
        should_offer_reset(3, 0)


# --- closer to yes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("dials", "positives", "dials_in", "per_yes", "fraction", "message"),
    [
        (180, 10, 11, 18, 11 / 18, "About 1 yes every 18 dials - 11 dials in."),
        (175, 10, 0, 18, 0.0, "About 1 yes every 18 dials - 0 dials in."),
        (180, 10, 1, 18, 1 / 18, "About 1 yes every 18 dials - 1 dial in."),
        (180, 10, 18, 18, 1.0, "About 1 yes every 18 dials - 18 dials in, right at the usual mark. A yes is due."),
        (180, 10, 25, 18, 1.0, "About 1 yes every 18 dials - 25 dials in, past the usual mark. A yes is due."),
        (50, 50, 0, 1, 0.0, "About 1 yes every dial - 0 dials in."),
    ],
)
def test_closer_to_yes_uses_the_reps_own_numbers(dials, positives, dials_in, per_yes, fraction, message):
    meter = closer_to_yes(dials, positives, dials_in)
    assert meter.enough_history
    assert meter.dials_per_yes == per_yes
    assert meter.dials_in == dials_in
    assert meter.fraction == pytest.approx(fraction)
    assert meter.message == message


@pytest.mark.parametrize(
    ("dials", "positives", "says"),
    [
        (0, 0, "Not enough calls yet to estimate"),
        (49, 5, "after about 50 dials"),
        (120, 0, "won't guess"),
    ],
)
def test_too_little_history_says_so_honestly(dials, positives, says):
    meter = closer_to_yes(dials, positives, 7)
    assert not meter.enough_history
    assert meter.dials_per_yes is None
    assert meter.fraction == 0.0
    assert says in meter.message


@pytest.mark.parametrize("dials_in", [19, 40, 500])
def test_past_the_usual_mark_stays_kind(dials_in):
    message = closer_to_yes(180, 10, dials_in).message.lower()
    assert "a yes is due" in message
    for harsh in ("fail", "behind", "bad", "worse"):
        assert harsh not in message


@pytest.mark.parametrize(
    ("dials", "positives", "dials_in"),
    [(-1, 0, 0), (10, -1, 0), (10, 0, -1), (10, 11, 0)],
)
def test_impossible_counts_are_refused(dials, positives, dials_in):
    with pytest.raises(ValueError):
        closer_to_yes(dials, positives, dials_in)


@given(
    dials=st.integers(0, 5000),
    positives=st.integers(0, 5000),
    dials_in=st.integers(0, 5000),
)
def test_closer_to_yes_fraction_stays_between_zero_and_one(dials, positives, dials_in):
    positives = min(positives, dials)
    meter = closer_to_yes(dials, positives, dials_in)
    assert 0.0 <= meter.fraction <= 1.0
    if positives == 0:
        assert not meter.enough_history
    if meter.enough_history:
        assert meter.dials_per_yes >= 1
    else:
        assert meter.dials_per_yes is None


@given(st.lists(st.sampled_from(OUTCOME_CODES), max_size=30))
def test_a_run_never_counts_more_than_the_nos_heard(outcomes):
    assert 0 <= rejection_run(outcomes) <= outcomes.count("not_interested")
