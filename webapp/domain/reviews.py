"""The ten-second review after a no: three toggles, the objection met, one line for next time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from webapp.domain.inputs import control_character
from webapp.domain.wording import N_


class Objection(StrEnum):
    """What the prospect gave as their reason, in the order the picker shows them."""

    NO_BUDGET = "no_budget"
    BAD_TIMING = "bad_timing"
    TOO_BUSY = "too_busy"
    NOT_DECISION_MAKER = "not_decision_maker"
    HAPPY_WITH_PROVIDER = "happy_with_provider"
    OTHER = "other"


OBJECTION_LABELS: Mapping[Objection, str] = {
    Objection.NO_BUDGET: N_("No budget"),
    Objection.BAD_TIMING: N_("Bad timing"),
    Objection.TOO_BUSY: N_("Too busy / other priorities"),
    Objection.NOT_DECISION_MAKER: N_("Not the decision-maker"),
    Objection.HAPPY_WITH_PROVIDER: N_("Happy with current provider"),
    Objection.OTHER: N_("Other"),
}

# (code, label) pairs, ready for a <select> or a row of chips.
OBJECTIONS: tuple[tuple[str, str], ...] = tuple(
    (objection.value, OBJECTION_LABELS[objection]) for objection in Objection
)


class ReviewToggle(StrEnum):
    """The three yes/no questions of the review, in the order they are asked."""

    ASKED_RIGHT_QUESTIONS = "asked_right_questions"
    LISTENED_ACTIVELY = "listened_actively"
    TIMING_RIGHT = "timing_right"


TOGGLE_LABELS: Mapping[ReviewToggle, str] = {
    ReviewToggle.ASKED_RIGHT_QUESTIONS: N_("Asked the right questions?"),
    ReviewToggle.LISTENED_ACTIVELY: N_("Listened actively?"),
    ReviewToggle.TIMING_RIGHT: N_("Was the timing right?"),
}

REVIEW_TOGGLES: tuple[tuple[str, str], ...] = tuple((toggle.value, TOGGLE_LABELS[toggle]) for toggle in ReviewToggle)

NEXT_TIME_MAX_CHARS = 140

# What an HTML form may send for a toggle. An empty string means "skipped",
# which is different from "no": a skipped question must not drag a rate down.
_TOGGLE_WORDS: Mapping[str, bool | None] = {
    "yes": True,
    "true": True,
    "on": True,
    "no": False,
    "false": False,
    "off": False,
    "": None,
}


@dataclass(frozen=True)
class ReviewInput:
    """A validated review. ``None`` means the rep skipped that part."""

    asked_right_questions: bool | None = None
    listened_actively: bool | None = None
    timing_right: bool | None = None
    objection: Objection | None = None
    next_time: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when the rep submitted the review without answering anything."""
        return (
            self.asked_right_questions is None
            and self.listened_actively is None
            and self.timing_right is None
            and self.objection is None
            and self.next_time is None
        )

    def answer(self, toggle: ReviewToggle | str) -> bool | None:
        """The rep's answer to one toggle, or ``None`` if skipped."""
        answer: bool | None = getattr(self, ReviewToggle(toggle).value)
        return answer


def _parse_toggle_value(toggle: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TOGGLE_WORDS:
        return _TOGGLE_WORDS[value.strip().lower()]
    raise ValueError(f"Answer to {toggle!r} must be yes, no or left blank; got {value!r}.")


def validate_review(
    toggles: Mapping[str, object],
    objection: str | None,
    next_time: str | None,
) -> ReviewInput:
    """Check a submitted review and return it cleaned, or raise ``ValueError``.

    Every part is optional. Toggles take ``True``/``False``/``None`` or the
    strings a form sends (``"yes"``, ``"no"``, ``""``). The objection must be
    one of :data:`OBJECTIONS` (blank means none). The "next time I'll..." line
    is stripped and must be at most 140 characters.
    """
    known = {toggle.value for toggle in ReviewToggle}
    unknown = sorted(set(toggles) - known)
    if unknown:
        raise ValueError(
            f"Unknown review question {unknown[0]!r}; expected one of: "
            f"{', '.join(toggle.value for toggle in ReviewToggle)}."
        )
    answers = {name: _parse_toggle_value(name, value) for name, value in toggles.items()}

    parsed_objection: Objection | None = None
    if isinstance(objection, str) and objection.strip():
        try:
            parsed_objection = Objection(objection.strip())
        except ValueError:
            raise ValueError(
                f"Unknown objection {objection!r}; expected one of: {', '.join(o.value for o in Objection)}."
            ) from None

    cleaned_next_time: str | None = None
    if next_time is not None:
        if not isinstance(next_time, str) or control_character(next_time) is not None:
            raise ValueError(N_('"Next time I\'ll..." has a character that cannot be saved (a control character).'))
        cleaned_next_time = next_time.strip() or None
    if cleaned_next_time is not None and len(cleaned_next_time) > NEXT_TIME_MAX_CHARS:
        raise ValueError(
            f'"Next time I\'ll..." can be at most {NEXT_TIME_MAX_CHARS} characters; '
            f"this one has {len(cleaned_next_time)}."
        )

    return ReviewInput(objection=parsed_objection, next_time=cleaned_next_time, **answers)


REVIEW_POINTS = 3


def review_points(review: ReviewInput) -> int:
    """Points a review earns: :data:`REVIEW_POINTS`, or 0 if nothing was answered.

    An empty submit earns nothing so that tapping "save" is not a points
    button; any single answer counts, because the review is meant to be quick.
    """
    return 0 if review.is_empty else REVIEW_POINTS
