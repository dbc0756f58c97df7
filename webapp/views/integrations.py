"""The rep's connections to other tools: personal API tokens (and, for dialers, their dispositions)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from webapp.domain.outcomes import OUTCOMES
from webapp.services.integrations import dispositions, tokens

bp = Blueprint("integrations", __name__, url_prefix="/settings/integrations")


@bp.app_template_filter("local_datetime")
def local_datetime(moment: datetime | None, tz_name: str) -> str:
    """A UTC instant as the rep's date and time, like 2026-12-01 14:05; "never" (in the rep's language) for none."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M") if moment else gettext("never")


def mapping_saved(saved: str, logged: int) -> str:
    """The flash after saving a mapping of dialer codes: saved, and how many waiting calls it logged."""
    if not logged:
        return saved
    return f"{saved} {ngettext('%(num)s waiting call logged.', '%(num)s waiting calls logged.', logged)}"


def _page(status: int = 200, **context):
    context.setdefault("error", None)
    context.setdefault("form", {})
    return render_template(
        "integrations/index.html",
        tokens=tokens.tokens_of(current_user),
        scopes=tokens.SCOPES,
        codes=dispositions.code_rows(current_user),
        waiting=dispositions.waiting_calls(current_user),
        outcomes=OUTCOMES,
        dispo_url=_dispo_url,
        **context,
    ), status


# The variables VICIdial fills in; other dialers have their own names for the same two.
DISPO_QUERY = "?dispo=--A--dispo--B--&call_id=--A--uniqueid--B--"


def _dispo_url(secret: str) -> str:
    return url_for("api_calls.dialer_disposition", dialer_token=secret, _external=True) + DISPO_QUERY


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
        flash(gettext("Token revoked: anything using it can no longer reach your account."), "success")
    return redirect(url_for("integrations.index", _anchor="tokens"), 303)


@bp.post("/dispositions")
@login_required
def save_dispositions():
    """Save the rep's mapping of dialer codes (and a new code); log the calls that waited for it."""
    form = request.form
    wanted: dict[str, str | None] = {
        key.removeprefix("outcome-"): value or None for key, value in form.items() if key.startswith("outcome-")
    }
    if form.get("new_code", "").strip():
        wanted[form["new_code"]] = form.get("new_outcome") or None
    try:
        logged = dispositions.save_mapping(current_user, wanted)
    except dispositions.DispositionRefused as refused:
        return _page(422, dispo_error=str(refused))
    flash(mapping_saved(gettext("Mapping saved."), logged), "success")
    return redirect(url_for("integrations.index", _anchor="dialer"), 303)
