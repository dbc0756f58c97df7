"""Today's goals, opened in place from the game strip, and the first-run welcome that sets them."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.domain.timing import WEEKDAY_LABELS
from webapp.models import User
from webapp.rendering import is_fragment_request, render_page
from webapp.services.game.settings import SettingsError, answer_welcome, mark_welcomed, update_game_settings
from webapp.services.game.state import game_state, suggestions_for, targets_for

bp = Blueprint("goals", __name__)

GOAL_KINDS = ("dials", "conversations", "follow_ups")


def _rep() -> User:
    return current_user._get_current_object()


def welcome_due(user: User) -> bool:
    """A rep who has never answered or skipped the welcome, on any device, and has no points yet, sees it."""
    return user.welcomed_at is None and not (user.xp or 0)


def _goals_page(status: int = 200, **context):
    user = _rep()
    context.setdefault("errors", {})
    context.setdefault("form", {})
    page = render_page(
        "goals/page.html", "goals/_sheet.html", targets=targets_for(user), suggested=suggestions_for(user), **context
    )
    return page, status


@bp.get("/goals")
@login_required
def edit():
    """Today's three goals with the suggested targets: a sheet on the main screen, a page on its own."""
    return _goals_page()


@bp.post("/goals")
@login_required
def save():
    """Save the three targets (typed, or the suggested ones in one tap); working days stay as they are."""
    user = _rep()
    goals = {kind: request.form.get(f"goal_{kind}", "") for kind in GOAL_KINDS}
    days = [str(day) for day in sorted(user.working_day_set)]
    try:
        update_game_settings(user, days, str(user.day_start_hour or 0), goals)
    except SettingsError as invalid:
        return _goals_page(422, errors=invalid.errors, form=request.form)
    return _back_to_today()


@bp.post("/welcome")
@login_required
def welcome():
    """The first-run answers: working days and a daily dial goal; the other goals keep their targets."""
    user = _rep()
    targets = targets_for(user)
    goals = {"dials": request.form.get("goal_dials", ""), "conversations": str(targets.conversations)}
    goals["follow_ups"] = str(targets.follow_ups)
    try:
        answer_welcome(user, request.form.getlist("working_days"), goals)
    except SettingsError as invalid:
        context = {"errors": invalid.errors, "form": request.form, "weekdays": WEEKDAY_LABELS}
        return render_template("goals/welcome.html", suggested=suggestions_for(user), **context), 422
    return _back_to_today()


@bp.post("/welcome/skip")
@login_required
def skip_welcome():
    """Skip the welcome: the defaults stay, and it does not come back, on this device or another."""
    mark_welcomed(_rep())
    return _back_to_today()


def _back_to_today():
    """htmx: empty the sheet and send the game strip and card out of band; a plain form goes back to Today."""
    if not is_fragment_request():
        return redirect(url_for("calls.index"), 303)
    return render_template("goals/_saved.html", game=game_state(_rep()))
