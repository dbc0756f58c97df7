"""What secret links open (an invite, the TV board) and the JSON board.

An invite or TV link is a random token; only its sha256 is stored. An
unknown, expired or revoked token gets the same plain 404 as any missing page.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from webapp.domain import ranking
from webapp.domain.visibility import TV_CYCLE_SECONDS, tv_metric
from webapp.i18n import translated
from webapp.models import utcnow
from webapp.services.teams import challenges, feed, leagues, links, seats, version, visibility
from webapp.views.team_access import live, poll_seconds, team_route, token_route

bp = Blueprint("links", __name__)

TV_FEED_ITEMS = 8


@bp.get("/join/<token>")
@token_route
def join(token: str):
    """An invite: confirm to join, or register (confirming there) or log in first. Opening it changes nothing."""
    found = links.invite_for(token)
    if found is None:
        abort(404)
    current = seats.seat_of(current_user) if current_user.is_authenticated else None
    return render_template("teams/join.html", team=found[1], token=token, current=current)


@bp.post("/join/<token>")
@token_route
@login_required
def accept(token: str):
    """Join the invite's team after the one confirmation."""
    try:
        team = links.join_with_invite(current_user, token)
    except seats.TeamError as refused:
        flash(translated(refused), "error")
        return redirect(url_for("teams.index"), 303)
    flash(gettext("Welcome to %(team)s. Your dials now count for the team too.", team=team.name), "success")
    return redirect(url_for("calls.index"), 303)  # a new member starts on Today, not on a board at 0


@bp.get("/tv/<token>")
@token_route
def tv(token: str):
    """The wall display: the week's board and the feed, refreshing on their own, read-only."""
    team = links.team_for_tv(token)
    if team is None:
        abort(404)
    return render_template("teams/tv.html", team=team, token=token, poll=poll_seconds(), **_tv_context(team))


@bp.get("/tv/<token>/live")
@token_route
def tv_live(token: str):
    """The TV's polled fragment; a revoked link gets a 404 at once."""
    team = links.team_for_tv(token)
    if team is None:
        abort(404)
    now = utcnow()
    return live(
        version.live_tag(team, "tv", tv_metric(now)),
        lambda: render_template(
            "teams/_tv_live.html", team=team, token=token, poll=poll_seconds(), **_tv_context(team, now)
        ),
    )


def _tv_context(team, now=None) -> dict:
    """The wall: the challenge, the top five of the week (the metric cycles every 20 s), the newest wins."""
    now = now or utcnow()
    return {
        "board": visibility.tv_board(team, ranking.Period.WEEK, tv_metric(now)),
        "feed": feed.feed_first_page(team, None, limit=TV_FEED_ITEMS),
        "challenge": challenges.challenge_for(team),
        "fresh_since": now - timedelta(seconds=poll_seconds()),  # wins newer than one poll slide in
        "cycle_seconds": TV_CYCLE_SECONDS,
    }


@bp.get("/api/v1/teams/<int:team_id>/leaderboard")
@team_route()
def leaderboard(seat):
    """The ranked rows of a board (rank, display name, value), private-mode members left out."""
    try:
        period = ranking.Period(request.args.get("period", "week"))
        metric = ranking.Metric(request.args.get("metric", "points"))
    except ValueError:
        message = "period is one of today, week, month; metric one of " + ", ".join(m.value for m in ranking.Metric)
        return jsonify(error="invalid_query", message=message + "."), 400
    return jsonify(visibility.leaderboard_json(seat, period, metric))


@bp.get("/api/v1/teams/<int:team_id>/league")
@team_route()
def league(seat):
    """The viewer's weekly league (teams of more than eight), ranked by this week's metric."""
    return jsonify(leagues.league_json(seat, ranking.parse_metric(request.args.get("metric"))))
