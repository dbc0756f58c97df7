"""Kind words for a moment, without repeating the ones this rep saw lately.

Which moment fits is the services' call (after a no, after a run of no's, a
comeback, a tough call, a finished reset); the words are picked here, on the
way to the page, because the lines a rep saw lately live in their cookie
session, which only the web layer touches.
"""

from __future__ import annotations

import dataclasses

from flask import session
from flask_babel import gettext

from webapp.domain.encouragement import Moment, pick_line
from webapp.services.coaching.after_call import AfterCall

RECENT_LINES_KEPT = 3
_SESSION_KEY = "coach_lines"
_CLOSER_NEEDS_TOLD_KEY = "closer_needs_told"


def line_for(moment: Moment | str, seed: int) -> str:
    """A kind line for this moment in the rep's language, avoiding the ones this rep saw lately."""
    shown = dict(session.get(_SESSION_KEY) or {})
    recent = [i for i in shown.get(str(moment), []) if isinstance(i, int)]
    index, text = pick_line(moment, seed, recent)
    shown[str(moment)] = [index, *recent][:RECENT_LINES_KEPT]
    session[_SESSION_KEY] = shown
    return gettext(text)


def with_line(after: AfterCall | None) -> AfterCall | None:
    """The after-call panel with the words for its moment filled in.

    A closer-to-yes meter without enough history says how many dials it needs
    once; after that, a no shows no meter until there is one to show.
    """
    if after is None:
        return after
    if after.closer is not None and not after.closer.enough_history:
        if session.get(_CLOSER_NEEDS_TOLD_KEY):
            after = dataclasses.replace(after, closer=None)
        else:
            session[_CLOSER_NEEDS_TOLD_KEY] = True
    if after.moment is None:
        return after
    return dataclasses.replace(after, line=line_for(after.moment, after.call.id))
