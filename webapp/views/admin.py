"""The instance admin's pages: accounts (search, switch off and on, reset links) and the audit log.

Every route goes through ``admin_route``: it needs a login and answers 404 to
anyone who is not an admin, so the pages do not even show they exist.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required

from webapp.services.admin import audit, directory, registration

bp = Blueprint("admin", __name__, url_prefix="/admin")

# What the admin reads once a registration policy is saved (a sentence of its own in every language).
_SAVED = {
    registration.OPEN: lazy_gettext("Saved: open."),
    registration.INVITE: lazy_gettext("Saved: invite only."),
    registration.DOMAINS: lazy_gettext("Saved: listed domains."),
}


def admin_route(view):
    """Log-in and admin check: 404 for everyone else."""

    @wraps(view)
    def guarded(**kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(**kwargs)

    protected = login_required(guarded)
    protected.admin_only = True  # read by the security test
    return protected


def _back():
    return redirect(url_for("admin.accounts", q=request.form.get("q") or None), 303)


@bp.get("")
@admin_route
def accounts():
    """Every account, or those matching the search: team, last activity, switched off or on; who may register."""
    return _accounts_page()


def _accounts_page(status: int = 200, **context):
    search = request.args.get("q", "")
    policy = registration.current_policy()
    context.setdefault("form", {"kind": policy.kind, "domains": "\n".join(policy.domains)})
    return render_template(
        "admin/accounts.html",
        rows=directory.find_accounts(search),
        search=search,
        page_size=directory.PAGE_SIZE,
        policy=policy,
        policy_labels=registration.POLICY_LABELS,
        policy_error=context.pop("policy_error", None),
        **context,
    ), status


@bp.post("/registration")
@admin_route
def set_registration():
    """Choose who may register: open, invite only, or listed email domains."""
    form = request.form
    try:
        policy = registration.set_policy(current_user, form.get("kind", ""), form.get("domains", ""))
    except registration.PolicyError as refused:
        return _accounts_page(422, policy_error=str(refused), form=form)
    flash(str(_SAVED[policy.kind]), "success")
    return redirect(url_for("admin.accounts", _anchor="registration"), 303)


@bp.post("/accounts/<int:user_id>/deactivate")
@admin_route
def deactivate(user_id: int):
    """Switch an account off: logged out everywhere, kept out, its data kept."""
    try:
        user = directory.deactivate(current_user, user_id)
    except directory.AdminError as refused:
        flash(str(refused), "error")
        return _back()
    flash(
        gettext("%(name)s is switched off and logged out everywhere. Their data stays.", name=user.display_name), "info"
    )
    return _back()


@bp.post("/accounts/<int:user_id>/reactivate")
@admin_route
def reactivate(user_id: int):
    """Switch an account back on."""
    try:
        user = directory.reactivate(current_user, user_id)
    except directory.AdminError as refused:
        flash(str(refused), "error")
        return _back()
    flash(gettext("%(name)s can log in again.", name=user.display_name), "success")
    return _back()


@bp.post("/accounts/<int:user_id>/reset-link")
@admin_route
def reset_link(user_id: int):
    """Make a reset link for an account, shown once."""
    try:
        user, token = directory.reset_link_token(current_user, user_id)
    except directory.AdminError as refused:
        flash(str(refused), "error")
        return _back()
    link = url_for("recovery.reset_form", token=token, _external=True)
    page = render_template("recovery/link.html", user=user, link=link, back=url_for("admin.accounts"))
    response = make_response(page, 201)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/audit")
@admin_route
def audit_log():
    """What admins (and coaches making reset links) did, newest first."""
    return render_template("admin/audit.html", lines=audit.recent(), labels=audit.ACTION_LABELS)
