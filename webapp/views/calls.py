"""The main screen: tap an outcome, see the day move, undo a mis-tap, add a forgotten call."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from webapp.domain.outcomes import OUTCOMES
from webapp.domain.timing import WEEKDAY_LABELS, TimingError, local_to_utc
from webapp.models import User
from webapp.rendering import is_fragment_request
from webapp.services import screen
from webapp.services.calls import CallRejected, record_call
from webapp.services.game.state import suggestions_for
from webapp.services.teams.high_fives_received import unseen_high_fives
from webapp.services.today import today_for
from webapp.views.coach_lines import with_line
from webapp.views.goals import welcome_due

bp = Blueprint("calls", __name__)


def _rep() -> User:
    """The signed-in rep as the model itself: services read many attributes, and each
    read through the ``current_user`` proxy costs a context lookup."""
    return current_user._get_current_object()


def _render(template: str, today: screen.TodayScreen, **extra):
    context = today.context()
    context["after_call"] = with_line(today.after_call)
    return render_template(template, outcomes=OUTCOMES, **context, **extra)


@bp.get("/")
@login_required
def index():
    """The main screen: eight outcome buttons, today's tally, the latest calls, high-fives not yet shown."""
    rep = _rep()
    welcome = welcome_due(rep)
    first_run = {"weekdays": WEEKDAY_LABELS, "suggested": suggestions_for(rep)} if welcome else {}
    return _render(
        "calls/index.html", screen.today_screen(rep), high_fives=unseen_high_fives(rep), welcome=welcome, **first_run
    )


@bp.post("/calls")
@login_required
def tap():
    """Log one tap; htmx gets the updated widgets, a plain form a redirect."""
    form = request.form
    fragment = is_fragment_request()
    try:
        today = screen.tap(_rep(), form.get("outcome", ""), form.get("client_id") or uuid.uuid4(), with_screen=fragment)
    except CallRejected as rejected:
        return _rejected(str(rejected))
    if today is None:
        return redirect(url_for("calls.index"), 303)
    return _render("calls/_tap_response.html", today)


@bp.post("/calls/<client_id>/undo")
@login_required
def undo(client_id: str):
    """Take a call back; its dial and points leave every count."""
    try:
        _, today = screen.undo(_rep(), client_id)
    except CallRejected as rejected:
        return _rejected(str(rejected), status=404)
    if not is_fragment_request():
        return redirect(url_for("calls.index"), 303)
    return _render("calls/_tap_response.html", today)


@bp.get("/calls/add")
@login_required
def add_form():
    """A form for a call forgotten earlier today or yesterday."""
    return render_template("calls/add.html", **_add_context())


@bp.post("/calls/add")
@login_required
def add():
    """Log a forgotten call at the time the rep gives."""
    form = request.form
    try:
        occurred_at = _backfill_time(form.get("day", "today"), form.get("time", ""))
        record_call(_rep(), form.get("outcome", ""), form.get("client_id", ""), occurred_at)
    except (CallRejected, TimingError) as rejected:
        return render_template("calls/add.html", error=str(rejected), **_add_context(form)), 422
    flash(gettext("Added. Every dial counts, even the ones logged late."), "success")
    return redirect(url_for("calls.index"), 303)


def _add_context(form=None) -> dict:
    return {"outcomes": OUTCOMES, "form": form or {}, "client_id": uuid.uuid4()}


def _backfill_time(day_choice: str, clock: str) -> datetime:
    """Turn "yesterday" + "14:05" in the rep's timezone into a UTC instant."""
    try:
        at = time.fromisoformat(clock)
    except ValueError:
        raise TimingError(gettext("Enter the time of the call, like 14:05.")) from None
    today = today_for(current_user)
    offsets = {"today": 0, "yesterday": 1}
    if day_choice not in offsets:
        raise TimingError(gettext("Choose today or yesterday."))
    return local_to_utc(today - timedelta(days=offsets[day_choice]), at, current_user.timezone)


def _rejected(message: str, status: int = 422):
    """A refused tap: a message in the status area, nothing written."""
    if not is_fragment_request():
        flash(message, "error")
        return redirect(url_for("calls.index"), 303)
    response = render_template("calls/_tap_error.html", message=message)
    return response, status, {"HX-Retarget": "#tap-status", "HX-Reswap": "innerHTML"}
