"""Team news for notifications, written in the transaction of what happened.

The team's write paths call these (a high-five, a meeting or sale logged, a
challenge reached); each adds a ``TeamNews`` row and nothing else, so the
tap stays short and the worker batches a minute's worth into one
notification per rep (``digest``). This module imports only the models: the
team's rooms can call it without an import circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from webapp.extensions import db
from webapp.models import TeamNews, utcnow

HIGH_FIVE, WIN, CHALLENGE = "high_five", "win", "challenge"
HUDDLE_REF = "huddle:"  # a high-five on a huddle answer, not on a feed item
# Outcomes a teammate hears about, with the words used.
WIN_OUTCOMES = {"meeting": "Meeting booked", "sale": "Sale"}


def high_five_given(
    team_id: int,
    giver_id: int,
    recipient_id: int | None,
    subject: str,
    now: datetime | None = None,
    ref: str | None = None,
) -> None:
    """A member high-fived ``recipient_id``'s feed item or huddle answer (``ref`` ``huddle:<id>``).

    Nothing to tell when the item is the team's own or the giver's.
    """
    if recipient_id is None or recipient_id == giver_id:
        return
    db.session.add(
        TeamNews(
            kind=HIGH_FIVE,
            team_id=team_id,
            actor_id=giver_id,
            recipient_id=recipient_id,
            subject=subject[:300],
            ref=ref,
            created_at=now or utcnow(),
        )
    )


def calls_logged(user_id: int, team_id: int | None, calls: Iterable, sign: int, now: datetime | None = None) -> None:
    """New meetings and sales of a team member, for their teammates. Undos say nothing: the digest re-checks."""
    if team_id is None or sign <= 0:
        return
    for call in calls:
        if call.outcome in WIN_OUTCOMES:
            db.session.add(
                TeamNews(
                    kind=WIN,
                    team_id=team_id,
                    actor_id=user_id,
                    subject=WIN_OUTCOMES[call.outcome],
                    ref=f"call:{call.client_id}",
                    created_at=now or utcnow(),
                )
            )


def challenge_reached(team_id: int, label: str, now: datetime | None = None) -> None:
    """The team reached its challenge: every member hears it."""
    db.session.add(TeamNews(kind=CHALLENGE, team_id=team_id, subject=label[:300], created_at=now or utcnow()))
