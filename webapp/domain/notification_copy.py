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
from webapp.domain.wording import ENGLISH, N_, Speaker

FRESH_WEIGHT = 6
RECENT_WEIGHT = 1
RECENT_DAYS = 4  # how far back "used recently" reaches


@dataclass(frozen=True)
class Wording:
    """One way of saying a reminder. ``{dials}`` is the dials still needed, counted ("1 dial", "3 dials")."""

    key: str
    title: str
    body: str

    def render(self, left: int = 0, say: Speaker = ENGLISH) -> tuple[str, str]:
        """Title and body in ``say``'s language, with the numbers filled in."""
        dials = say.ngettext("%(count)s dial", "%(count)s dials", left) % {"count": left}
        return say.gettext(self.title).format(dials=dials), say.gettext(self.body).format(dials=dials)


# The English of each wording is N_-marked for the catalogue; ``render`` says it in the rep's language.
WORDINGS: dict[str, tuple[Wording, ...]] = {
    START_NUDGE: (
        Wording(
            "nudge-first-dial",
            N_("Ready for the first dial?"),
            N_("One call gets the day moving. Every no is a step closer."),
        ),
        Wording(
            "nudge-warm-up", N_("Warm-up time"), N_("Start with an easy one: a follow-up or a friendly voicemail.")
        ),
        Wording(
            "nudge-numbers",
            N_("The numbers are waiting"),
            N_("Today's yes is somewhere in today's dials. Make the first."),
        ),
        Wording(
            "nudge-small-start", N_("A small start counts"), N_("Log one call and the streak for today is under way.")
        ),
    ),
    STREAK_RISK: (
        Wording("risk-left", N_("{dials} to keep your streak"), N_("Your day ends soon. {dials} and today counts.")),
        Wording(
            "risk-close", N_("So close: {dials} left"), N_("A few quick dials keep the streak alive. You've got this.")
        ),
        Wording("risk-show-up", N_("Keep showing up"), N_("{dials} before the day ends keeps your streak going.")),
        Wording("risk-quick", N_("Quick one before the day ends?"), N_("{dials} to go for today's streak minimum.")),
    ),
}


def choose_wording(kind: str, recently_used: Collection[str], seed: int) -> Wording:
    """A wording for ``kind``; one in ``recently_used`` is picked less often, never never.

    The same seed always gives the same wording.
    """
    choices = WORDINGS[kind]
    weights = [RECENT_WEIGHT if w.key in recently_used else FRESH_WEIGHT for w in choices]
    return random.Random(seed).choices(choices, weights=weights, k=1)[0]


def names_line(names: Sequence[str], most: int = 2, say: Speaker = ENGLISH) -> str:
    """ "Ana", "Ana and Ben", "Ana, Ben and 3 others": distinct names in order, at most ``most`` spelled out."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return say.gettext("Someone")
    if len(unique) == 1:
        return unique[0]
    if len(unique) <= most:
        return say.gettext("%(names)s and %(last)s") % {"names": ", ".join(unique[:-1]), "last": unique[-1]}
    rest = len(unique) - most
    others = say.ngettext("%(names)s and %(count)s other", "%(names)s and %(count)s others", rest)
    return others % {"names": ", ".join(unique[:most]), "count": rest}


def high_fives_message(givers: Sequence[str], subjects: Sequence[str], say: Speaker = ENGLISH) -> tuple[str, str]:
    """One notification for every high-five received in a batch."""
    count = len(givers)
    if count:
        title = say.gettext("%(names)s high-fived you") % {"names": names_line(givers, say=say)}
    else:
        title = say.gettext("High-five")
    things = [say.gettext(thing) for thing in dict.fromkeys(s for s in subjects if s)]
    if count == 1:
        body = say.gettext("For: %(thing)s") % {"thing": things[0]} if things else say.gettext("Your team saw that.")
    elif things:
        body = say.ngettext("%(count)s high-five for %(things)s.", "%(count)s high-fives for %(things)s.", count) % {
            "count": count,
            "things": ", ".join(things[:2]),
        }
    else:
        body = say.ngettext("%(count)s high-five.", "%(count)s high-fives.", count) % {"count": count}
    return title, body


@dataclass(frozen=True)
class TeamWin:
    """A teammate's win, or the team's challenge reached (no ``who`` then)."""

    who: str | None
    what: str


def _said(what: str, say: Speaker) -> str:
    """What was won, translated when the catalogue knows it (an outcome); a label a coach typed stays."""
    return say.gettext(what) if what else what


def team_wins_message(wins: Sequence[TeamWin], say: Speaker = ENGLISH) -> tuple[str, str]:
    """One notification for a batch of team wins (what was won is translated when the catalogue knows it)."""
    if not wins:
        raise ValueError("No wins to tell.")
    challenge = [w for w in wins if w.who is None]
    people = [w for w in wins if w.who is not None]
    if challenge and not people:
        return say.gettext("Team challenge reached!"), challenge[0].what
    if len(wins) == 1:
        only = people[0]
        title = say.gettext("%(name)s: %(what)s") % {"name": only.who, "what": _said(only.what, say)}
        return title, say.gettext("A win for the team. Send a high-five.")
    parts = [say.gettext("%(name)s (%(what)s)") % {"name": w.who, "what": _said(w.what, say)} for w in people[:3]]
    more = len(people) - len(parts)
    listed = ", ".join(parts)
    if more:
        listed = say.ngettext("%(wins)s and %(count)s more", "%(wins)s and %(count)s more", more) % {
            "wins": listed,
            "count": more,
        }
    body = f"{listed}."
    if challenge:
        body = say.gettext("Challenge reached. %(wins)s") % {"wins": body}
    title = say.ngettext("%(count)s team win", "%(count)s team wins", len(wins)) % {"count": len(wins)}
    return title, body
