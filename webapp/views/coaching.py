"""Resilience coaching: the ten-second review, "That was tough", resets, insights, the bigger picture."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug import exceptions

from webapp.domain.encouragement import Moment
from webapp.formats import calendar_names
from webapp.i18n import celebration_words
from webapp.models import utcnow
from webapp.rendering import is_fragment_request, render_page
from webapp.services.coaching import big_picture, insights, resets, reviews, tough
from webapp.services.coaching.calls import CoachingError, NotFound, own_call, reviewable_calls
from webapp.services.game.state import game_state
from webapp.services.teams.seats import COACH, members_of, seat_of
from webapp.services.today import day_summary, day_window, today_for
from webapp.views.coach_lines import line_for
from webapp.views.team_access import team_route

bp = Blueprint("coaching", __name__)


@bp.errorhandler(NotFound)
def not_found(error: NotFound):
    """Another rep's call or reset answers exactly like one that does not exist."""
    return current_app.handle_http_exception(exceptions.NotFound())


@bp.get("/calls/recent")
@login_required
def recent():
    """Today's and yesterday's calls, each with Review and That was tough."""
    return render_template("coaching/recent.html", calls=reviewable_calls(current_user), today=today_for(current_user))


@bp.get("/calls/<client_id>/review")
@login_required
def review_form(client_id: str):
    """The review of one call: new, or the saved one to edit."""
    call = own_call(current_user, client_id)
    values = reviews.review_values(reviews.review_of(current_user, call))
    # On the main screen the review opens as a sheet over the buttons; navigated to, it is a page.
    screen = "sheet" if request.args.get("screen") == "sheet" and is_fragment_request() else "page"
    return render_page("coaching/review.html", "coaching/_review_form.html", call=call, values=values, screen=screen)


@bp.post("/calls/<client_id>/review")
@login_required
def save_review(client_id: str):
    """Save a review in one tap; its first save earns points, edits earn nothing again, a replay changes nothing.

    The outbox (a review saved on the device) asks for JSON: it only needs to know what became of it.
    """
    form, screen = request.form, request.form.get("screen", "page")
    replay = _wants_json()
    try:
        answers, review_id = reviews.parse_review(form), reviews.parse_review_id(form.get("review_id"))
        saved = reviews.save_review(current_user, client_id, answers, review_id=review_id)
    except CoachingError as refused:
        if replay:
            return jsonify(error="invalid_review", message=str(refused)), 422
        call = own_call(current_user, client_id)
        page = render_page(
            "coaching/review.html", "coaching/_review_form.html", call=call, values=form, screen=screen,
            error=str(refused),
        )  # fmt: skip
        return page, 422
    if replay:
        return jsonify(status="duplicate" if saved.replayed else "accepted", points=saved.points)
    if not is_fragment_request():
        points = saved.points
        said = ngettext("Review saved: +%(num)s point.", "Review saved: +%(num)s points.", points) if points else None
        flash(said or gettext("Review saved."), "success")
        return redirect(url_for("coaching.recent"), 303)
    widgets = _widgets() if screen in ("main", "sheet") else {}
    saved_template = "coaching/_review_saved_sheet.html" if screen == "sheet" else "coaching/_review_saved.html"
    return render_template(saved_template, saved=saved, screen=screen, celebrations=saved.celebrations, **widgets)


@bp.get("/review/skip")
@login_required
def skip_review():
    """Skip the review: one tap closes the offer, nothing is written, and it is never asked again."""
    return ""


@bp.post("/calls/<client_id>/tough", endpoint="tough")
@login_required
def mark_tough(client_id: str):
    """One tap: this call was tough. A kind line, a reset offered, and a way to share it."""
    marked = tough.mark_tough(current_user, client_id)
    line = line_for(marked.moment, marked.call.id)
    if not is_fragment_request():
        flash(line, "info")
        return redirect(url_for("coaching.new_reset", call=client_id), 303)
    return render_template("coaching/_tough.html", tough=marked, line=line, in_team=seat_of(current_user) is not None)


@bp.post("/calls/<client_id>/tough/share")
@login_required
def share_tough(client_id: str):
    """Share "Tough call survived" with the team feed (and the wins log)."""
    tough.share_tough(current_user, client_id)
    if not is_fragment_request():
        flash(gettext("Shared: tough call survived."), "success")
        return redirect(url_for("coaching.recent"), 303)
    return render_template("coaching/_shared.html", in_team=seat_of(current_user) is not None)


@bp.get("/resets/new")
@login_required
def new_reset():
    """Choose a short break: breathing, a stretch or a walk, one to five minutes."""
    return render_template("coaching/reset_new.html")


@bp.post("/resets")
@login_required
def start_reset():
    """Start a reset on the server's clock, then show its timer."""
    form = request.form
    try:
        reset = resets.start_reset(current_user, form.get("kind", ""), form.get("minutes", ""))
    except CoachingError as refused:
        return render_template("coaching/reset_new.html", error=str(refused)), 422
    return redirect(url_for("coaching.reset", reset_id=reset.id), 303)


@bp.get("/resets/<int:reset_id>")
@login_required
def reset(reset_id: int):
    """A reset's timer while it runs; what it earned once it is done."""
    return render_template("coaching/reset.html", **_reset_context(resets.own_reset(current_user, reset_id)))


@bp.post("/resets/<int:reset_id>/finish")
@login_required
def finish_reset(reset_id: int):
    """Log a reset once half its time has passed; an earlier finish is refused kindly and changes nothing."""
    try:
        done = resets.finish_reset(current_user, reset_id)
    except resets.TooSoon as early:
        context = _reset_context(resets.own_reset(current_user, reset_id))
        return render_template("coaching/reset.html", error=str(early), **context), 422
    for cheer in done.celebrations:
        title, message = celebration_words(cheer)
        flash(f"{title}. {message}", "success")
    return redirect(url_for("coaching.reset", reset_id=reset_id), 303)


@bp.get("/insights", endpoint="insights")
@login_required
def insights_page():
    """Patterns over time: objections, review answers, best times, funnel, bounce backs."""
    seat = seat_of(current_user)
    return render_template(
        "coaching/insights.html",
        data=insights.insights_for(current_user),
        coached_team=seat.team if seat and seat.is_coach else None,
    )


@bp.get("/big-picture", endpoint="big_picture")
@login_required
def big_picture_page():
    """The long view: a year of calling, weekly trend, lifetime funnel, personal bests."""
    return render_template(
        "coaching/big_picture.html", data=big_picture.big_picture_for(current_user, calendar=calendar_names())
    )


@bp.get("/teams/<int:team_id>/coach/insights")
@team_route(COACH)
def team_insights(seat):
    """The coach's view of the team's reviews: objections met and how the answers are trending."""
    member_ids = [member.user_id for member, _ in members_of(seat.team.id)]
    data = insights.team_insights(member_ids, today_for(current_user))
    return render_template("coaching/team_insights.html", team=seat.team, data=data)


def _wants_json() -> bool:
    """Whether the request asks for JSON rather than a page or fragment (the outbox's replay does)."""
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


def _widgets() -> dict:
    """The main screen's tally and game card, sent out of band after a review earns points."""
    user = current_user._get_current_object()
    summary = day_summary(user, today_for(user))
    return {"summary": summary, "day_window": day_window(user, summary.day), "game": game_state(user)}


def _reset_context(reset) -> dict:
    """The timer's numbers (in ms since the epoch, for reset.js) and, once done, a kind line."""
    ends_at = resets.reset_ends_at(reset)
    started = reset.started_at.astimezone(UTC)
    return {
        "reset": reset,
        "guide": resets.reset_guide(reset.kind),
        "started_ms": int(started.timestamp() * 1000),
        "ends_ms": int(ends_at.timestamp() * 1000),
        "ready_ms": int(resets.reset_ready_at(reset).timestamp() * 1000),
        "now_ms": int(utcnow().timestamp() * 1000),
        "line": line_for(Moment.AFTER_RESET, reset.id) if reset.finished_at else None,
        "rewarded_today": resets.resets_rewarded_today(current_user),
    }
