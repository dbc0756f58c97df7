"""The lifetime funnel: dials, conversations, follow-ups, meetings, sales, and the step between each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from webapp.domain.insights import require_count
from webapp.domain.outcomes import CONVERSATIONS, POSITIVES, Outcome, parse_outcome
from webapp.domain.wording import N_


@dataclass(frozen=True)
class FunnelStage:
    """One stage of the lifetime funnel and the share of the stage above that reached it."""

    key: str
    label: str
    count: int
    conversion_pct: float | None  # None for the first stage or when the stage above is 0


# Labels marked for the catalogue (N_): the page translates them.
_FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("dials", N_("Dials")),
    ("conversations", N_("Conversations")),
    ("follow_ups", N_("Follow-ups")),
    ("meetings", N_("Meetings")),
    ("sales", N_("Sales")),
)


def funnel(dials: int, conversations: int, follow_ups: int, meetings: int, sales: int) -> tuple[FunnelStage, ...]:
    """The lifetime funnel with the conversion from each stage to the next.

    Counts are cumulative, "or better": conversations include follow-ups,
    meetings and sales, and so on, so each stage is at most the one above
    (``ValueError`` otherwise). A stage below a zero stage has no conversion
    (``None``) rather than a division by zero. Percentages have one decimal.
    """
    counts = (dials, conversations, follow_ups, meetings, sales)
    stages = []
    previous: int | None = None
    for (key, label), count in zip(_FUNNEL_STAGES, counts, strict=True):
        require_count(key, count)
        if previous is not None and count > previous:
            raise ValueError(
                f"{label} ({count}) cannot exceed the stage above ({previous}); "
                "funnel counts include every better outcome."
            )
        pct = None if not previous else round(100 * count / previous, 1)
        stages.append(FunnelStage(key, label, count, pct))
        previous = count
    return tuple(stages)


def funnel_from_outcomes(outcome_counts: Mapping[Outcome | str, int]) -> tuple[FunnelStage, ...]:
    """The funnel built from a tally of calls per outcome code."""
    tally: dict[Outcome, int] = defaultdict(int)
    for code, count in outcome_counts.items():
        require_count(str(code), count)
        tally[parse_outcome(str(code))] += count

    def at_least(outcomes: Collection[Outcome]) -> int:
        return sum(tally[o] for o in outcomes)

    return funnel(
        dials=sum(tally.values()),
        conversations=at_least(CONVERSATIONS),
        follow_ups=at_least(POSITIVES),
        meetings=at_least({Outcome.MEETING, Outcome.SALE}),
        sales=tally[Outcome.SALE],
    )
