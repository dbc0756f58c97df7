"""The rep's connections to other tools: personal API tokens (and, for dialers, their dispositions)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.services.integrations import tokens

bp = Blueprint("integrations", __name__, url_prefix="/settings/integrations")


@bp.app_template_filter("local_datetime")
def local_datetime(moment: datetime | None, tz_name: str) -> str:
    """A UTC instant as the rep's date and time, like 2026-12-01 14:05; "never" for none."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M") if moment else "never"


def _page(status: int = 200, **context):
    context.setdefault("error", None)
    context.setdefault("form", {})
    return render_template(
        "integrations/index.html", tokens=tokens.tokens_of(current_user), scopes=tokens.SCOPES, **context
    ), status


@bp.get("")
@login_required
def index():
    """List the rep's API tokens, with the form to make one."""
    return _page()


@bp.post("/tokens")
@login_required
def create_token():
    """Make a token and show its secret, this once (it is never stored, nor put in a cookie)."""
    form = request.form
    try:
        made = tokens.create_token(current_user, form.get("name", ""), form.get("scope", ""))
    except tokens.TokenRefused as refused:
        return _page(422, error=str(refused), form=form)
    return _page(201, new_token=made)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Stop a token working, for good."""
    if tokens.revoke_token(current_user, token_id):
        flash("Token revoked: anything using it can no longer reach your account.", "success")
    return redirect(url_for("integrations.index", _anchor="tokens"), 303)
