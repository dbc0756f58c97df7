"""The daily huddle: answering from Today, the team's card (live), high-fives, and the coach's plan.

Nested under the teams blueprint, so every route goes through ``team_route``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from webapp.domain.huddles import ANSWER_MAX, PROMPT_MAX, HuddleRefused
from webapp.i18n import translated
from webapp.rendering import is_fragment_request
from webapp.services.teams import huddle, seats, version
from webapp.views.team_access import live, poll_seconds, team_route

bp = Blueprint("huddle", __name__)


def today_context(seat) -> dict:
    """What the huddle card on Today shows: the plan, and the member's answer (or skip) today."""
    plan = huddle.plan_of(seat.team.id)
    return {
        "team": seat.team,
        "plan": plan,
        "mine": huddle.own_answer(seat, huddle.team_day(seat.team)),
        "limit": ANSWER_MAX,
    }


def card_context(seat) -> dict:
    """What the team's huddle card shows this member."""
    return {"team": seat.team, "seat": seat, "card": huddle.card(seat), "poll": poll_seconds()}


@bp.get("/teams/<int:team_id>/huddle")
@team_route()
def page(seat):
    """The huddle: today's answers and the days before; for the coach, the plan too."""
    plan = huddle.form_defaults(huddle.plan_of(seat.team.id))
    return render_template("huddles/page.html", plan=plan, errors={}, prompt_max=PROMPT_MAX, **card_context(seat))


@bp.get("/teams/<int:team_id>/huddle/live")
@team_route()
def card(seat):
    """The huddle card an open team page polls (304 while nothing changed)."""
    tag = version.live_tag(seat.team, "huddle", seat.user_id, seat.is_coach)
    return live(tag, lambda: render_template("huddles/_card.html", **card_context(seat)))


def _after_answer(seat, action):
    """Answer or skip: Today's card again (htmx), else back to the huddle; a refusal says why."""
    try:
        action()
    except HuddleRefused as refused:
        if not is_fragment_request():
            flash(translated(refused), "error")
            return redirect(url_for("teams.huddle.page", team_id=seat.team.id), 303)
        context = today_context(seat) | {"error": str(refused), "draft": request.form.get("body", "")}
        return render_template("huddles/_today_card.html", **context), 422
    if not is_fragment_request():
        return redirect(url_for("teams.huddle.page", team_id=seat.team.id), 303)
    return render_template("huddles/_today_card.html", **today_context(seat))


@bp.post("/teams/<int:team_id>/huddle/answer")
@team_route()
def answer(seat):
    """Answer today's huddle in one line."""
    return _after_answer(seat, lambda: huddle.answer(seat, request.form.get("body", "")))


@bp.post("/teams/<int:team_id>/huddle/skip")
@team_route()
def skip(seat):
    """Skip today's huddle."""
    return _after_answer(seat, lambda: huddle.skip(seat))


@bp.post("/teams/<int:team_id>/huddle/<key>/high-five")
@team_route()
def high_five(seat, key: str):
    """High-five a teammate's huddle answer, once."""
    try:
        item = huddle.high_five(seat, key)
    except LookupError:
        abort(404)
    except HuddleRefused as refused:
        return render_template("_error_fragment.html", message=translated(refused)), 409
    if not is_fragment_request():
        return redirect(url_for("teams.huddle.page", team_id=seat.team.id), 303)
    return render_template("huddles/_answer.html", item=item, team=seat.team)


@bp.post("/teams/<int:team_id>/huddle/plan")
@team_route(seats.COACH)
def set_plan(seat):
    """The coach turns the daily huddle on or off, with its time and prompt."""
    form = request.form
    try:
        huddle.set_plan(seat, form.get("enabled") == "on", form.get("time", ""), form.get("prompt", ""))
    except HuddleRefused as refused:
        plan = huddle.form_defaults(huddle.plan_of(seat.team.id))
        context = card_context(seat) | {"plan": plan, "errors": {refused.field: str(refused)}, "prompt_max": PROMPT_MAX}
        return render_template("huddles/page.html", **context), 422
    flash(gettext("Huddle saved. Members see it on Today."), "success")
    return redirect(url_for("teams.huddle.page", team_id=seat.team.id), 303)
