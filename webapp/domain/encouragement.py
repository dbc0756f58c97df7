"""Short, kind lines the app shows at hard moments.

Written for Closer, not borrowed quotes: plain words a teammate might say
between two calls. None of them judge the rep, and none promise a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from webapp.domain.wording import N_


class Moment(StrEnum):
    """When a line is shown."""

    AFTER_NO = "after_no"
    AFTER_TOUGH_CALL = "after_tough_call"
    AFTER_RESET = "after_reset"
    BAD_RUN = "bad_run"
    COMEBACK = "comeback"


LINES: Mapping[Moment, tuple[str, ...]] = {
    Moment.AFTER_NO: (
        N_("That no was about timing and fit, not about you."),
        N_("One more no behind you. One step closer to a yes."),
        N_("You reached a real person. That took nerve."),
        N_("No is an answer. Answers move you forward."),
        N_("Noted, and on to the next one."),
        N_("Calling is a numbers game. That no was one of the numbers."),
        N_("You asked. That's the part you control."),
    ),
    Moment.AFTER_TOUGH_CALL: (
        N_("That one was hard. It's fine to feel it for a moment."),
        N_("Rough call. Take a breath before the next one."),
        N_("Not every call goes well. That's normal, and it passes."),
        N_("You stayed polite through that. That counts."),
        N_("Tough calls end. This one just did."),
        N_("Shake it off at your own pace. The list will wait."),
    ),
    Moment.AFTER_RESET: (
        N_("Welcome back. Fresh call, fresh start."),
        N_("Good call taking a break. Ready when you are."),
        N_("Breathing done. The next person hasn't heard from you yet."),
        N_("You looked after yourself. That's part of the job."),
        N_("Reset complete. Pick up where you left off."),
        N_("A clear head makes a better call. Go get it."),
    ),
    Moment.BAD_RUN: (
        N_("A run of no's happens to every caller. It will end."),
        N_("Streaks of no's are part of the numbers, not a verdict."),
        N_("You're still dialling. That's what gets you through this."),
        N_("Rough patch. Want a two-minute reset before the next one?"),
        N_("The people saying no haven't met your best call yet."),
        N_("Hard stretch. Be as kind to yourself as you'd be to a teammate."),
        N_("This run says nothing about the next dial."),
    ),
    Moment.COMEBACK: (
        N_("Back on the phone already. That's resilience."),
        N_("Straight back in. Nice bounce."),
        N_("That's how it's done: no, then dial."),
        N_("You didn't let that one stop you."),
        N_("Quick comeback. The next yes is out there."),
        N_("Right back at it. Your future self says thanks."),
    ),
}


def _mix(seed: int) -> int:
    # A fixed integer hash (splitmix-style) so the same seed gives the same
    # line on every Python version and machine, unlike hash() or random.
    value = (seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value ^= value >> 31
    value = (value * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 29)


def pick_line(moment: Moment | str, seed: int, recent: Sequence[int] = ()) -> tuple[int, str]:
    """Choose a line for ``moment``, the same one for the same seed and history.

    ``recent`` holds indices shown lately, newest first. They are avoided
    while any other line is left; when every line is recent, only the very
    last one shown is avoided, so the rep never sees the same line twice in
    a row. Returns ``(index, text)``; store the index to pass back as recent.
    """
    try:
        lines = LINES[Moment(moment)]
    except ValueError:
        raise ValueError(f"Unknown moment {moment!r}; expected one of: {', '.join(m.value for m in Moment)}.") from None
    recent_set = set(recent)
    candidates = [i for i in range(len(lines)) if i not in recent_set]
    if not candidates:
        last_shown = next(i for i in recent if 0 <= i < len(lines))
        candidates = [i for i in range(len(lines)) if i != last_shown] or [last_shown]
    index = candidates[_mix(seed) % len(candidates)]
    return index, lines[index]
