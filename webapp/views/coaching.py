"""Resilience coaching: the ten-second review, "That was tough", resets, insights, the bigger picture."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug import exceptions

from webapp.models import utcnow
from webapp.rendering import is_fragment_request, render_page
from webapp.services import game, teams
from webapp.services import resilience as coach
from webapp.services import today as today_service
from webapp.views.team_access import team_route

bp = Blueprint("coaching", __name__)


@bp.errorhandler(coach.NotFound)
def not_found(error: coach.NotFound):
    """Another rep's call or reset answers exactly like one that does not exist."""
    return current_app.handle_http_exception(exceptions.NotFound())


@bp.get("/calls/recent")
@login_required
def recent():
    """Today's and yesterday's calls, each with Review and That was tough."""
    return render_template(
        "coaching/recent.html",
        calls=coach.recent_calls(current_user),
        today=today_service.today_for(current_user),
        **_choices(),
    )


@bp.get("/calls/<client_id>/review")
@login_required
def review_form(client_id: str):
    """The review of one call: new, or the saved one to edit."""
    call = coach.own_call(current_user, client_id)
    values = coach.review_values(coach.review_of(current_user, call))
    return render_page(
        "coaching/review.html", "coaching/_review_form.html", call=call, values=values, screen="page", **_choices()
    )


@bp.post("/calls/<client_id>/review")
@login_required
def save_review(client_id: str):
    """Save a review in one tap; its first save earns points, edits earn nothing again."""
    form, screen = request.form, request.form.get("screen", "page")
    try:
        saved = coach.save_review(current_user, client_id, coach.parse_review(form))
    except coach.CoachingError as refused:
        call = coach.own_call(current_user, client_id)
        return render_page(
            "coaching/review.html",
            "coaching/_review_form.html",
            call=call,
            values=form,
            screen=screen,
            error=str(refused),
            **_choices(),
        ), 422
    if not is_fragment_request():
        flash(f"Review saved{f': +{saved.points} points' if saved.points else ''}.", "success")
        return redirect(url_for("coaching.recent"), 303)
    widgets = _widgets() if screen == "main" else {}
    return render_template(
        "coaching/_review_saved.html", saved=saved, screen=screen, celebrations=saved.celebrations, **widgets
    )


@bp.get("/review/skip")
@login_required
def skip_review():
    """Skip the review: one tap closes the offer, nothing is written, and it is never asked again."""
    return ""


@bp.post("/calls/<client_id>/tough")
@login_required
def tough(client_id: str):
    """One tap: this call was tough. A kind line, a reset offered, and a way to share it."""
    marked = coach.mark_tough(current_user, client_id)
    if not is_fragment_request():
        flash(marked.line, "info")
        return redirect(url_for("coaching.new_reset", call=client_id), 303)
    return render_template("coaching/_tough.html", tough=marked, **_choices())


@bp.post("/calls/<client_id>/tough/share")
@login_required
def share_tough(client_id: str):
    """Share "Tough call survived" with the team feed (and the wins log)."""
    coach.share_tough(current_user, client_id)
    if not is_fragment_request():
        flash("Shared: tough call survived.", "success")
        return redirect(url_for("coaching.recent"), 303)
    return render_template("coaching/_shared.html", in_team=teams.seat_of(current_user) is not None)


@bp.get("/resets/new")
@login_required
def new_reset():
    """Choose a short break: breathing, a stretch or a walk, one to five minutes."""
    return render_template("coaching/reset_new.html", **_choices())


@bp.post("/resets")
@login_required
def start_reset():
    """Start a reset on the server's clock, then show its timer."""
    form = request.form
    try:
        reset = coach.start_reset(current_user, form.get("kind", ""), form.get("minutes", ""))
    except coach.CoachingError as refused:
        return render_template("coaching/reset_new.html", error=str(refused), **_choices()), 422
    return redirect(url_for("coaching.reset", reset_id=reset.id), 303)


@bp.get("/resets/<int:reset_id>")
@login_required
def reset(reset_id: int):
    """A reset's timer while it runs; what it earned once it is done."""
    return render_template("coaching/reset.html", **_reset_context(coach.own_reset(current_user, reset_id)))


@bp.post("/resets/<int:reset_id>/finish")
@login_required
def finish_reset(reset_id: int):
    """Log a reset whose time is up; an early finish is refused kindly and changes nothing."""
    try:
        done = coach.finish_reset(current_user, reset_id)
    except coach.TooSoon as early:
        context = _reset_context(coach.own_reset(current_user, reset_id))
        return render_template("coaching/reset.html", error=str(early), **context), 422
    for cheer in done.celebrations:
        flash(f"{cheer.title}. {cheer.message}", "success")
    return redirect(url_for("coaching.reset", reset_id=reset_id), 303)


@bp.get("/insights")
@login_required
def insights():
    """Patterns over time: objections, review answers, best times, funnel, bounce backs."""
    seat = teams.seat_of(current_user)
    return render_template(
        "coaching/insights.html",
        data=coach.insights_for(current_user),
        coached_team=seat.team if seat and seat.is_coach else None,
    )


@bp.get("/big-picture")
@login_required
def big_picture():
    """The long view: a year of calling, weekly trend, lifetime funnel, personal bests."""
    return render_template("coaching/big_picture.html", data=coach.big_picture_for(current_user))


@bp.get("/teams/<int:team_id>/coach/insights")
@team_route(teams.COACH)
def team_insights(seat):
    """The coach's view of the team's reviews: objections met and how the answers are trending."""
    member_ids = [member.user_id for member, _ in teams.members_of(seat.team.id)]
    data = coach.team_insights(member_ids, today_service.today_for(current_user))
    return render_template("coaching/team_insights.html", team=seat.team, data=data)


def _choices() -> dict:
    """The review's questions and objections, and the resets on offer."""
    return coach.main_screen_context(current_user, None)


def _widgets() -> dict:
    """The main screen's tally and game card, sent out of band after a review earns points."""
    user = current_user._get_current_object()
    summary = today_service.day_summary(user, today_service.today_for(user))
    return {"summary": summary, "game": game.game_state(user)}


def _reset_context(reset) -> dict:
    """The timer's numbers (in ms since the epoch, for reset.js) and, once done, a kind line."""
    ends_at = coach.reset_ends_at(reset)
    started = reset.started_at.astimezone(UTC)
    return {
        "reset": reset,
        "guide": coach.reset_guide(reset.kind),
        "started_ms": int(started.timestamp() * 1000),
        "ends_ms": int(ends_at.timestamp() * 1000),
        "now_ms": int(utcnow().timestamp() * 1000),
        "line": coach.encouragement("after_reset", reset.id) if reset.finished_at else None,
        "rewarded_today": coach.resets_rewarded_today(current_user),
    }
