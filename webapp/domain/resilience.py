"""Rules that help a rep shake off rejection.

The ten-second review after a no, the short reset after a tough run, the
"bounce back" reward for dialling again soon after a no, and the "closer to
yes" meter that turns the rep's own numbers into a reason to keep going.

Everything here takes plain values (outcome codes, counts, datetimes passed in
by the caller) and returns plain values; nothing reads a clock or a database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from webapp.domain.outcomes import CONVERSATIONS, REJECTIONS, Outcome, parse_outcome
from webapp.domain.wording import N_

# --------------------------------------------------------------------------
# Points for looking after yourself
# --------------------------------------------------------------------------

RESET_POINTS = 4
# Resets are rewarded, but only a few a day: a break is a tool, not a way to
# farm points without dialling.
RESETS_REWARDED_PER_DAY = 3
RESET_MIN_MINUTES = 1
RESET_MAX_MINUTES = 5
BOUNCE_BACK_POINTS = 2
BOUNCE_BACK_WINDOW_SECONDS = 120


def reset_ready_after_seconds(minutes: int) -> int:
    """Seconds after its start when a reset of ``minutes`` may be logged as done: half its time.

    A rep who feels ready sooner need not sit out the whole timer; half of it
    keeps the break a real break. The page shows "I'm ready" from then on.
    """
    if isinstance(minutes, bool) or not RESET_MIN_MINUTES <= minutes <= RESET_MAX_MINUTES:
        raise ValueError(f"A reset lasts {RESET_MIN_MINUTES} to {RESET_MAX_MINUTES} minutes; got {minutes!r}.")
    return minutes * 60 // 2


def reset_points(resets_already_rewarded_today: int, minutes: int) -> int:
    """Points for a reset of ``minutes`` minutes, given how many were rewarded today.

    Raises ``ValueError`` for a duration outside 1..5 minutes. Past the daily
    cap the reset is still logged by the caller; it just earns 0, never less.
    """
    if isinstance(minutes, bool) or not RESET_MIN_MINUTES <= minutes <= RESET_MAX_MINUTES:
        raise ValueError(f"A reset lasts {RESET_MIN_MINUTES} to {RESET_MAX_MINUTES} minutes; got {minutes!r}.")
    if resets_already_rewarded_today < 0:
        raise ValueError("resets_already_rewarded_today cannot be negative.")
    if resets_already_rewarded_today >= RESETS_REWARDED_PER_DAY:
        return 0
    return RESET_POINTS


def is_bounce_back(
    previous_outcome: Outcome | str | None,
    previous_at: datetime | None,
    this_at: datetime,
    window_seconds: int = BOUNCE_BACK_WINDOW_SECONDS,
) -> bool:
    """True when this dial came within ``window_seconds`` after a no.

    Only a "no" (:data:`REJECTIONS`) sets up a bounce back: redialling after a
    voicemail takes no courage. A negative gap (clocks out of order, an offline
    sync replaying late) never counts.
    """
    if previous_outcome is None or previous_at is None:
        return False
    if parse_outcome(str(previous_outcome)) not in REJECTIONS:
        return False
    gap = (this_at - previous_at).total_seconds()
    return 0 <= gap <= window_seconds


# --------------------------------------------------------------------------
# Resets
# --------------------------------------------------------------------------


class ResetKind(StrEnum):
    """The short breaks the app offers."""

    BREATHING = "breathing"
    STRETCH = "stretch"
    WALK = "walk"


# Box breathing: in, hold, out, hold, each for this many seconds.
BOX_BREATHING_SECONDS: tuple[int, int, int, int] = (4, 4, 4, 4)


@dataclass(frozen=True)
class ResetInfo:
    """How a reset is offered: its label, guided steps and suggested length (N_-marked, translated where shown)."""

    kind: ResetKind
    label: str
    steps: tuple[str, ...]
    suggested_minutes: int


RESETS: tuple[ResetInfo, ...] = (
    ResetInfo(
        ResetKind.BREATHING,
        N_("Box breathing"),
        (
            N_("Breathe in through your nose for 4."),
            N_("Hold for 4."),
            N_("Breathe out slowly for 4."),
            N_("Hold for 4. Repeat until the timer ends."),
        ),
        2,
    ),
    ResetInfo(
        ResetKind.STRETCH,
        N_("Stretch"),
        (
            N_("Stand up and roll your shoulders back five times."),
            N_("Reach both arms overhead and hold for a slow breath."),
            N_("Tilt your head gently to each side."),
            N_("Shake out your hands, then sit back down."),
        ),
        2,
    ),
    ResetInfo(
        ResetKind.WALK,
        N_("Walk"),
        (
            N_("Take the headset off."),
            N_("Walk away from the desk: a lap, the stairs, a window."),
            N_("Notice three things you can see."),
            N_("Come back and dial when the timer ends."),
        ),
        5,
    ),
)

_RESETS_BY_KIND = {info.kind: info for info in RESETS}


def reset_info(kind: ResetKind | str) -> ResetInfo:
    """The label and guided steps for a reset kind; ``ValueError`` if unknown."""
    try:
        return _RESETS_BY_KIND[ResetKind(kind)]
    except ValueError:
        raise ValueError(f"Unknown reset {kind!r}; expected one of: {', '.join(k.value for k in ResetKind)}.") from None


# --------------------------------------------------------------------------
# Runs of no's
# --------------------------------------------------------------------------

RESET_OFFER_THRESHOLD = 3


def rejection_run(recent_outcomes_newest_first: Sequence[Outcome | str]) -> int:
    """How many no's in a row the rep has just heard.

    Counts "Not interested" outcomes from the newest call backwards.
    Unanswered dials (no answer, voicemail, gatekeeper) neither extend nor
    break the run: three no's with voicemails between them still sting like
    three no's. A conversation or anything better ends the run.
    """
    run = 0
    for code in recent_outcomes_newest_first:
        outcome = parse_outcome(str(code))
        if outcome in REJECTIONS:
            run += 1
        elif outcome in CONVERSATIONS:
            break
    return run


def should_offer_reset(run: int, threshold: int = RESET_OFFER_THRESHOLD) -> bool:
    """True when a run of no's has reached ``threshold`` or a multiple of it.

    Ask right after logging a no: because unanswered dials don't change the
    run, asking after a voicemail would offer the same reset twice.
    """
    if threshold < 1:
        raise ValueError("The reset threshold must be at least 1.")
    return run > 0 and run % threshold == 0


# --------------------------------------------------------------------------
# Closer to yes
# --------------------------------------------------------------------------

# Below this many dials in the window, a dials-per-yes figure is mostly noise.
MIN_DIALS_FOR_ESTIMATE = 50
ESTIMATE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class CloserToYes:
    """The "closer to yes" meter: how many dials a yes usually takes, and how far along."""

    enough_history: bool
    dials_per_yes: int | None
    dials_in: int
    fraction: float
    message: str
    # Why there is no estimate, for a page that words it in another language: "few_dials" (fewer than
    # ``reason_count`` dials so far) or "no_yes" (no yes in the last ``reason_count`` days); "" with an estimate.
    reason: str = ""
    reason_count: int = 0


def _dials(count: int) -> str:
    return f"{count} dial" if count == 1 else f"{count} dials"


def closer_to_yes(
    dials_last_30_days: int,
    positives_last_30_days: int,
    dials_since_last_positive: int,
) -> CloserToYes:
    """Estimate dials per yes from the last 30 days and place the rep on that path.

    With fewer than :data:`MIN_DIALS_FOR_ESTIMATE` dials, or no positive
    outcome at all, it says so and does not guess. Past the usual mark the
    meter stays full and the message stays kind: a yes is due.
    """
    for name, value in (
        ("dials_last_30_days", dials_last_30_days),
        ("positives_last_30_days", positives_last_30_days),
        ("dials_since_last_positive", dials_since_last_positive),
    ):
        if value < 0:
            raise ValueError(f"{name} cannot be negative; got {value}.")
    if positives_last_30_days > dials_last_30_days:
        raise ValueError("Every positive outcome is a dial, so positives cannot exceed dials.")

    if dials_last_30_days < MIN_DIALS_FOR_ESTIMATE:
        return CloserToYes(
            enough_history=False,
            dials_per_yes=None,
            dials_in=dials_since_last_positive,
            fraction=0.0,
            message=(
                "Not enough calls yet to estimate; keep going - after about "
                f"{MIN_DIALS_FOR_ESTIMATE} dials Closer can tell you how many "
                "a yes usually takes."
            ),
            reason="few_dials",
            reason_count=MIN_DIALS_FOR_ESTIMATE,
        )
    if positives_last_30_days == 0:
        return CloserToYes(
            enough_history=False,
            dials_per_yes=None,
            dials_in=dials_since_last_positive,
            fraction=0.0,
            message=(
                f"No yes in the last {ESTIMATE_WINDOW_DAYS} days yet, so Closer "
                "won't guess how many it takes. Every no is a step closer - keep going."
            ),
            reason="no_yes",
            reason_count=ESTIMATE_WINDOW_DAYS,
        )

    # Round half up (not Python's banker's rounding) so 17.5 reads as 18.
    dials_per_yes = max(1, math.floor(dials_last_30_days / positives_last_30_days + 0.5))
    dials_in = dials_since_last_positive
    fraction = min(1.0, dials_in / dials_per_yes)
    usual = f"About 1 yes every {'dial' if dials_per_yes == 1 else _dials(dials_per_yes)}"
    if dials_in < dials_per_yes:
        message = f"{usual} - {_dials(dials_in)} in."
    elif dials_in == dials_per_yes:
        message = f"{usual} - {_dials(dials_in)} in, right at the usual mark. A yes is due."
    else:
        message = f"{usual} - {_dials(dials_in)} in, past the usual mark. A yes is due."
    return CloserToYes(True, dials_per_yes, dials_in, fraction, message)
