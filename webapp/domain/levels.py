"""Levels: how experience (XP) turns into a level and a progress bar.

XP is simply the rep's lifetime points (see ``outcomes.points_for``), so a
level is never taken away by anything but an undo.

The curve: going from level ``n`` to ``n + 1`` costs

    50 * n + 10 * (n - 1) ** 2  XP

which is 50 XP for level 2 (about twenty mixed dials, i.e. the first morning),
then 110, 190, 290, 410 ... The linear part keeps the first week lively; the
quadratic part makes later levels a real achievement (level 10 needs about
4,300 XP, level 20 about 30,000, level 30 about 100,000: a solid year).
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_LEVEL = 1


def xp_for_level(level: int) -> int:
    """XP needed to go from ``level`` to ``level + 1``; grows with every level."""
    if level < FIRST_LEVEL:
        raise ValueError(f"Levels start at {FIRST_LEVEL}; got {level}.")
    return 50 * level + 10 * (level - 1) ** 2


def level_start_xp(level: int) -> int:
    """Total XP at which ``level`` is reached (level 1 starts at 0 XP)."""
    if level < FIRST_LEVEL:
        raise ValueError(f"Levels start at {FIRST_LEVEL}; got {level}.")
    # Closed form of sum(xp_for_level(k) for k in 1..level-1), so a rep with a
    # huge XP total costs no more than a new one.
    m = level - 2  # sum of squares 0..m
    squares = m * (m + 1) * (2 * m + 1) // 6 if m > 0 else 0
    return 25 * level * (level - 1) + 10 * squares


def level_for(xp: int) -> int:
    """The level a rep with ``xp`` points is on."""
    _check_xp(xp)
    # Exponential search for an upper bound, then bisection: O(log level).
    high = 2
    while level_start_xp(high) <= xp:
        high *= 2
    low = FIRST_LEVEL  # invariant: level_start_xp(low) <= xp < level_start_xp(high)
    while high - low > 1:
        middle = (low + high) // 2
        if level_start_xp(middle) <= xp:
            low = middle
        else:
            high = middle
    return low


@dataclass(frozen=True)
class LevelProgress:
    """Where a rep stands on the level curve, ready for a progress bar."""

    level: int
    xp: int
    level_start_xp: int
    next_level_xp: int
    xp_into_level: int
    xp_for_level: int
    xp_to_next: int
    fraction: float  # 0 <= fraction < 1, share of the current level done


def level_progress(xp: int) -> LevelProgress:
    """Level, XP into the level and XP still to go, for ``xp`` lifetime points."""
    level = level_for(xp)
    start = level_start_xp(level)
    span = xp_for_level(level)
    into = xp - start
    return LevelProgress(
        level=level,
        xp=xp,
        level_start_xp=start,
        next_level_xp=start + span,
        xp_into_level=into,
        xp_for_level=span,
        xp_to_next=span - into,
        fraction=into / span,
    )


def levels_crossed(before_xp: int, after_xp: int) -> list[int]:
    """Levels newly reached when XP goes from ``before_xp`` to ``after_xp``.

    Empty when XP stays inside a level or goes down (an undo never
    "celebrates" in reverse). Usually one level, but a big win can cross two.
    """
    before, after = level_for(before_xp), level_for(after_xp)
    return list(range(before + 1, after + 1))


def _check_xp(xp: int) -> None:
    # Points are never negative, so negative XP means a bug upstream: say so
    # rather than quietly showing level 1.
    if xp < 0:
        raise ValueError(f"XP cannot be negative; got {xp}.")
