"""What a notification says: rotating reminder wording, and batched team news in one line.

Reminders rotate among a few templates per kind so they never read like a
nag on repeat; a template used in the last few days is less likely to be
picked again (``RECENT_WEIGHT`` against ``FRESH_WEIGHT``), and the choice is
reproducible from a seed, so tests need no random patching.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from webapp.domain.reminders import START_NUDGE, STREAK_RISK

FRESH_WEIGHT = 6
RECENT_WEIGHT = 1
RECENT_DAYS = 4  # how far back "used recently" reaches


@dataclass(frozen=True)
class Wording:
    """One way of saying a reminder. ``{left}`` is the number of dials still needed."""

    key: str
    title: str
    body: str

    def render(self, left: int = 0) -> tuple[str, str]:
        """Title and body with the numbers filled in."""
        dials = f"{left} dial" if left == 1 else f"{left} dials"
        return self.title.format(left=left, dials=dials), self.body.format(left=left, dials=dials)


WORDINGS: dict[str, tuple[Wording, ...]] = {
    START_NUDGE: (
        Wording(
            "nudge-first-dial", "Ready for the first dial?", "One call gets the day moving. Every no is a step closer."
        ),
        Wording("nudge-warm-up", "Warm-up time", "Start with an easy one: a follow-up or a friendly voicemail."),
        Wording(
            "nudge-numbers", "The numbers are waiting", "Today's yes is somewhere in today's dials. Make the first."
        ),
        Wording("nudge-small-start", "A small start counts", "Log one call and the streak for today is under way."),
    ),
    STREAK_RISK: (
        Wording("risk-left", "{dials} to keep your streak", "Your day ends soon. {dials} and today counts."),
        Wording("risk-close", "So close: {dials} left", "A few quick dials keep the streak alive. You've got this."),
        Wording("risk-show-up", "Keep showing up", "{dials} before the day ends keeps your streak going."),
        Wording("risk-quick", "Quick one before the day ends?", "{dials} to go for today's streak minimum."),
    ),
}


def choose_wording(kind: str, recently_used: Collection[str], seed: int) -> Wording:
    """A wording for ``kind``; one in ``recently_used`` is picked less often, never never.

    The same seed always gives the same wording.
    """
    choices = WORDINGS[kind]
    weights = [RECENT_WEIGHT if w.key in recently_used else FRESH_WEIGHT for w in choices]
    return random.Random(seed).choices(choices, weights=weights, k=1)[0]


def names_line(names: Sequence[str], most: int = 2) -> str:
    """ "Ana", "Ana and Ben", "Ana, Ben and 3 others": distinct names in order, at most ``most`` spelled out."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return "Someone"
    if len(unique) == 1:
        return unique[0]
    if len(unique) <= most:
        return ", ".join(unique[:-1]) + " and " + unique[-1]
    rest = len(unique) - most
    return ", ".join(unique[:most]) + f" and {rest} other" + ("" if rest == 1 else "s")


def high_fives_message(givers: Sequence[str], subjects: Sequence[str]) -> tuple[str, str]:
    """One notification for every high-five received in a batch."""
    count = len(givers)
    title = f"{names_line(givers)} high-fived you" if count else "High-five"
    things = list(dict.fromkeys(s for s in subjects if s))
    if count == 1:
        body = f"For: {things[0]}" if things else "Your team saw that."
    else:
        body = f"{count} high-fives" + (f" for {', '.join(things[:2])}" if things else "") + "."
    return title, body


@dataclass(frozen=True)
class TeamWin:
    """A teammate's win, or the team's challenge reached (no ``who`` then)."""

    who: str | None
    what: str


def team_wins_message(wins: Sequence[TeamWin]) -> tuple[str, str]:
    """One notification for a batch of team wins."""
    if not wins:
        raise ValueError("No wins to tell.")
    challenge = [w for w in wins if w.who is None]
    people = [w for w in wins if w.who is not None]
    if challenge and not people:
        return "Team challenge reached!", challenge[0].what
    if len(wins) == 1:
        only = people[0]
        return f"{only.who}: {only.what}", "A win for the team. Send a high-five."
    parts = [f"{w.who} ({w.what})" for w in people[:3]]
    more = len(people) - len(parts)
    body = ", ".join(parts) + (f" and {more} more" if more else "") + "."
    if challenge:
        body = "Challenge reached. " + body
    return f"{len(wins)} team wins", body
