"""The team: the board, the feed and high-fives, members, and the coach's page.

Every route under ``/teams/<team_id>`` goes through ``team_route``: it needs a
login, answers 404 for a team the visitor is not in (so nothing of another
team leaks, not even that it exists) and 403 when a member tries a coach's
action. Live fragments answer 304 while the team's version is unchanged.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext
from flask_login import current_user

from webapp import worker
from webapp.domain import ranking
from webapp.domain.timing import timezone_names
from webapp.domain.visibility import MODE_HELP, MODE_LABELS
from webapp.formats import fmt_when
from webapp.i18n import translated
from webapp.rendering import is_fragment_request
from webapp.services import accounts
from webapp.services.mail import mail_on
from webapp.services.teams import challenges, feed, links, membership, seats, signals, version, visibility
from webapp.services.teams import coach as coach_view
from webapp.services.teams import page as team_page
from webapp.views import buddies, huddles, team_fairness, team_links
from webapp.views.team_access import live, own_team_route, poll_seconds, team_route

bp = Blueprint("teams", __name__)
bp.register_blueprint(team_links.bp)  # join links, TV links and the JSON board, nested under "teams."
bp.register_blueprint(huddles.bp)  # the daily huddle
bp.register_blueprint(buddies.bp)  # call buddies
bp.register_blueprint(team_fairness.bp)  # board mode and coach signals, under "teams.fair."


@bp.app_template_filter("team_when")
def team_when(moment: datetime, tz_name: str) -> str:
    """A UTC instant as a short local date and time, like "Mon 3 Nov, 14:05" or "Mon, Nov 3, 2:05 PM"."""
    return fmt_when(moment, tz_name)


@bp.app_template_global()
def new_client_id() -> str:
    """A fresh id for a form whose post must be stored once, however often it is sent (the post form)."""
    return str(uuid.uuid4())


def board_args() -> tuple[ranking.Period, ranking.Metric, bool]:
    """Period, metric and "everyone" from the query string, with kind defaults."""
    args = request.args
    return ranking.parse_period(args.get("period")), ranking.parse_metric(args.get("metric")), args.get("all") == "1"


@bp.get("/teams")
@own_team_route
def index():
    """Your team, or how to start one."""
    seat = seats.seat_of(current_user)
    if seat:
        return redirect(url_for("teams.home", team_id=seat.team.id))
    return render_template("teams/start.html", form={}, errors={}, timezones=timezone_names())


@bp.post("/teams")
@own_team_route
def create():
    """Start a team; its creator is the coach."""
    form = request.form
    try:
        team = membership.create_team(current_user, form.get("name", ""), form.get("timezone", ""))
    except seats.TeamError as invalid:
        return render_template("teams/start.html", form=form, errors=invalid.errors, timezones=timezone_names()), 422
    flash(gettext("Team created. Invite your reps with a link from this page."), "success")
    return redirect(url_for("teams.coach", team_id=team.id), 303)


@bp.get("/teams/<int:team_id>")
@team_route()
def home(seat):
    """The team's page: the challenge bar, the board and the feed, all updating on their own."""
    period, metric, full = board_args()
    page = team_page.home(seat, period, metric, full=full)
    return render_template(
        "teams/home.html",
        page=page,
        team=seat.team,
        seat=seat,
        poll=poll_seconds(),
        chosen_period=period,  # kept across "Most improved", which is always this week so far
        periods=ranking.PERIOD_LABELS,
        metrics=ranking.METRIC_LABELS,
        mode_labels=MODE_LABELS,
        mode_help=MODE_HELP,
        celebrations=(),
    )


@bp.get("/teams/<int:team_id>/board")
@team_route()
def board_live(seat):
    """The board fragment an open page polls."""
    period, metric, full = board_args()
    return live(
        version.live_tag(seat.team, "board", seat.user_id, period, metric, full),
        lambda: render_template(
            "teams/_board.html",
            board=visibility.member_board(seat, period, metric, full=full),
            team=seat.team,
            live_url=request.full_path,
            poll=poll_seconds(),
        ),
    )


@bp.get("/teams/<int:team_id>/feed/live")
@team_route()
def feed_live(seat):
    """The newest part of the feed, polled while the page is open."""
    since = request.args.get("since")
    try:
        feed.parse_cursor(since)
    except feed.BadCursor as bad:
        return _bad_cursor(bad)
    return live(
        version.live_tag(seat.team, "feed", seat.user_id, since),
        lambda: render_template(
            "teams/_feed_live.html",
            feed=feed.feed_since(seat.team, seat.user_id, since),
            team=seat.team,
            poll=poll_seconds(),
        ),
    )


@bp.get("/teams/<int:team_id>/feed/older")
@team_route()
def feed_older(seat):
    """The next page of older feed items, loaded as the rep scrolls."""
    try:
        page = feed.feed_before(seat.team, seat.user_id, request.args.get("before"))
    except feed.BadCursor as bad:
        return _bad_cursor(bad)
    return render_template("teams/_feed_page.html", feed=page, team=seat.team)


@bp.post("/teams/<int:team_id>/messages")
@team_route()
def post_message(seat):
    """Post a short message to the team feed (once per client id, so a retry does not post it twice)."""
    form = request.form
    since = form.get("since")
    try:
        feed.parse_cursor(since)  # checked before the post is written, so a refusal leaves nothing behind
        cheers = feed.post_message(seat, current_user, form.get("body", ""), client_id=form.get("client_id"))
    except feed.BadCursor as bad:
        return _bad_cursor(bad)
    except seats.TeamError as invalid:
        return _refused(translated(invalid), seat)
    if not is_fragment_request():
        return redirect(url_for("teams.home", team_id=seat.team.id, _anchor="feed"), 303)
    return render_template(
        "teams/_posted.html",
        feed=feed.feed_since(seat.team, seat.user_id, since),
        team=seat.team,
        poll=poll_seconds(),
        celebrations=cheers,
    )


@bp.post("/teams/<int:team_id>/feed/<key>/high-five")
@team_route()
def high_five(seat, key: str):
    """Give a high-five on a win or a post, once."""
    try:
        item, cheers = feed.high_five(seat, current_user, key)
    except LookupError:
        abort(404)
    except seats.TeamError as invalid:
        return _refused(translated(invalid), seat, status=409)
    if not is_fragment_request():
        return redirect(url_for("teams.home", team_id=seat.team.id, _anchor="feed"), 303)
    return render_template("teams/_high_fived.html", item=item, team=seat.team, celebrations=cheers)


def _bad_cursor(bad: feed.BadCursor):
    """A feed URL no page makes: a 400 that says so, in the feed's status line or as a page."""
    if is_fragment_request():
        headers = {"HX-Retarget": "#feed-status", "HX-Reswap": "innerHTML"}
        return render_template("_error_fragment.html", message=translated(bad)), 400, headers
    return render_template("error.html", status=400, message=translated(bad)), 400


def _refused(message: str, seat, status: int = 422):
    """A post or high-five not taken: a message where the rep looks, nothing written."""
    if not is_fragment_request():
        flash(message, "error")
        return redirect(url_for("teams.home", team_id=seat.team.id, _anchor="feed"), 303)
    headers = {"HX-Retarget": "#feed-status", "HX-Reswap": "innerHTML"}
    return render_template("_error_fragment.html", message=message), status, headers


@bp.get("/teams/<int:team_id>/members")
@team_route()
def members(seat):
    """Who is in the team; private mode, leaving, and (for the coach) removing and handing over."""
    return render_template("teams/members.html", team=seat.team, seat=seat, members=seats.members_of(seat.team.id))


@bp.post("/teams/<int:team_id>/private")
@team_route()
def private(seat):
    """Turn private mode on or off: off the boards, still seeing them."""
    on = request.form.get("private") == "on"
    membership.set_private(seat, on)
    if on:
        flash(gettext("Private mode on: you are off the boards, and still see them."), "success")
    else:
        flash(gettext("You are back on the boards."), "success")
    return redirect(url_for("teams.members", team_id=seat.team.id), 303)


@bp.post("/teams/<int:team_id>/leave")
@team_route()
def leave(seat):
    """Leave the team (a coach hands the role on first, unless they are the last one)."""
    name = seat.team.name
    try:
        membership.leave(seat)
    except seats.TeamError as refused:
        flash(translated(refused), "error")
        return redirect(url_for("teams.members", team_id=seat.team.id), 303)
    flash(gettext("You left %(team)s. Your calls and badges stay yours.", team=name), "info")
    return redirect(url_for("teams.index"), 303)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@team_route(seats.COACH)
def remove_member(seat, user_id: int):
    """The coach takes a member off the team."""
    if not membership.remove_member(seat, user_id):
        abort(404)
    flash(gettext("Removed from the team."), "info")
    return redirect(url_for("teams.members", team_id=seat.team.id), 303)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/coach")
@team_route(seats.COACH)
def hand_coach_role(seat, user_id: int):
    """The coach hands the coach role to another member."""
    if not membership.hand_coach_role(seat, user_id):
        abort(404)
    flash(gettext("Done: the team has a new coach. You are a member now."), "success")
    return redirect(url_for("teams.members", team_id=seat.team.id), 303)


def _coach_page(seat, status: int = 200, **context):
    """The coach's page, with whatever a form just did."""
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render_template(
        "teams/coach.html",
        team=seat.team,
        seat=seat,
        rows=coach_view.coach_rows(seat.team),
        invites=links.open_invites(seat.team.id),
        challenge=challenges.challenge_for(seat.team),
        metrics=ranking.CHALLENGE_LABELS,
        periods=ranking.CHALLENGE_PERIODS,
        board_modes=MODE_LABELS,
        signals=signals.coach_signals(seat.team, sort=request.args.get("sort", "flags")),
        **context,
    ), status


@bp.get("/teams/<int:team_id>/coach")
@team_route(seats.COACH)
def coach(seat):
    """The coach's view: each member's day, week, funnel, streak and last call; links and challenges."""
    return _coach_page(seat)


@bp.get("/teams/<int:team_id>/coach/calls.csv")
@team_route(seats.COACH)
def calls_csv(seat):
    """The team's calls for a date range, as CSV."""
    try:
        first, last = coach_view.parse_range(request.args.get("from", ""), request.args.get("to", ""))
    except seats.TeamError as invalid:
        return _coach_page(seat, 422, errors={"csv": translated(invalid)}, form=request.args)
    name = f"closer-team-{seat.team.id}-calls-{first}-to-{last}.csv"
    response = Response(stream_with_context(coach_view.calls_csv(seat.team, first, last)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/teams/<int:team_id>/invites")
@team_route(seats.COACH)
def create_invite(seat):
    """Make an invite link, shown once (only its digest is kept)."""
    token = links.create_invite(seat)
    return _coach_page(seat, 201, new_invite=url_for("teams.links.join", token=token, _external=True))


@bp.post("/teams/<int:team_id>/invites/email")
@team_route(seats.COACH)
def email_invite(seat):
    """Queue an invite by email: the worker makes the link and sends it (email on only)."""
    if not mail_on():
        errors = {"invite_email": gettext("This server does not send email: copy a link.")}
        return _coach_page(seat, 422, errors=errors)
    address = accounts.normalise_email(request.form.get("address", ""))
    if not accounts.valid_email(address):
        errors = {"invite_email": gettext("Enter an email address like name@example.com.")}
        return _coach_page(seat, 422, errors=errors, form=request.form)
    worker.email_invite(seat.team.id, seat.user_id, address)
    flash(gettext("Invite on its way to %(address)s. The link in it works for 7 days.", address=address), "success")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="invites"), 303)


@bp.post("/teams/<int:team_id>/invites/<int:invite_id>/revoke")
@team_route(seats.COACH)
def revoke_invite(seat, invite_id: int):
    """Withdraw an invite link; it stops working at once."""
    if not links.revoke_invite(seat, invite_id):
        abort(404)
    flash(gettext("Invite link withdrawn."), "info")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="invites"), 303)


@bp.post("/teams/<int:team_id>/challenge")
@team_route(seats.COACH)
def set_challenge(seat):
    """Set the team's challenge for a period."""
    form = request.form
    try:
        challenges.set_challenge(seat, form.get("metric", ""), form.get("target", ""), form.get("period", ""))
    except seats.TeamError as invalid:
        return _coach_page(seat, 422, errors=invalid.errors, form=form)
    flash(gettext("Challenge set. Everyone sees it on their main screen."), "success")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="challenge"), 303)


@bp.post("/teams/<int:team_id>/challenge/end")
@team_route(seats.COACH)
def end_challenge(seat):
    """Stop the running challenge."""
    challenges.end_challenge(seat)
    flash(gettext("Challenge ended."), "info")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="challenge"), 303)


@bp.post("/teams/<int:team_id>/tv")
@team_route(seats.COACH)
def rotate_tv(seat):
    """Make a new TV link (the old one stops working), shown once."""
    token = links.rotate_tv_link(seat)
    return _coach_page(seat, 201, new_tv=url_for("teams.links.tv", token=token, _external=True))


@bp.post("/teams/<int:team_id>/tv/revoke")
@team_route(seats.COACH)
def revoke_tv(seat):
    """Turn the TV link off."""
    links.revoke_tv_link(seat)
    flash(gettext("TV link turned off. Any screen showing it goes blank on its next refresh."), "info")
    return redirect(url_for("teams.coach", team_id=seat.team.id, _anchor="tv"), 303)
