"""The coach's mapping of dialer codes for the whole team (a member's own mapping still wins)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from webapp.domain.outcomes import OUTCOMES
from webapp.services.integrations import dispositions
from webapp.services.teams import seats
from webapp.views.integrations import mapping_saved
from webapp.views.team_access import team_route

bp = Blueprint("team_dispositions", __name__)


def _page(seat, status: int = 200, error: str | None = None):
    return render_template(
        "teams/dispositions.html",
        team=seat.team,
        codes=dispositions.team_code_rows(seat.team.id),
        outcomes=OUTCOMES,
        error=error,
    ), status


@bp.get("/teams/<int:team_id>/dispositions")
@team_route(seats.COACH)
def index(seat):
    """The team's dialer codes, what each is logged as, and how many members' calls wait for one."""
    return _page(seat)


@bp.post("/teams/<int:team_id>/dispositions")
@team_route(seats.COACH)
def save(seat):
    """Save the team's mapping; the members' calls that waited for it are logged."""
    form = request.form
    wanted: dict[str, str | None] = {
        key.removeprefix("outcome-"): value or None for key, value in form.items() if key.startswith("outcome-")
    }
    if form.get("new_code", "").strip():
        wanted[form["new_code"]] = form.get("new_outcome") or None
    try:
        logged = dispositions.save_team_mapping(seat.team.id, wanted)
    except dispositions.DispositionRefused as refused:
        return _page(seat, 422, str(refused))
    flash(mapping_saved(gettext("Team mapping saved."), logged), "success")
    return redirect(url_for("team_dispositions.index", team_id=seat.team.id), 303)
