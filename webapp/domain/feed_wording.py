"""How the team feed names a win, in words the page translates.

The wins log stores each win's title in English when it happens. The feed
names a win from what it is (its kind and ``ref``) instead, with ``N_``-marked
patterns and their words, so a German rep reads "Abzeichen: Aufgewärmt"
where the log says "Badge: Warmed up". A win the rules cannot name keeps its
stored title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from webapp.domain.badges import Badge, badge_by_code
from webapp.domain.celebrations import GOAL_TITLES
from webapp.domain.feed_bursts import badge_code
from webapp.domain.goals import GoalKind
from webapp.domain.wording import N_

PART_SEPARATOR = " · "


Word = str | int | tuple[str, ...]  # a list of words (badge names) reads "A, B, C"


@dataclass(frozen=True)
class Phrase:
    """An ``N_``-marked pattern and the words that go into it (marked rule words too, translated with it)."""

    pattern: str
    words: tuple[tuple[str, Word], ...] = ()

    @property
    def english(self) -> str:
        """The phrase as the rules wrote it."""
        if not self.words:
            return self.pattern
        return self.pattern % {
            key: ", ".join(value) if isinstance(value, tuple) else value for key, value in self.words
        }


_FIXED = {
    "best": N_("New personal best day"),
    "meeting": N_("Meeting booked"),
    "sale": N_("Sale"),
    "tough": N_("Tough call survived"),
}
_STREAK_DETAIL = N_("Working days in a row you showed up")


def _number(ref: str, position: int) -> int | None:
    parts = ref.split(":")
    return int(parts[position]) if len(parts) > position and parts[position].isdigit() else None


def win_phrase(kind: str, ref: str, title: str) -> Phrase:
    """What the feed calls a win: "Badge: Warmed up", "Dial goal met", "Reached level 4"; else its title."""
    code = badge_code(ref)
    if kind == "badge" and code:
        badge = _badge(code)
        return Phrase(N_("Badge: %(badge)s"), (("badge", badge.name),)) if badge else Phrase(title)
    if kind == "goal":
        goal = ref.rsplit(":", 1)[-1]
        return Phrase(GOAL_TITLES[GoalKind(goal)]) if goal in set(GoalKind) else Phrase(title)
    if kind == "level" and (level := _number(ref, 1)) is not None:
        return Phrase(N_("Reached level %(level)s"), (("level", level),))
    if kind == "streak" and (days := _number(ref, 1)) is not None:
        return Phrase(N_("%(days)s-day streak"), (("days", days),))
    return Phrase(_FIXED.get(kind, title))


def burst_parts(wins: Sequence[tuple[str, str, str]]) -> tuple[Phrase, ...]:
    """The parts of a burst's line from its wins' (kind, ref, title), oldest first.

    Several badges are one part where the first of them was ("Badges: First
    dial, Breaking the ice"), so a rep's first call does not read "Badge: ..."
    three times over.
    """
    badges = [_badge(badge_code(ref) or "") if kind == "badge" else None for kind, ref, _title in wins]
    names = tuple(badge.name for badge in badges if badge)
    parts: list[Phrase] = []
    badges_placed = False
    for (kind, ref, title), badge in zip(wins, badges, strict=True):
        if len(names) > 1 and badge:
            if not badges_placed:
                parts.append(Phrase(N_("Badges: %(badges)s"), (("badges", names),)))
                badges_placed = True
            continue
        parts.append(win_phrase(kind, ref, title))
    return tuple(parts)


def _badge(code: str) -> Badge | None:
    """The badge with ``code``, or ``None`` for one the catalogue no longer has."""
    try:
        return badge_by_code(code)
    except KeyError:
        return None


def win_detail(kind: str, ref: str, detail: str) -> Phrase | None:
    """The line under a win standing alone: a badge's description, or the detail the log stored."""
    badge = _badge(badge_code(ref) or "") if kind == "badge" else None
    if badge:
        return Phrase(badge.description)
    if kind == "streak":
        return Phrase(_STREAK_DETAIL)
    return Phrase(detail) if detail else None


def calls_english(calls: int) -> str:
    """The lead of a burst's line in English, "1 call" or "5 calls" (the page says it with ``ngettext``)."""
    return f"{calls} call" if calls == 1 else f"{calls} calls"


def burst_line(calls: int, parts: Sequence[Phrase]) -> str:
    """A burst in one English line: "5 calls · Badge: Warmed up · Dial goal met" (no calls, no lead)."""
    lead = [calls_english(calls)] if calls else []
    return PART_SEPARATOR.join(lead + [part.english for part in parts])
