"""The one gate every team route goes through, and the conditional answer of live fragments."""

from __future__ import annotations

from functools import wraps

from flask import Response, abort, current_app, make_response, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from webapp.services.teams import seats


def team_route(role: str = seats.MEMBER):
    """Log-in, membership and role check for a route taking ``team_id``; the view gets the ``Seat``."""

    def decorate(view):
        @wraps(view)
        def guarded(team_id: int, **kwargs):
            seat = seats.seat_in(current_user, team_id)
            if seat is None:
                abort(404)
            if role == seats.COACH and not seat.is_coach:
                abort(403)
            return view(seat, **kwargs)

        protected = login_required(guarded)
        protected.team_role = role  # read by the security walk test
        return protected

    return decorate


def own_team_route(view):
    """A logged-in route about the visitor's own team (no ``team_id`` in the URL)."""
    protected = login_required(view)
    protected.team_role = "self"
    return protected


def live(tag: str, render) -> Response:
    """A polled fragment: 304 when the browser's copy is current, else ``render()`` with the ETag."""
    tag = f"{tag}.{get_locale()}"  # the same team, read in another language, is another copy
    if request.if_none_match.contains_weak(tag):  # a proxy that compresses may weaken the tag
        response = Response(status=304)
    else:
        response = make_response(render())
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


def poll_seconds() -> int:
    """How often open boards and feeds ask for changes."""
    return int(current_app.config.get("TEAM_POLL_SECONDS", 10))


def token_route(view):
    """A route opened by a secret link (invite or TV): the token is the only key, checked by the view."""
    view.team_role = "token"
    return view
