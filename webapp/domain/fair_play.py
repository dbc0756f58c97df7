"""Fair play: a run of "No answer" taps faster than a call can take stops earning points.

A real unanswered dial takes the time to dial and to ring out, so taps of "No
answer" coming faster than one per :data:`FAST_GAP` are logging, not calling.
A rep catching up on a few missed taps keeps their points (the first
:data:`ALLOWANCE` fast taps of a run earn as usual); past that, each further
fast tap still counts as a dial and earns no points, until a slower tap or
any other outcome ends the run. The rep is told why, in words.

Part of the scoring rules (``outcomes.points_for`` gives the points a tap
would earn; this module says when fair play takes them away). Pure and
table-tested: the write path passes the last call and the run so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from webapp.domain.wording import N_

NO_ANSWER = "no_answer"
FAST_GAP = timedelta(seconds=15)
ALLOWANCE = 5  # fast taps in a run that still earn: catching up on a few missed taps is fine

WHY = N_(
    'No points for this one: "No answer" taps came faster than one every 15 seconds, '
    "quicker than a call can ring out. It still counts as a dial; "
    "points come back with your next call at a calling pace."
)


def is_fast(last_outcome: str | None, last_at: datetime | None, outcome: str, when: datetime) -> bool:
    """Whether this tap is a "No answer" less than :data:`FAST_GAP` after a "No answer".

    A negative gap (an offline sync replaying out of order) is never fast.
    """
    if outcome != NO_ANSWER or last_outcome != NO_ANSWER or last_at is None:
        return False
    return timedelta(0) <= when - last_at < FAST_GAP


def run_after(run: int, last_outcome: str | None, last_at: datetime | None, outcome: str, when: datetime) -> int:
    """The number of fast taps in the run once this tap is in (0 when this tap is not fast)."""
    return run + 1 if is_fast(last_outcome, last_at, outcome, when) else 0


def run_of(history: Sequence[tuple[str, datetime]]) -> int:
    """The fast taps in the run that ends at the newest of ``history`` (calls as (outcome, when), oldest first)."""
    run = 0
    for (last_outcome, last_at), (outcome, when) in zip(history, history[1:], strict=False):
        run = run_after(run, last_outcome, last_at, outcome, when)
    return run


def points_with_fair_play(points: int, run: int) -> int:
    """The points a tap earns once fair play has looked: none past the allowance of a fast run."""
    return 0 if run > ALLOWANCE else points


def loses_points(run: int) -> bool:
    """Whether a tap with this run earns nothing (so the screen says why)."""
    return run > ALLOWANCE
