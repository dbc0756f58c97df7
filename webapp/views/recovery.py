"""Getting back into an account: "Forgot your password?", the reset page, and links made for a member."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext

from webapp import worker
from webapp.extensions import limiter
from webapp.services import accounts, recovery
from webapp.services.mail import mail_on
from webapp.services.teams import seats
from webapp.views.auth import LOGIN_EMAIL
from webapp.views.team_access import team_route, token_route

bp = Blueprint("recovery", __name__)

# Said after every request for a link, known email or not, so the answer never tells who has an account.
LINK_ON_ITS_WAY = lazy_gettext("If an account exists for that email, a reset link is on its way. It works for an hour.")


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _private(page: str, status: int = 200):
    """A page that carries a reset token: never cached, never sent on in a Referer."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.app_context_processor
def mail_state() -> dict:
    """Whether this server sends email: pages that would use it say so when it does not."""
    return {"mail_on": mail_on()}


@bp.get("/forgot")
def forgot_form():
    """Ask for a reset link by email, or, with email off, say who can make one."""
    return render_template("recovery/forgot.html", form={}, errors={}, sent=False)


@bp.post("/forgot")
@limiter.limit(_auth_limit, methods=["POST"])
def forgot():
    """Queue a reset link for the email's account, if there is one; the answer is the same either way."""
    if not mail_on():
        abort(404)
    email = request.form.get("email", "")
    if not accounts.valid_email(email):
        errors = {"email": gettext("Enter an email address like name@example.com.")}
        return render_template("recovery/forgot.html", form=request.form, errors=errors, sent=False), 422
    user_id = recovery.account_to_email(email)
    if user_id is not None:
        worker.email_reset_link(user_id)  # queued: the worker talks to the SMTP server
    return render_template("recovery/forgot.html", form={}, errors={}, sent=str(LINK_ON_ITS_WAY))


@bp.get("/reset/<token>")
@token_route
def reset_form(token: str):
    """The new-password form of a reset link, or why the link no longer works."""
    try:
        user = recovery.user_for_reset(token)
    except recovery.ResetRefused as refused:
        return _private(render_template("recovery/reset.html", token=None, refused=str(refused), errors={}), 410)
    return _private(render_template("recovery/reset.html", token=token, email=user.email, refused=None, errors={}))


@bp.post("/reset/<token>")
@token_route
@limiter.limit(_auth_limit, methods=["POST"])
def reset(token: str):
    """Set the new password; every session of the account ends, and the link stops working."""
    try:
        user = recovery.reset_password(token, request.form.get("password", ""))
    except recovery.ResetRefused as refused:
        return _private(render_template("recovery/reset.html", token=None, refused=str(refused), errors={}), 410)
    except accounts.FormErrors as invalid:
        email = recovery.user_for_reset(token).email
        page = render_template("recovery/reset.html", token=token, email=email, refused=None, errors=invalid.errors)
        return _private(page, 422)
    flash(
        gettext("Your password is changed, and every device that was logged in is logged out. Log in now."), "success"
    )
    session[LOGIN_EMAIL] = user.email
    return redirect(url_for("auth.login_form"), 303)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/reset-link")
@team_route(seats.COACH)
def member_reset_link(seat, user_id: int):
    """The coach makes a reset link for a member, shown once, to pass on in person."""
    made = recovery.coach_reset_token(seat, user_id)
    if made is None:
        abort(404)
    user, token = made
    link = url_for("recovery.reset_form", token=token, _external=True)
    page = render_template(
        "recovery/link.html", user=user, link=link, back=url_for("teams.coach", team_id=seat.team.id)
    )
    return _private(page, 201)
