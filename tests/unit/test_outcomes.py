"""Points per outcome: effort counts, and a no earns more than an unanswered dial."""

from __future__ import annotations

import pytest

from webapp.domain.outcomes import (
    CONVERSATIONS,
    OUTCOME_CODES,
    OUTCOMES,
    POSITIVES,
    Outcome,
    label_for,
    parse_outcome,
    points_for,
)


@pytest.mark.parametrize(
    "code, label, points",
    [
        ("no_answer", "No answer", 1),
        ("voicemail", "Voicemail", 2),
        ("gatekeeper", "Gatekeeper", 3),
        ("not_interested", "Not interested", 5),
        ("conversation", "Conversation", 8),
        ("follow_up", "Follow-up", 12),
        ("meeting", "Meeting booked", 20),
        ("sale", "Sale", 30),
    ],
)
def test_each_outcome_has_its_label_and_points(code, label, points):
    assert (label_for(code), points_for(code)) == (label, points)


def test_a_no_earns_more_than_any_unanswered_dial():
    unanswered = [Outcome.NO_ANSWER, Outcome.VOICEMAIL, Outcome.GATEKEEPER]
    assert all(points_for(Outcome.NOT_INTERESTED) > points_for(o) for o in unanswered)


def test_every_outcome_earns_something_because_every_outcome_is_a_dial():
    assert all(info.points > 0 for info in OUTCOMES)
    assert len(OUTCOME_CODES) == 8


def test_positives_are_conversations_too():
    assert POSITIVES < CONVERSATIONS


@pytest.mark.parametrize("bad", ["", "hung_up", "SALE ", "Sale"])
def test_an_unknown_outcome_is_refused_with_the_valid_ones_named(bad):
    with pytest.raises(ValueError, match="no_answer, voicemail"):
        parse_outcome(bad)
