"""Call outcomes and the points each one earns.

Every outcome is a dial. Effort counts: a "no" earns more than an unanswered
dial, because a rep who reached a person and heard "no" is one step closer to
a yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from webapp.domain.wording import N_


class Outcome(StrEnum):
    """The eight things that can happen on a call, in the order they are shown."""

    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    GATEKEEPER = "gatekeeper"
    NOT_INTERESTED = "not_interested"
    CONVERSATION = "conversation"
    FOLLOW_UP = "follow_up"
    MEETING = "meeting"
    SALE = "sale"


@dataclass(frozen=True)
class OutcomeInfo:
    """How an outcome is shown and scored."""

    outcome: Outcome
    label: str
    points: int


OUTCOMES: tuple[OutcomeInfo, ...] = (
    OutcomeInfo(Outcome.NO_ANSWER, N_("No answer"), 1),
    OutcomeInfo(Outcome.VOICEMAIL, N_("Voicemail"), 2),
    OutcomeInfo(Outcome.GATEKEEPER, N_("Gatekeeper"), 3),
    OutcomeInfo(Outcome.NOT_INTERESTED, N_("Not interested"), 5),
    OutcomeInfo(Outcome.CONVERSATION, N_("Conversation"), 8),
    OutcomeInfo(Outcome.FOLLOW_UP, N_("Follow-up"), 12),
    OutcomeInfo(Outcome.MEETING, N_("Meeting booked"), 20),
    OutcomeInfo(Outcome.SALE, N_("Sale"), 30),
)

_BY_CODE = {info.outcome.value: info for info in OUTCOMES}

OUTCOME_CODES: tuple[str, ...] = tuple(info.outcome.value for info in OUTCOMES)

# A "no": the prospect was reached and said no.
REJECTIONS = frozenset({Outcome.NOT_INTERESTED})
# A conversation or better: the rep talked with a decision-maker.
CONVERSATIONS = frozenset({Outcome.CONVERSATION, Outcome.FOLLOW_UP, Outcome.MEETING, Outcome.SALE})
# A "yes" of some size: permission to follow up, a meeting or a sale.
POSITIVES = frozenset({Outcome.FOLLOW_UP, Outcome.MEETING, Outcome.SALE})


def parse_outcome(code: str) -> Outcome:
    """Return the outcome for ``code``, or raise ``ValueError`` naming the valid ones."""
    try:
        return Outcome(code)
    except ValueError:
        raise ValueError(f"Unknown outcome {code!r}; expected one of: {', '.join(OUTCOME_CODES)}.") from None


def points_for(outcome: Outcome | str) -> int:
    """Points a call with this outcome earns."""
    return _BY_CODE[str(outcome)].points


def label_for(outcome: Outcome | str) -> str:
    """The button label of an outcome, as the rep sees it."""
    return _BY_CODE[str(outcome)].label
