"""Registration, login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from webapp.extensions import limiter
from webapp.services import accounts, device_sessions
from webapp.services.teams import links
from webapp.views.team_links import PENDING_INVITE

bp = Blueprint("auth", __name__)

ACCOUNT_LIMIT_MESSAGE = "Too many attempts for this account. Wait a quarter of an hour, or ask your coach for help."


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def _login_account() -> str:
    """The account a login tries, whichever address it comes from (emails compare normalised)."""
    return "account:" + accounts.normalise_email(request.form.get("email", ""))


def _login_failed(response) -> bool:
    return response.status_code != 303


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a login link cannot bounce the rep elsewhere."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("calls.index")


@bp.get("/register")
def register_form():
    """Show the registration form."""
    if current_user.is_authenticated:
        return redirect(url_for("calls.index"))
    return render_template("auth/register.html", form={}, errors={})


@bp.post("/register")
@limiter.limit(_auth_limit, methods=["POST"])
def register():
    """Create an account and log straight in."""
    form = request.form
    try:
        user = accounts.register(
            form.get("email", ""),
            form.get("display_name", ""),
            form.get("password", ""),
            form.get("timezone"),
        )
    except accounts.FormErrors as invalid:
        return render_template("auth/register.html", form=form, errors=invalid.errors), 422
    device_sessions.start(user, request.headers.get("User-Agent", ""))
    login_user(user, remember=True)
    flash(f"Welcome to Closer, {user.display_name}. Every no is a step closer to a yes.", "success")
    # Came through a team invite before having an account: registering was the confirmation.
    team = links.join_pending(user, session.pop(PENDING_INVITE, None))
    if team is not None:
        return redirect(url_for("teams.home", team_id=team.id), 303)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.get("/login")
def login_form():
    """Show the login form (naming the demo login in development)."""
    if current_user.is_authenticated:
        return redirect(url_for("calls.index"))
    return render_template("auth/login.html", form={}, error=None)


@bp.post("/login")
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(
    _account_limit,
    key_func=_login_account,
    scope="account",
    methods=["POST"],
    deduct_when=_login_failed,
    error_message=ACCOUNT_LIMIT_MESSAGE,
)
def login():
    """Check the password and start a session on this device."""
    user = accounts.authenticate(request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        error = "That email and password do not match an account."
        return render_template("auth/login.html", form=request.form, error=error), 422
    device_sessions.start(user, request.headers.get("User-Agent", ""))
    login_user(user, remember=bool(request.form.get("remember")))
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout():
    """End this device's session: its cookies, and any copy of them, stop working."""
    device_sessions.end(current_user)
    logout_user()
    flash("Logged out. See you on the next call.", "info")
    return redirect(url_for("auth.login"), 303)
