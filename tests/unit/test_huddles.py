"""The daily huddle's rules as tables: its default prompt, the coach's form, a one-line answer."""

from datetime import time

import pytest

from webapp.domain.huddles import (
    ANSWER_MAX,
    EVENING_PROMPT,
    MORNING_PROMPT,
    HuddleRefused,
    clean_answer,
    default_prompt,
    parse_plan,
)


@pytest.mark.parametrize(
    ("at", "prompt"),
    [
        (time(8, 30), MORNING_PROMPT),
        (time(11, 59), MORNING_PROMPT),
        (time(12, 0), EVENING_PROMPT),
        (time(17), EVENING_PROMPT),
    ],
)
def test_the_default_prompt_follows_the_time_of_day(at, prompt):
    assert default_prompt(at) == prompt


@pytest.mark.parametrize(
    ("raw_time", "raw_prompt", "at", "prompt"),
    [
        ("09:00", "", time(9), MORNING_PROMPT),
        ("17:30", "  ", time(17, 30), EVENING_PROMPT),
        ("08:15", "  One   thing to   try ", time(8, 15), "One thing to try"),
    ],
)
def test_the_coach_sets_a_time_and_a_prompt(raw_time, raw_prompt, at, prompt):
    plan = parse_plan(True, raw_time, raw_prompt)
    assert (plan.enabled, plan.at, plan.prompt) == (True, at, prompt)


@pytest.mark.parametrize(
    ("raw_time", "raw_prompt", "field"),
    [("", "", "time"), ("25:00", "", "time"), ("nine", "", "time"), ("09:00", "x" * 81, "prompt")],
)
def test_a_bad_huddle_form_names_its_field(raw_time, raw_prompt, field):
    with pytest.raises(HuddleRefused) as refused:
        parse_plan(True, raw_time, raw_prompt)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("raw", "answer"),
    [("Call the  warm leads first\n", "Call the warm leads first"), ("x" * ANSWER_MAX, "x" * ANSWER_MAX)],
)
def test_an_answer_is_one_line(raw, answer):
    assert clean_answer(raw) == answer


@pytest.mark.parametrize("raw", ["", "   ", "x" * (ANSWER_MAX + 1)])
def test_an_empty_or_long_answer_is_refused(raw):
    with pytest.raises(HuddleRefused):
        clean_answer(raw)
