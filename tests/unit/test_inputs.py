"""What a person may type: numbers in ASCII digits and in range, ids that fit, texts without control characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain import inputs


@pytest.mark.parametrize(
    "raw, low, high, expected",
    [
        ("40", 1, 10_000, 40),
        (" 7 ", 1, 10, 7),
        (7, 1, 10, 7),
        ("-3", -5, 5, -3),
        ("0", 0, 6, 0),
    ],
)
def test_a_whole_number_in_ascii_digits_within_its_range_is_taken(raw, low, high, expected):
    assert inputs.whole_number(raw, low, high) == expected


@pytest.mark.parametrize(
    "raw",
    ["²", "٣", "１２", "9" * 5000, "0", "10001", "-1", "1e3", "1.0", "", " ", None, "1 2", "+5", "\x00", "5\x00", True],
)
def test_anything_else_is_refused_with_the_range_in_words(raw):
    with pytest.raises(inputs.InputError, match="from 1 to 10,000"):
        inputs.whole_number(raw, 1, 10_000)


def test_a_field_may_say_it_in_its_own_words():
    with pytest.raises(inputs.InputError, match="^The day starts"):
        inputs.whole_number("13", 0, 12, "The day starts at an hour from 0 to 12.")


@pytest.mark.parametrize(
    "raw, expected",
    [("1", 1), (str(2**31 - 1), 2**31 - 1), (str(2**31), None), ("0", None), ("-1", None), ("²", None), ("", None)],
)
def test_an_id_fits_the_databases_integer_or_names_no_row(raw, expected):
    assert inputs.record_id(raw) == expected


@pytest.mark.parametrize(
    "raw, multiline, expected",
    [
        ("  Coffee  ", False, "Coffee"),
        ("two\nlines", True, "two\nlines"),
        (None, False, ""),
        ("Zoë 🎉", False, "Zoë 🎉"),
    ],
)
def test_a_text_is_stripped_and_kept(raw, multiline, expected):
    assert inputs.text(raw, 20, "The name", multiline=multiline) == expected


@pytest.mark.parametrize("raw", ["a\x00b", "bell\x07", "esc\x1b[2J", "two\nlines", "del\x7f", "c1\x85c"])
def test_a_control_character_is_refused_with_a_message(raw):
    with pytest.raises(inputs.InputError, match="control character"):
        inputs.text(raw, 40, "The name")


def test_a_multiline_text_still_refuses_a_nul():
    with pytest.raises(inputs.InputError, match="control character"):
        inputs.text("line\x00", 40, "The post", multiline=True)


def test_a_text_too_long_says_how_long_it_may_be():
    with pytest.raises(inputs.InputError, match="at most 60 characters; this one has 10,000"):
        inputs.text("x" * 10_000, 60, "The display name")


def test_a_required_text_must_not_be_blank():
    with pytest.raises(inputs.InputError, match="is needed"):
        inputs.text("   ", 60, "The team's name", required=True)


@given(st.text())
def test_whatever_is_sent_a_number_is_taken_in_range_or_refused(raw):
    try:
        value = inputs.whole_number(raw, 1, 1000)
    except inputs.InputError:
        return
    assert 1 <= value <= 1000 and raw.strip().isascii()


@given(st.text(max_size=80))
def test_whatever_is_sent_a_text_taken_has_no_control_character_and_fits(raw):
    try:
        value = inputs.text(raw, 60, "The name")
    except inputs.InputError:
        return
    assert len(value) <= 60 and inputs.control_character(value) is None and "\x00" not in value
