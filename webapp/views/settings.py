"""The rep's own settings: name, timezone, password, the devices logged in, the game, and the streak."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from webapp.domain.appearance import THEME_LABELS
from webapp.domain.time_off import KIND_LABELS, TimeOffRefused
from webapp.domain.timing import WEEKDAY_LABELS, timezone_names
from webapp.services import accounts, device_sessions
from webapp.services.coaching import resets
from webapp.services.coaching.calls import CoachingError
from webapp.services.game import rewards
from webapp.services.game.settings import SettingsError, update_game_settings
from webapp.services.game.state import suggestions_for, targets_for
from webapp.services.game.streak_settings import MINIMUM_CHOICES, set_minimum, set_streak_hidden
from webapp.services.game.time_off import add_time_off, refusal_words, remove_time_off, time_off_of
from webapp.services.teams import signals
from webapp.services.teams.seats import seat_of

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _page(status: int = 200, **context):
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render_template(
        "settings/index.html",
        streak=_streak_context(),
        timezones=timezone_names(),
        weekdays=WEEKDAY_LABELS,
        targets=targets_for(current_user),
        suggested=suggestions_for(current_user),
        rewards=rewards.rewards_of(current_user),
        sessions=device_sessions.open_sessions(current_user),
        is_coach=bool((seat := seat_of(current_user)) and seat.is_coach),
        themes=THEME_LABELS,
        **context,
    ), status


@bp.get("")
@login_required
def index():
    """Show the settings page."""
    return _page()


@bp.post("/profile")
@login_required
def profile():
    """Save the display name and timezone."""
    form = request.form
    try:
        accounts.update_profile(current_user, form.get("display_name", ""), form.get("timezone", ""))
    except accounts.FormErrors as invalid:
        return _page(422, errors=invalid.errors, form=form)
    flash(_("Settings saved."), "success")
    return redirect(url_for("settings.index"), 303)


@bp.post("/locale")
@login_required
def locale():
    """Save the language and the formats of times, dates and numbers."""
    try:
        accounts.set_locale(current_user, request.form.get("locale", ""))
    except accounts.FormErrors as invalid:
        return _page(422, errors=invalid.errors, form=request.form)
    flash(_("Language and formats saved."), "success")
    return redirect(url_for("settings.index", _anchor="locale"), 303)


@bp.post("/theme")
@login_required
def theme():
    """Save the colour theme: the device's setting, light or dark."""
    try:
        accounts.set_theme(current_user, request.form.get("theme"))
    except accounts.FormErrors as invalid:
        return _page(422, errors=invalid.errors)
    flash(_("Theme saved."), "success")
    return redirect(url_for("settings.index", _anchor="appearance"), 303)


@bp.post("/password")
@login_required
def password():
    """Change the password after checking the current one."""
    form = request.form
    try:
        ended = accounts.change_password(current_user, form.get("current_password", ""), form.get("new_password", ""))
    except accounts.FormErrors as invalid:
        return _page(422, errors=invalid.errors)
    flash(_("Password changed.") + (f" {_logged_out(ended)}" if ended else ""), "success")
    return redirect(url_for("settings.index"), 303)


@bp.post("/weekly-email")
@login_required
def weekly_email():
    """Opt in to (or out of) the weekly summary by email."""
    on = accounts.set_weekly_email(current_user, request.form.get("weekly_email") == "1")
    flash(_("The weekly summary comes on Monday mornings.") if on else _("No more weekly emails."), "success")
    return redirect(url_for("settings.index", _anchor="weekly-email"), 303)


@bp.post("/sessions/others/end")
@login_required
def end_other_sessions():
    """Log out every other device; this one stays logged in."""
    ended = device_sessions.end_others(current_user)
    flash(_logged_out(ended) if ended else _("No other sessions were open."), "success")
    return redirect(url_for("settings.index", _anchor="sessions"), 303)


def _logged_out(count: int) -> str:
    return ngettext("Logged out %(num)s other session.", "Logged out %(num)s other sessions.", count)


@bp.post("/game")
@login_required
def game_settings():
    """Save working days, the hour a day starts and the goal targets."""
    form = request.form
    goals = {kind: form.get(f"goal_{kind}", "") for kind in ("dials", "conversations", "follow_ups")}
    try:
        update_game_settings(current_user, form.getlist("working_days"), form.get("day_start_hour", "0"), goals)
    except SettingsError as invalid:
        return _page(422, errors=invalid.errors, form=form)
    flash(_("Game settings saved."), "success")
    return redirect(url_for("settings.index"), 303)


@bp.post("/resets")
@login_required
def reset_settings():
    """Save after how many no's in a row a short reset is offered."""
    try:
        resets.update_reset_setting(current_user, request.form.get("reset_after_nos", ""))
    except CoachingError as invalid:
        return _page(422, errors={"reset_after_nos": str(invalid)})
    flash(_("Reset setting saved."), "success")
    return redirect(url_for("settings.index", _anchor="resets"), 303)


@bp.post("/coach-sees-tough")
@login_required
def coach_sees_tough():
    """Let the coach see (or stop seeing) today's tough-call marks and resets, as counts."""
    on = request.form.get("coach_sees_tough") == "1"
    signals.set_coach_sees_tough(current_user, on)
    said = _("Your coach sees your tough calls and resets as counts.") if on else _("Your tough calls stay yours.")
    flash(said, "success")
    return redirect(url_for("settings.index", _anchor="coach-privacy"), 303)


# ---- the streak: the daily minimum, time off, and the switch that hides it


def _streak_context() -> dict:
    return {"choices": MINIMUM_CHOICES, "time_off": time_off_of(current_user), "kinds": KIND_LABELS}


def _to_streak_section():
    return redirect(url_for("settings.index", _anchor="streak"), 303)


@bp.post("/streak/minimum")
@login_required
def streak_minimum():
    """Set the daily minimum that keeps the streak (one tap on a choice, or a number)."""
    try:
        minimum = set_minimum(current_user, request.form.get("min_dials"))
    except SettingsError as invalid:
        return _page(422, errors=invalid.errors, streak_form=request.form.to_dict())
    flash(
        ngettext("%(num)s dial a day keeps your streak.", "%(num)s dials a day keep your streak.", minimum), "success"
    )
    return _to_streak_section()


@bp.post("/streak/hidden")
@login_required
def streak_hidden():
    """Hide or show the streak counter (and your own rank on boards)."""
    hidden = request.form.get("hide_streak") == "1"
    set_streak_hidden(current_user, hidden)
    flash(_("Streak hidden. The rest of the game stays.") if hidden else _("Streak shown again."), "success")
    return _to_streak_section()


@bp.post("/time-off")
@login_required
def add_days_off():
    """Mark a range of days as time off: they neither keep nor break the streak."""
    form = request.form
    try:
        add_time_off(current_user, form.get("first", ""), form.get("last", ""), form.get("kind", ""))
    except TimeOffRefused as invalid:
        errors = {f"time_off_{name}": message for name, message in refusal_words(invalid).items()}
        return _page(422, errors=errors, streak_form=form.to_dict())
    flash(_("Time off saved. Those days won't touch your streak."), "success")
    return _to_streak_section()


@bp.post("/time-off/<int:time_off_id>/delete")
@login_required
def remove_days_off(time_off_id: int):
    """Remove a range of time off."""
    if not remove_time_off(current_user, time_off_id):
        abort(404)
    flash(_("Time off removed."), "info")
    return _to_streak_section()
