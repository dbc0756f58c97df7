"""The huddle card and the buddy line on Today, each loaded as its own small fragment.

They answer about the rep's own team, so they need no team in the URL; a
rep with no team (or no huddle) gets 204 and Today shows nothing there.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from webapp.services.teams import seats
from webapp.views import buddies, huddles

bp = Blueprint("today_people", __name__)


@bp.get("/today/huddle")
@login_required
def huddle():
    """Today's huddle card: one tap to open, one line to answer, or skip."""
    seat = seats.seat_of(current_user)
    context = huddles.today_context(seat) if seat else None
    if context is None or context["plan"] is None or not context["plan"].enabled:
        return "", 204
    return render_template("huddles/_today_card.html", **context)


@bp.get("/today/buddy")
@login_required
def buddy():
    """Today's line about your call buddy (or how to get one)."""
    seat = seats.seat_of(current_user)
    if seat is None:
        return "", 204
    return render_template("buddies/_line.html", **buddies.line_context(seat))
