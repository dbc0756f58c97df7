"""A dialer's disposition codes map to Closer's outcomes; the rep's own mapping wins."""

from __future__ import annotations

import pytest

from webapp.domain.dispositions import DEFAULT_MAPPING, normalise_code, outcome_for
from webapp.domain.outcomes import OUTCOME_CODES


@pytest.mark.parametrize(
    "code, overrides, expected",
    [
        ("NA", {}, "no_answer"),
        ("A", {}, "voicemail"),
        ("B", {}, "no_answer"),
        ("DC", {}, "no_answer"),
        ("NI", {}, "not_interested"),
        ("SALE", {}, "sale"),
        ("CALLBK", {}, "follow_up"),
        ("MEETING", {}, "meeting"),
        ("XYZ", {}, None),
        ("XYZ", {"XYZ": "conversation"}, "conversation"),
        ("NI", {"NI": "conversation"}, "conversation"),
        ("NA", {"NA": None}, None),
    ],
)
def test_a_code_means_the_reps_mapping_then_the_default(code, overrides, expected):
    assert outcome_for(code, overrides) == expected


def test_every_default_maps_to_one_of_the_eight_outcomes():
    assert set(DEFAULT_MAPPING.values()) <= set(OUTCOME_CODES)


@pytest.mark.parametrize("raw, code", [(" ni ", "NI"), ("callbk", "CALLBK"), ("A-1_2", "A-1_2")])
def test_codes_are_trimmed_and_upper_case(raw, code):
    assert normalise_code(raw) == code


@pytest.mark.parametrize("raw", ["", None, "NOT OK", "x" * 21, "ni;drop"])
def test_a_code_that_is_not_one_is_refused(raw):
    with pytest.raises(ValueError):
        normalise_code(raw)
