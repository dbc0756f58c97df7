"""Registration, login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from webapp.domain.inputs import is_clean_text
from webapp.domain.wording import N_
from webapp.extensions import limiter
from webapp.services import accounts, device_sessions
from webapp.services.admin import registration
from webapp.services.teams import links

bp = Blueprint("auth", __name__)

# The email a registration ends with, filled in on the login page that follows.
LOGIN_EMAIL = "login_email"
# Said after every registration, new email or taken, so the answer never tells who has an account.
ACCOUNT_READY = N_("Your account is ready: log in with it. Already had one? Log in, or ask your coach for help.")
ACCOUNT_LIMIT_MESSAGE = "Too many attempts for this account. Wait a quarter of an hour, or ask your coach for help."
MAX_INVITE_TOKEN = 100
# Said only to someone who knew the password: the account exists, and an admin switched it off.
SWITCHED_OFF = "This account is switched off. Ask the person who runs Closer for your company to switch it back on."
MAX_NEXT = 2000


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
    """Only same-site paths, so a login link cannot bounce the rep elsewhere.

    A backslash is refused too (browsers read ``/\\host`` as ``//host``), and so is any control
    character (a line break would end the Location header).
    """
    if not target or not is_clean_text(target, MAX_NEXT) or "\\" in target:
        return url_for("calls.index")
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("calls.index")


def _invite(token: str | None) -> dict | None:
    """The invite a registration may confirm: its token and team, while it still works."""
    if not token or len(token) > MAX_INVITE_TOKEN:
        return None
    found = links.invite_for(token)
    return {"token": token, "team": found[1]} if found else None


@bp.get("/register")
def register_form():
    """Show the registration form (with "Join <team>" when it came from an invite)."""
    if current_user.is_authenticated:
        return redirect(url_for("calls.index"))
    invite = _invite(request.args.get("invite"))
    return render_template(
        "auth/register.html", form={}, errors={}, invite=invite, policy=registration.current_policy()
    )


@bp.post("/register")
@limiter.limit(_auth_limit, methods=["POST"])
def register():
    """Create an account, then send the visitor to log in: the same answer whether the email was new or taken."""
    form = request.form
    invite = _invite(form.get("invite"))
    policy = registration.current_policy()
    refused = registration.refusal(policy, form.get("email", ""), invite is not None)
    if refused:
        return render_template(
            "auth/register.html", form=form, errors={"email": refused}, invite=invite, policy=policy
        ), 422
    try:
        user = accounts.register(
            form.get("email", ""), form.get("display_name", ""), form.get("password", ""), form.get("timezone")
        )
    except accounts.FormErrors as invalid:
        return render_template(
            "auth/register.html", form=form, errors=invalid.errors, invite=invite, policy=policy
        ), 422
    if user is not None:
        # The rep ticked "Join <team>" on this form: this POST is the confirmation.
        links.join_pending(user, form.get("invite"))
    session[LOGIN_EMAIL] = accounts.normalise_email(form.get("email", ""))
    flash(gettext(ACCOUNT_READY), "success")
    return redirect(url_for("auth.login_form", next=request.args.get("next")), 303)


@bp.get("/login")
def login_form():
    """Show the login form (naming the demo login in development)."""
    if current_user.is_authenticated:
        return redirect(url_for("calls.index"))
    form = {"email": session.pop(LOGIN_EMAIL, "")}
    return render_template("auth/login.html", form=form, error=None)


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
    if not user.can_log_in:
        return render_template("auth/login.html", form=request.form, error=SWITCHED_OFF), 403
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
