"""The coach's hand on fair competition and support: how boards are shown, and the coach's signals.

Nested under ``teams.`` like the links blueprint; every route goes through
``team_route``, so another team's coach gets a 404 and a member a 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext

from webapp.domain import fair_play
from webapp.i18n import translated
from webapp.services.teams import seats, signals, visibility
from webapp.views.team_access import team_route

bp = Blueprint("fair", __name__)


@bp.app_context_processor
def fair_play_words() -> dict:
    """Why a tap earned nothing, for the after-call bar (the rule's own words, from the scoring rules)."""
    return {"fair_play_why": fair_play.WHY}


@bp.post("/teams/<int:team_id>/board-mode")
@team_route(seats.COACH)
def set_board_mode(seat):
    """The coach chooses how boards are shown: near me, full or private."""
    try:
        mode = visibility.set_board_mode(seat, request.form.get("board_mode", ""))
    except seats.TeamError as invalid:
        flash(translated(invalid), "error")
    else:
        message = gettext(
            "Boards now show: %(mode)s. Every member sees it on their next refresh.",
            mode=translated(visibility.MODE_LABELS[mode]),
        )
        flash(message, "success")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="board-mode"), 303)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/kind-word")
@team_route(seats.COACH)
def kind_word(seat, user_id: int):
    """The coach sends a member a kind word (a suggested one, or their own); it lands in the member's list."""
    form = request.form
    body = form.get("own", "").strip() or form.get("preset", "")
    try:
        signals.send_kind_word(seat, user_id, body)
    except LookupError:
        abort(404)
    except seats.TeamError as invalid:
        flash(translated(invalid), "error")
    else:
        flash(gettext("Sent. It is in their notifications now."), "success")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="signals"), 303)


@bp.post("/teams/<int:team_id>/start-by")
@team_route(seats.COACH)
def set_start_by(seat):
    """The coach sets the time by which a member "has started" (team timezone)."""
    try:
        signals.set_start_by(seat, request.form.get("start_by", ""))
    except seats.TeamError as invalid:
        flash(translated(invalid), "error")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="signals"), 303)
