"""Badge art: a small, self-contained SVG for every badge, earned or locked.

Shape and colour come from the family, the glyph ("25", "1k", "PB") from
the badge, and the dash pattern of the inner ring from the metric, so two
badges never look alike. Locked badges are the same art in grey, so the rep
can see what is still ahead.

The SVG must render under a strict Content-Security-Policy, so it uses only
presentation attributes (``fill=``, ``stroke=``, ``font-size=``): no
``style=`` attribute, no ``<style>`` element, no script. All text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from webapp.domain.badges import BADGES, Badge, BadgeFamily
from webapp.domain.wording import N_

# The art's words, for a screen reader and inside the shape; a page passes its
# translation, so they are read in the rep's language (English by default).
Translate = Callable[[str], str]
EARNED_LABEL = N_("%(badge)s badge, earned")
LOCKED_LABEL = N_("%(badge)s badge, locked. %(how)s")
LEVEL_LABEL = N_("Level %(level)s")
STREAK_LABEL = N_("%(days)s-day streak")


def _as_written(text: str) -> str:
    return text


VIEWBOX = 64  # art is drawn on a 64x64 grid and scaled by width/height

# Dark enough for white text to pass WCAG AA contrast (at least 4.5:1).
FAMILY_COLOURS: dict[BadgeFamily, str] = {
    BadgeFamily.EFFORT: "#1d4ed8",
    BadgeFamily.THICK_SKIN: "#9a3412",
    BadgeFamily.WINS: "#047857",
    BadgeFamily.CONSISTENCY: "#a15c07",
    BadgeFamily.BIGGER_PICTURE: "#6d28d9",
    BadgeFamily.TEAM: "#0e7490",
    BadgeFamily.REFLECTION: "#4338ca",
}
LOCKED_FILL = "#e4e7ec"
LOCKED_STROKE = "#98a2b3"
LOCKED_TEXT = "#344054"  # about 9:1 on the locked fill
EARNED_TEXT = "#ffffff"

# Inner-ring dash patterns, handed out per metric within a family.
_DASHES = ("none", "4 3", "1 3", "8 3 2 3")


def _polygon(sides: int, radius: float, rotation_deg: float = -90, inner: float | None = None) -> str:
    """Points of a regular polygon (or a star when ``inner`` is given) centred on the grid."""
    centre = VIEWBOX / 2
    count = sides * 2 if inner is not None else sides
    points = []
    for i in range(count):
        r = radius if inner is None or i % 2 == 0 else inner
        angle = math.radians(rotation_deg + 360 * i / count)
        points.append(f"{centre + r * math.cos(angle):.2f},{centre + r * math.sin(angle):.2f}")
    return " ".join(points)


def _shape(family: BadgeFamily, fill: str, stroke: str) -> str:
    """The outline of a family's badges: effort is a coin, thick skin a shield, and so on."""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2"'
    if family is BadgeFamily.EFFORT:
        return f'<circle cx="32" cy="32" r="29" {paint}/>'
    if family is BadgeFamily.THICK_SKIN:
        return f'<path d="M32 3 L58 12 V30 C58 46 46 56 32 61 C18 56 6 46 6 30 V12 Z" {paint}/>'
    if family is BadgeFamily.WINS:
        return f'<polygon points="{_polygon(12, 30, inner=25)}" {paint}/>'
    if family is BadgeFamily.CONSISTENCY:
        return f'<polygon points="{_polygon(6, 30, rotation_deg=0)}" {paint}/>'
    if family is BadgeFamily.BIGGER_PICTURE:
        return f'<polygon points="{_polygon(4, 30)}" {paint}/>'
    if family is BadgeFamily.TEAM:
        return f'<rect x="4" y="4" width="56" height="56" rx="14" {paint}/>'
    return f'<polygon points="{_polygon(8, 30, rotation_deg=-67.5)}" {paint}/>'


def _dash_for(badge: Badge) -> str:
    # Same family, different metric -> a different inner ring, so "10 no's"
    # and "10 bounce-backs" differ even for a reader who ignores the glyph.
    metrics: list[str] = []
    for other in BADGES:
        if other.family is badge.family and other.metric not in metrics:
            metrics.append(other.metric)
    index = metrics.index(badge.metric) if badge.metric in metrics else 0
    return _DASHES[index % len(_DASHES)]


def _font_size(glyph: str) -> int:
    # Longer glyphs shrink so they stay inside the narrowest shape (the diamond).
    return {1: 24, 2: 22, 3: 17}.get(len(glyph), 13)


def badge_svg(badge: Badge, earned: bool, size: int = 64, translate: Translate = _as_written) -> str:
    """A standalone ``<svg>`` for ``badge``: in its family colour if earned, grey if locked.

    Accessible: ``role="img"``, an ``aria-label`` and a ``<title>`` naming the
    badge and, when locked, how to earn it, worded by ``translate``.
    """
    if size <= 0:
        raise ValueError(f"size must be positive; got {size}.")
    name = translate(badge.name)
    glyph = translate(badge.glyph)
    if earned:
        fill, stroke, text = FAMILY_COLOURS[badge.family], "#ffffff", EARNED_TEXT
        label = translate(EARNED_LABEL) % {"badge": name}
    else:
        fill, stroke, text = LOCKED_FILL, LOCKED_STROKE, LOCKED_TEXT
        label = translate(LOCKED_LABEL) % {"badge": name, "how": translate(badge.description)}
    dash = _dash_for(badge)
    dash_attr = "" if dash == "none" else f' stroke-dasharray="{dash}"'
    ring_colour = "#ffffff" if earned else LOCKED_STROKE
    ring_opacity = "0.6" if earned else "1"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {VIEWBOX} {VIEWBOX}" role="img" aria-label="{escape(label)}" '
        f'data-badge="{escape(badge.code)}" data-earned="{"true" if earned else "false"}">'
        f"<title>{escape(label)}</title>"
        f"{_shape(badge.family, fill, stroke)}"
        f'<circle cx="32" cy="32" r="19" fill="none" stroke="{ring_colour}" stroke-width="1.5"'
        f' stroke-opacity="{ring_opacity}"{dash_attr}/>'
        f'<text x="32" y="33" text-anchor="middle" dominant-baseline="central" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-weight="700" '
        f'font-size="{_font_size(glyph)}" fill="{text}" aria-hidden="true">{escape(glyph)}</text>'
        "</svg>"
    )


def emblem_svg(family: BadgeFamily, glyph: str, label: str, size: int = 64) -> str:
    """Art in a family's shape and colour for something that is not a badge (a level, a streak)."""
    if size <= 0:
        raise ValueError(f"size must be positive; got {size}.")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {VIEWBOX} {VIEWBOX}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f"{_shape(family, FAMILY_COLOURS[family], '#ffffff')}"
        '<circle cx="32" cy="32" r="19" fill="none" stroke="#ffffff" stroke-width="1.5" stroke-opacity="0.6"/>'
        f'<text x="32" y="33" text-anchor="middle" dominant-baseline="central" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-weight="700" '
        f'font-size="{_font_size(glyph)}" fill="{EARNED_TEXT}" aria-hidden="true">{escape(glyph)}</text>'
        "</svg>"
    )


def moment_svg(art: str, size: int = 120, translate: Translate = _as_written) -> str:
    """The art of a big moment, from a celebration's ``art`` key ("badge:first_sale", "level:4", "streak:10").

    An unknown key gives an empty string: the moment still shows its words.
    """
    kind, _, value = art.partition(":")
    if kind == "badge":
        badge = next((badge for badge in BADGES if badge.code == value), None)
        return badge_svg(badge, earned=True, size=size, translate=translate) if badge else ""
    if kind == "level" and value.isdigit():
        return emblem_svg(BadgeFamily.BIGGER_PICTURE, value, translate(LEVEL_LABEL) % {"level": value}, size)
    if kind == "streak" and value.isdigit():
        return emblem_svg(BadgeFamily.CONSISTENCY, value, translate(STREAK_LABEL) % {"days": value}, size)
    return ""
