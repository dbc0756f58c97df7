"""The rep's own data: download it, import an export back, and delete the account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, logout_user

from webapp.i18n import translated
from webapp.services import account_deletion
from webapp.services.integrations import export, importer

bp = Blueprint("my_data", __name__, url_prefix="/settings/data")


def _page(status: int = 200, **context):
    context.setdefault("errors", {})
    return render_template("settings/data.html", **context), status


@bp.get("")
@login_required
def index():
    """Download, import, and delete the account."""
    return _page()


@bp.get("/closer-export.zip")
@login_required
def download_zip():
    """The rep's calls, reviews, resets, badges and wins as CSV files, with the JSON, in a zip."""
    return _attachment(export.export_zip(current_user), "application/zip", "closer-export.zip")


@bp.get("/closer-export.json")
@login_required
def download_json():
    """The rep's data as one JSON document (what an import reads)."""
    body = json.dumps(export.export_document(current_user), indent=1, ensure_ascii=False)
    return _attachment(body.encode(), "application/json", "closer-export.json")


@bp.post("/import")
@login_required
def import_file():
    """Import a Closer export's calls, each exactly once."""
    upload = request.files.get("export")
    try:
        items = importer.parse_export(upload.read() if upload else b"")
    except importer.ImportRefused as refused:
        return _page(422, errors={"import": translated(str(refused))})
    result = importer.import_calls(current_user, items)
    message = ngettext(
        "Imported %(num)s call; %(there)s were here already.",
        "Imported %(num)s calls; %(there)s were here already.",
        result.added,
        there=result.already_there,
    )
    if result.refused:
        message += " " + gettext(
            "%(count)s could not be imported: %(reason)s", count=result.refused, reason=translated(result.first_reason)
        )
    flash(message, "success")
    return redirect(url_for("my_data.index"), 303)


@bp.post("/delete")
@login_required
def delete_account():
    """Delete the account for good, after the password; every device is logged out."""
    try:
        account_deletion.delete_account(current_user._get_current_object(), request.form.get("password", ""))
    except account_deletion.DeletionRefused as refused:
        return _page(422, errors={"delete": str(refused)})
    goodbye = gettext("Your account and everything in it are deleted. Thank you for every call.")
    logout_user()
    flash(goodbye, "info")
    return redirect(url_for("auth.login"), 303)


def _attachment(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
