"""Best times to call: the hours and weekdays when the rep's conversations happen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from webapp.domain.insights import rate, require_count
from webapp.domain.timing import WEEKDAY_LABELS

# Below this many dials, "your best hour" would be a guess dressed up as a fact.
MIN_DIALS_FOR_BEST_TIMES = 50


@dataclass(frozen=True)
class TimeSlot:
    """One hour of the day or one weekday, with its conversations and dials."""

    key: int  # hour 0-23 or weekday 0=Monday..6=Sunday
    label: str  # "10-11" or "Tue"
    conversations: int
    dials: int
    rate: float | None  # conversations per dial


@dataclass(frozen=True)
class BestTimes:
    """The hours and weekdays with the most conversations, best first."""

    enough_history: bool
    hours: tuple[TimeSlot, ...]
    weekdays: tuple[TimeSlot, ...]


def hour_label(hour: int) -> str:
    """A one-hour slot as the rep reads it: 10 -> "10-11", 23 -> "23-24"."""
    return f"{hour}-{hour + 1}"


def _top_slots(
    conversations: Mapping[int, int], dials: Mapping[int, int], label: Callable[[int], str], top: int
) -> tuple[TimeSlot, ...]:
    slots = [
        TimeSlot(key, label(key), conversations[key], dials.get(key, 0), rate(conversations[key], dials.get(key, 0)))
        for key in conversations
        if conversations[key] > 0
    ]
    # Most conversations first; then the better rate; then the earlier slot, for a stable order.
    slots.sort(key=lambda s: (-s.conversations, -(s.rate or 0.0), s.key))
    return tuple(slots[:top])


def best_times(
    conversations: Mapping[tuple[int, int], int],
    dials: Mapping[tuple[int, int], int],
    top: int = 3,
) -> BestTimes:
    """The top hours and weekdays by conversations, with their conversation rate.

    Both mappings are keyed by ``(weekday, hour)``, weekday 0 being Monday,
    hours in the rep's timezone. Slots without a conversation are left out.
    ``enough_history`` is False under :data:`MIN_DIALS_FOR_BEST_TIMES` dials
    so the page can say the picture is still forming.
    """
    by_hour_conv: dict[int, int] = defaultdict(int)
    by_hour_dials: dict[int, int] = defaultdict(int)
    by_day_conv: dict[int, int] = defaultdict(int)
    by_day_dials: dict[int, int] = defaultdict(int)
    for source, by_hour, by_day in (
        (conversations, by_hour_conv, by_day_conv),
        (dials, by_hour_dials, by_day_dials),
    ):
        for (weekday, hour), count in source.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday); got {weekday}.")
            if not 0 <= hour <= 23:
                raise ValueError(f"hour must be 0 to 23; got {hour}.")
            require_count("count", count)
            by_hour[hour] += count
            by_day[weekday] += count
    for key, count in conversations.items():
        if count > dials.get(key, 0):
            raise ValueError(
                f"Every conversation is a dial, but slot {key} has {count} conversations and {dials.get(key, 0)} dials."
            )
    return BestTimes(
        enough_history=sum(by_hour_dials.values()) >= MIN_DIALS_FOR_BEST_TIMES,
        hours=_top_slots(by_hour_conv, by_hour_dials, hour_label, top),
        weekdays=_top_slots(by_day_conv, by_day_dials, lambda d: WEEKDAY_LABELS[d], top),
    )
