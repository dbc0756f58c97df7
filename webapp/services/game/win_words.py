"""A wins-log entry and a received high-five in the rep's language, worded as the page renders them.

The wins log keeps the English it was written in (the team feed reads the
same rows); the page rebuilds each entry's words from its kind and ref, so
a German rep reads German about wins logged before the language was chosen.
An entry this module does not know is shown as it was written.
"""

from __future__ import annotations

import re

from flask_babel import gettext, lazy_gettext, ngettext

from webapp.domain.badges import badge_by_code
from webapp.models import Win
from webapp.services.game.wins import WIN_OUTCOMES

_GOAL_TITLES = {
    "dials": lazy_gettext("Dial goal met"),
    "conversations": lazy_gettext("Conversation goal met"),
    "follow_ups": lazy_gettext("Follow-up goal met"),
}
# What a high-five was on, as the teams' list names it in English, and the line in the rep's language.
_HIGH_FIVE_LINES = {
    "your meeting": lazy_gettext("%(name)s high-fived your meeting"),
    "your sale": lazy_gettext("%(name)s high-fived your sale"),
    "your badge": lazy_gettext("%(name)s high-fived your badge"),
    "your level up": lazy_gettext("%(name)s high-fived your level up"),
    "your goal": lazy_gettext("%(name)s high-fived your goal"),
    "your personal best": lazy_gettext("%(name)s high-fived your personal best"),
    "your streak": lazy_gettext("%(name)s high-fived your streak"),
    "your reward": lazy_gettext("%(name)s high-fived your reward"),
    "your message": lazy_gettext("%(name)s high-fived your message"),
}
_OF = re.compile(r"^(\d+) of (\d+)$")
_WAS = re.compile(r"^(\d+) dials \(was (\d+)\)$")


def _part(ref: str, index: int) -> str:
    parts = (ref or "").split(":")
    return parts[index] if len(parts) > index else ""


def win_words(win: Win) -> tuple[str, str]:
    """The entry's title and detail in the request's language."""
    kind, title, detail = win.kind, win.title, win.detail or ""
    if kind in WIN_OUTCOMES:
        return gettext(WIN_OUTCOMES[kind]), gettext(detail) if detail else ""
    if kind == "badge":
        try:
            badge = badge_by_code(_part(win.ref, 1))
        except KeyError:
            return gettext(title), gettext(detail) if detail else ""
        return gettext("Badge: %(badge)s", badge=gettext(badge.name)), gettext(badge.description)
    if kind == "level" and _part(win.ref, 1).isdigit():
        return gettext("Reached level %(level)s", level=_part(win.ref, 1)), ""
    if kind == "streak" and _part(win.ref, 1).isdigit():
        return gettext("%(days)s-day streak", days=_part(win.ref, 1)), gettext("Working days in a row you showed up")
    if kind == "goal" and _part(win.ref, 2) in _GOAL_TITLES:
        found = _OF.match(detail)
        words = gettext("%(done)s of %(target)s", done=found[1], target=found[2]) if found else detail
        return str(_GOAL_TITLES[_part(win.ref, 2)]), words
    if kind == "best":
        found = _WAS.match(detail)
        if found:
            count, before = int(found[1]), found[2]
            detail = ngettext("%(num)s dial (was %(before)s)", "%(num)s dials (was %(before)s)", count, before=before)
        return gettext("New personal best day"), detail
    if kind == "reward" and title.startswith("Reward: "):
        return gettext("Reward: %(label)s", label=title.removeprefix("Reward: ")), ""
    if kind == "tough":
        return gettext("Tough call survived"), ""
    return gettext(title), gettext(detail) if detail else ""


def high_five_line(giver: str, subject: str) -> str:
    """ "Sam high-fived your meeting" in the request's language; a subject not listed is "your win"."""
    pattern = _HIGH_FIVE_LINES.get(subject)
    return pattern % {"name": giver} if pattern is not None else gettext("%(name)s high-fived your win", name=giver)
