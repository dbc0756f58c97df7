"""How the team feed names a win, in words the page translates.

The wins log stores each win's title in English when it happens. The feed
names a win from what it is (its kind and ``ref``) instead: a marked sentence,
``worded`` when values go in, so a German rep reads "Abzeichen: Warmgelaufen"
where the log says "Badge: Warmed up" (the page's ``|translated``). A win the
rules cannot name keeps its stored title.
"""

from __future__ import annotations

from collections.abc import Sequence

from webapp.domain.badges import Badge, badge_by_code
from webapp.domain.celebrations import GOAL_TITLES
from webapp.domain.feed_bursts import badge_code
from webapp.domain.goals import GoalKind
from webapp.domain.wording import N_, N_plural, Worded, worded

PART_SEPARATOR = " · "


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


def win_phrase(kind: str, ref: str, title: str) -> str:
    """What the feed calls a win: "Badge: Warmed up", "Dial goal met", "Reached level 4"; else its title."""
    code = badge_code(ref)
    if kind == "badge" and code:
        badge = _badge(code)
        return worded(N_("Badge: %(badge)s"), badge=worded(badge.name)) if badge else title
    if kind == "goal":
        goal = ref.rsplit(":", 1)[-1]
        return GOAL_TITLES[GoalKind(goal)] if goal in set(GoalKind) else title
    if kind == "level" and (level := _number(ref, 1)) is not None:
        return worded(N_("Reached level %(level)s"), level=level)
    if kind == "streak" and (days := _number(ref, 1)) is not None:
        return worded(N_("%(days)s-day streak"), days=days)
    return _FIXED.get(kind, title)


def burst_parts(wins: Sequence[tuple[str, str, str]]) -> tuple[str, ...]:
    """The parts of a burst's line from its wins' (kind, ref, title), oldest first.

    Several badges are one part where the first of them was ("Badges: First
    dial, Breaking the ice"), so a rep's first call does not read "Badge: ..."
    three times over.
    """
    badges = [_badge(badge_code(ref) or "") if kind == "badge" else None for kind, ref, _title in wins]
    names = tuple(badge.name for badge in badges if badge)
    parts: list[str] = []
    badges_placed = False
    for (kind, ref, title), badge in zip(wins, badges, strict=True):
        if len(names) > 1 and badge:
            if not badges_placed:
                parts.append(worded(N_("Badges: %(badges)s"), badges=_listed(names)))
                badges_placed = True
            continue
        parts.append(win_phrase(kind, ref, title))
    return tuple(parts)


def _listed(names: Sequence[str]) -> Worded:
    """Marked names as one list, "First dial, Breaking the ice", each translated on the page."""
    pattern = ", ".join(f"%(name{n})s" for n in range(len(names)))
    return worded(pattern, **{f"name{n}": worded(name) for n, name in enumerate(names)})


def _badge(code: str) -> Badge | None:
    """The badge with ``code``, or ``None`` for one the catalogue no longer has."""
    try:
        return badge_by_code(code)
    except KeyError:
        return None


def win_detail(kind: str, ref: str, detail: str) -> str:
    """The line under a win standing alone: a badge's description, or the detail the log stored."""
    badge = _badge(badge_code(ref) or "") if kind == "badge" else None
    if badge:
        return badge.description
    if kind == "streak":
        return _STREAK_DETAIL
    return detail


def calls_lead(calls: int) -> str:
    """The lead of a burst's line, "1 call" or "5 calls" (``""`` for none), the page says in its language."""
    return N_plural("%(num)s call", "%(num)s calls", calls) if calls else ""


def burst_line(calls: int, parts: Sequence[str]) -> str:
    """A burst in one English line: "5 calls · Badge: Warmed up · Dial goal met" (no calls, no lead)."""
    return PART_SEPARATOR.join(str(part) for part in (calls_lead(calls), *parts) if part)
