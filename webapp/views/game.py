"""Badges, the wins log and personal rewards."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.domain.badge_art import badge_svg
from webapp.i18n import translated
from webapp.services.game import badges as badge_service
from webapp.services.game import rewards
from webapp.services.game.settings import SettingsError
from webapp.services.game.win_words import high_five_line, win_words
from webapp.services.game.wins import wins_log
from webapp.services.teams import high_fives_received as high_fives
from webapp.views import settings as settings_views

bp = Blueprint("game", __name__)


@bp.get("/badges")
@login_required
def badges():
    """Every badge: earned with its date, locked with how to earn it and progress."""
    cards = badge_service.badge_board(current_user)
    return render_template(
        "game/badges.html",
        cards=cards,
        badge_svg=partial(badge_svg, translate=translated),
        earned=sum(card.earned for card in cards),
    )


@bp.get("/wins")
@login_required
def wins():
    """The wins log, newest first, with the high-fives each win received."""
    wins = wins_log(current_user)
    return render_template(
        "game/wins.html",
        wins=wins,
        givers=high_fives.givers_by_win(current_user, [win.id for win in wins]),
        received=high_fives.recent_high_fives(current_user),
        win_words=win_words,
        high_five_line=high_five_line,
    )


@bp.post("/high-fives/seen")
@login_required
def high_fives_seen():
    """Today showed the high-fives received up to ``up_to``: the next refresh shows only newer ones."""
    up_to = request.form.get("up_to", "")
    if not up_to.isdigit():
        abort(422)
    high_fives.mark_high_fives_seen(current_user, int(up_to))
    return "", 204


@bp.post("/rewards")
@login_required
def add_reward():
    """Set a personal reward ("coffee at 40 dials")."""
    form = request.form
    try:
        rewards.add_reward(current_user, form.get("label", ""), form.get("metric", ""), form.get("threshold", ""))
    except SettingsError as invalid:
        return settings_views._page(422, errors=invalid.errors, reward_form=form)
    flash(_("Reward set. Go earn it."), "success")
    return redirect(url_for("settings.index", _anchor="rewards"), 303)


@bp.post("/rewards/<int:reward_id>/delete")
@login_required
def delete_reward(reward_id: int):
    """Remove a personal reward."""
    if not rewards.delete_reward(current_user, reward_id):
        abort(404)
    flash(_("Reward removed."), "info")
    return redirect(url_for("settings.index", _anchor="rewards"), 303)
