"""Daily micro-goals: dials, conversations and follow-ups won.

Three small goals the rep controls, shown as progress rings:

- dials: every call counts, whatever happened;
- conversations: a conversation or better (``outcomes.CONVERSATIONS``);
- follow-ups won: permission to follow up, a meeting or a sale
  (``outcomes.POSITIVES``).

Targets are suggested from the rep's own recent median, so they stay
realistic: a goal that is never met teaches the rep to ignore it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from webapp.domain.outcomes import (
    CONVERSATIONS,
    OUTCOME_CODES,
    POSITIVES,
    REJECTIONS,
    Outcome,
    parse_outcome,
    points_for,
)
from webapp.domain.wording import N_

_CODES = frozenset(OUTCOME_CODES)
SUGGESTION_WINDOW = 10  # working days the suggested target looks back on
MIN_HISTORY_FOR_SUGGESTION = 3  # fewer days than this: the median is noise


class GoalKind(StrEnum):
    """The three daily micro-goals, in the order the rings are shown."""

    DIALS = "dials"
    CONVERSATIONS = "conversations"
    FOLLOW_UPS = "follow_ups"


GOAL_LABELS: Mapping[GoalKind, str] = {
    GoalKind.DIALS: N_("Dials"),
    GoalKind.CONVERSATIONS: N_("Conversations"),
    GoalKind.FOLLOW_UPS: N_("Follow-ups won"),
}


@dataclass(frozen=True)
class DayCounts:
    """One day's tally: dials and how many calls ended in each outcome.

    ``by_outcome`` maps outcome codes (or ``Outcome`` members) to counts;
    missing codes count as 0. ``dials`` is kept separately because the app
    fills it from an aggregate; ``from_outcomes`` derives it.
    """

    dials: int = 0
    by_outcome: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        normalised: dict[str, int] = {}
        for code, count in self.by_outcome.items():
            key = str(code) if code in _CODES else parse_outcome(str(code)).value  # clear message on a bad code
            if count < 0:
                raise ValueError(f"A count cannot be negative; got {count} for {key}.")
            normalised[key] = normalised.get(key, 0) + count
        if self.dials < 0:
            raise ValueError(f"Dials cannot be negative; got {self.dials}.")
        # Frozen: set the normalised copy once, so callers' dicts can't leak in.
        object.__setattr__(self, "by_outcome", normalised)

    @classmethod
    def from_outcomes(cls, outcomes: Iterable[Outcome | str]) -> DayCounts:
        """Tally a day from its calls' outcomes (every outcome is a dial)."""
        tally: dict[str, int] = {}
        total = 0
        for outcome in outcomes:
            key = parse_outcome(str(outcome)).value
            tally[key] = tally.get(key, 0) + 1
            total += 1
        return cls(dials=total, by_outcome=tally)

    def count(self, outcome: Outcome | str) -> int:
        """How many calls today ended in ``outcome``."""
        if outcome in _CODES:  # the common case, checked first: rings ask this many times a tap
            return self.by_outcome.get(outcome, 0)
        return self.by_outcome.get(parse_outcome(str(outcome)).value, 0)

    def with_call(self, outcome: Outcome | str) -> DayCounts:
        """The tally after one more call with ``outcome``."""
        key = parse_outcome(str(outcome)).value
        tally = dict(self.by_outcome)
        tally[key] = tally.get(key, 0) + 1
        return DayCounts(dials=self.dials + 1, by_outcome=tally)

    @property
    def conversations(self) -> int:
        """Calls that reached a conversation or better."""
        return sum(self.count(o) for o in CONVERSATIONS)

    @property
    def follow_ups(self) -> int:
        """Follow-ups won: permission to follow up, a meeting or a sale."""
        return sum(self.count(o) for o in POSITIVES)

    @property
    def rejections(self) -> int:
        """Calls that ended in a clear no."""
        return sum(self.count(o) for o in REJECTIONS)

    @property
    def points(self) -> int:
        """Points the day's calls earned (reviews and resets are not calls)."""
        return sum(points_for(code) * n for code, n in self.by_outcome.items())

    def value(self, kind: GoalKind | str) -> int:
        """The day's number for one goal kind."""
        kind = GoalKind(kind)
        if kind is GoalKind.DIALS:
            return self.dials
        if kind is GoalKind.CONVERSATIONS:
            return self.conversations
        return self.follow_ups


@dataclass(frozen=True)
class GoalTargets:
    """The rep's daily targets; each at least 1 so a ring can always fill."""

    dials: int = 40
    conversations: int = 5
    follow_ups: int = 1

    def __post_init__(self) -> None:
        for kind in GoalKind:
            if self.target(kind) < 1:
                raise ValueError(f"The {kind.value} target must be at least 1.")

    def target(self, kind: GoalKind | str) -> int:
        """The target for one goal kind."""
        value: int = getattr(self, GoalKind(kind).value)
        return value


DEFAULT_TARGETS = GoalTargets()


@dataclass(frozen=True)
class GoalProgress:
    """One ring: how far today's count is toward its target."""

    kind: GoalKind
    label: str
    done: int
    target: int
    fraction: float  # 0..1, capped: going past the goal fills the ring, no more
    met: bool
    remaining: int  # 0 once met


def goal_progress(counts: DayCounts, targets: GoalTargets = DEFAULT_TARGETS) -> list[GoalProgress]:
    """Progress on the three micro-goals, in display order."""
    return list(_rings(counts.dials, counts.conversations, counts.follow_ups, targets))


@lru_cache(maxsize=256)
def _rings(dials: int, conversations: int, follow_ups: int, targets: GoalTargets) -> tuple[GoalProgress, ...]:
    # Remembered: a tap asks for the same rings several times (before, after, the screen).
    done_by_kind = {GoalKind.DIALS: dials, GoalKind.CONVERSATIONS: conversations, GoalKind.FOLLOW_UPS: follow_ups}
    rings = []
    for kind in GoalKind:
        done, target = done_by_kind[kind], targets.target(kind)
        rings.append(
            GoalProgress(
                kind=kind,
                label=GOAL_LABELS[kind],
                done=done,
                target=target,
                fraction=min(1.0, done / target),
                met=done >= target,
                remaining=max(0, target - done),
            )
        )
    return tuple(rings)


def goals_newly_met(before: DayCounts, after: DayCounts, targets: GoalTargets = DEFAULT_TARGETS) -> list[GoalProgress]:
    """Goals that this tap completed: not met before, met after."""
    was_met = {ring.kind for ring in goal_progress(before, targets) if ring.met}
    return [ring for ring in goal_progress(after, targets) if ring.met and ring.kind not in was_met]


def suggest_target(recent_working_day_values: list[int], default: int) -> int:
    """A realistic target: the median of the last ten working days, at least 1.

    Pass one value per recent working day on which the rep dialled, oldest
    first. Days without a single dial (sick, in training) are left out by the
    caller: they say nothing about what a calling day looks like. Zeros for
    conversations or follow-ups on a calling day are real and stay in.
    With fewer than three such days, ``default`` is returned. An even count
    takes the mean of the middle two, rounded half up.
    """
    recent = recent_working_day_values[-SUGGESTION_WINDOW:]
    if len(recent) < MIN_HISTORY_FOR_SUGGESTION:
        return max(1, default)
    middle = statistics.median(recent)
    return max(1, math.floor(middle + 0.5))


def suggested_targets(history: list[DayCounts], defaults: GoalTargets = DEFAULT_TARGETS) -> GoalTargets:
    """Suggested targets for all three goals from recent working days' tallies, oldest first.

    Days with zero dials are skipped here, as ``suggest_target`` expects.
    """
    calling_days = [day for day in history if day.dials > 0]
    return GoalTargets(
        **{
            kind.value: suggest_target([day.value(kind) for day in calling_days], defaults.target(kind))
            for kind in GoalKind
        }
    )


@dataclass(frozen=True)
class RingGeometry:
    """Numbers an SVG progress ring needs, so templates do no maths.

    Draw ``<circle cx=center cy=center r=radius stroke-width=stroke_width
    stroke-dasharray=dash_array stroke-dashoffset=dash_offset>`` rotated -90°
    about the centre so it fills clockwise from twelve o'clock.
    """

    size: float
    center: float
    radius: float
    stroke_width: float
    circumference: float
    dash_array: float
    dash_offset: float


def ring_geometry(fraction: float, size: float = 64, stroke_width: float = 6) -> RingGeometry:
    """Geometry for a ring ``fraction`` full (clamped to 0..1) in a ``size`` square."""
    if stroke_width <= 0 or size <= 2 * stroke_width:
        raise ValueError("The ring needs a positive stroke narrower than half its size.")
    fraction = min(1.0, max(0.0, fraction))
    # The stroke is centred on the path: inset by half of it so it isn't clipped.
    radius = (size - stroke_width) / 2
    circumference = 2 * math.pi * radius
    return RingGeometry(
        size=size,
        center=size / 2,
        radius=round(radius, 2),
        stroke_width=stroke_width,
        circumference=round(circumference, 2),
        dash_array=round(circumference, 2),
        dash_offset=round(circumference * (1 - fraction), 2),
    )
