"""Fair play as tables: a sustained run of fast "No answer" taps stops earning points after an allowance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.domain.fair_play import ALLOWANCE, is_fast, points_with_fair_play, run_after, run_of

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("last_outcome", "gap", "outcome", "fast"),
    [
        ("no_answer", 3, "no_answer", True),
        ("no_answer", 14.9, "no_answer", True),
        ("no_answer", 15, "no_answer", False),  # one per 15 s is a calling pace
        ("no_answer", 40, "no_answer", False),
        ("voicemail", 3, "no_answer", False),  # only a run of "No answer"
        ("no_answer", 3, "voicemail", False),
        ("no_answer", 3, "meeting", False),
        ("no_answer", -5, "no_answer", False),  # out of order (an offline replay) is never fast
        (None, 3, "no_answer", False),  # the first call ever
    ],
)
def test_a_tap_is_fast_only_as_a_no_answer_quickly_after_a_no_answer(last_outcome, gap, outcome, fast):
    assert is_fast(last_outcome, at(0), outcome, at(gap)) is fast


def points_of(taps: list[tuple[str, float]]) -> list[int]:
    """Each tap's points (1 for a no answer, 2 for a voicemail) after fair play, taps as (outcome, seconds)."""
    base = {"no_answer": 1, "voicemail": 2}
    run, last, earned = 0, (None, None), []
    for outcome, seconds in taps:
        run = run_after(run, last[0], last[1], outcome, at(seconds))
        earned.append(points_with_fair_play(base[outcome], run))
        last = (outcome, at(seconds))
    return earned


@pytest.mark.parametrize(
    ("taps", "points"),
    [
        # Ten "No answer" at a calling pace: all earn.
        ([("no_answer", 20 * n) for n in range(10)], [1] * 10),
        # Ten in ten seconds: the first, then the allowance of five fast ones, then nothing.
        ([("no_answer", n) for n in range(10)], [1] * (1 + ALLOWANCE) + [0] * (10 - 1 - ALLOWANCE)),
        # A slow tap ends the run; the next fast run starts a fresh allowance.
        (
            [("no_answer", n) for n in range(8)] + [("no_answer", 60 + n) for n in range(3)],
            [1] * 6 + [0] * 2 + [1] * 3,
        ),
        # Any other outcome ends the run too, and earns its own points.
        ([("no_answer", n) for n in range(8)] + [("voicemail", 9), ("no_answer", 10)], [1] * 6 + [0] * 2 + [2, 1]),
    ],
)
def test_a_sustained_fast_run_stops_earning_after_the_allowance(taps, points):
    assert points_of(taps) == points


def test_the_run_is_rebuilt_from_stored_calls_as_the_write_path_would_have_counted_it():
    history = [("voicemail", at(0))] + [("no_answer", at(100 + 2 * n)) for n in range(7)]
    assert run_of(history) == 6
    assert run_of(history[:2]) == 0
    assert run_of([]) == 0
