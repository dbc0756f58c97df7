"""Call buddies: choosing one, accepting, ending, nudging, and a high-five for a big moment.

Nested under the teams blueprint, so every route goes through ``team_route``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from webapp.domain.buddies import NUDGES, BuddyRefused
from webapp.domain.wording import N_
from webapp.i18n import translated
from webapp.rendering import is_fragment_request
from webapp.services.teams import buddies, feed, seats
from webapp.views.team_access import team_route

bp = Blueprint("buddies", __name__)


def line_context(seat, **extra) -> dict:
    """What the buddy line on Today shows."""
    user = current_user._get_current_object()
    return {
        "team": seat.team,
        "line": buddies.buddy_line(user),
        "invites": buddies.invites_to(seat.user_id),
        "nudges": NUDGES,
        **extra,
    }


@bp.get("/teams/<int:team_id>/buddies")
@team_route()
def page(seat):
    """Your call buddy, the invites you have, and teammates to ask."""
    mates = [(m, u) for m, u in seats.members_of(seat.team.id) if u.id != seat.user_id]
    asked = {pair.invitee_id for pair in buddies.invites_from(seat.user_id)}
    return render_template("buddies/page.html", seat=seat, mates=mates, asked=asked, **line_context(seat))


def _back(seat, message: str, category: str = "success"):
    flash(message, category)
    return redirect(url_for("teams.buddies.page", team_id=seat.team.id), 303)


@bp.post("/teams/<int:team_id>/buddies/<int:user_id>/invite")
@team_route()
def invite(seat, user_id: int):
    """Ask a teammate to be your call buddy."""
    try:
        buddies.invite(seat, current_user._get_current_object(), user_id)
    except BuddyRefused as refused:
        return _back(seat, translated(refused), "error")
    return _back(seat, gettext("Asked. You are buddies once they accept."))


@bp.post("/teams/<int:team_id>/buddies/<int:user_id>/accept")
@team_route()
def accept(seat, user_id: int):
    """Accept a teammate's invite."""
    try:
        buddies.accept(seat, current_user._get_current_object(), user_id)
    except BuddyRefused as refused:
        return _back(seat, translated(refused), "error")
    return _back(seat, gettext("You are call buddies now. You see each other on Today."))


@bp.post("/teams/<int:team_id>/buddies/<int:user_id>/end")
@team_route()
def end(seat, user_id: int):
    """End a pairing or an open invite, either side."""
    if not buddies.end(seat, user_id):
        abort(404)
    return _back(seat, gettext("Done. You can pick a buddy again any time."), "info")


def _line(seat, status: int = 200, **extra):
    """The buddy line (htmx), or back to Today."""
    if not is_fragment_request():
        if extra.get("error"):
            flash(translated(extra["error"]), "error")
        return redirect(url_for("calls.index"), 303)
    return render_template("buddies/_line.html", **line_context(seat, **extra)), status


@bp.post("/teams/<int:team_id>/buddies/nudge")
@team_route()
def nudge(seat):
    """Send your buddy a kind preset nudge (one an hour per pair)."""
    try:
        buddies.nudge(seat, current_user._get_current_object(), request.form.get("nudge", ""))
    except BuddyRefused as refused:
        return _line(seat, 409, error=str(refused))
    return _line(seat, sent=N_("Nudge sent."))


@bp.post("/teams/<int:team_id>/buddies/moment/<key>/high-five")
@team_route()
def high_five(seat, key: str):
    """One tap: a high-five on your buddy's big moment today."""
    user = current_user._get_current_object()
    try:
        feed.high_five(seat, user, buddies.moment_key(user, key))
    except LookupError:
        abort(404)
    except seats.TeamError as refused:
        return _line(seat, 409, error=str(refused))
    return _line(seat, sent=N_("High five sent."))
