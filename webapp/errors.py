"""Error pages and JSON errors: every refusal says what happened, in words."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.security import wants_json

_MESSAGES = {
    400: lazy_gettext("That request could not be understood."),
    403: lazy_gettext("That is not yours to see or change."),
    404: lazy_gettext("There is nothing here."),
    405: lazy_gettext("That action is not allowed here."),
    413: lazy_gettext("That request is too large."),
    429: lazy_gettext("Too many attempts. Wait a minute and try again."),
    500: lazy_gettext("Something went wrong on our side; your calls are safe. Try again."),
}

# The API's own names where Werkzeug's are long; the sync route answers 413 with the same one.
_CODES = {413: "too_large"}


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = gettext("Your session form expired or was not sent with a valid token. Reload and try again.")
        return _answer(400, "csrf_failed", message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = str(_MESSAGES.get(error.code or 500, error.description or ""))
        limit = getattr(error, "limit", None)
        if limit is not None and limit.error_message:
            message = error.description  # a rate limit with words of its own (the per-account login limit)
        code = _CODES.get(error.code or 500) or (error.name or "error").lower().replace(" ", "_")
        return _answer(error.code or 500, code, message)


def _answer(status: int, code: str, message: str):
    if wants_json():
        return jsonify(error=code, message=message), status
    if request.headers.get("HX-Request") == "true":
        return render_template("_error_fragment.html", message=message), status
    return render_template("error.html", status=status, message=message), status
