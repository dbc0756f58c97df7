"""The JSON API, version 1. Every answer is JSON, errors included."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from webapp import openapi
from webapp.api_auth import token_in_use
from webapp.services import sync as sync_service
from webapp.services import today as today_service
from webapp.services.game.summary import summary_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# 1,000 items are about 150 KB of JSON; anything far larger is not an outbox.
MAX_SYNC_BODY_BYTES = 512 * 1024


@bp.get("/me/today")
@login_required
def me_today():
    """Today's dials, points and count per outcome for the logged-in rep."""
    return jsonify(_today_json())


@bp.get("/me/summary")
@login_required
def me_summary():
    """Level, XP, streak, today's goals and badges earned, for the logged-in rep."""
    return jsonify(summary_json(current_user))


@bp.get("/csrf")
def csrf_token():
    """A fresh CSRF token for this session, fetched before replaying queued taps."""
    body = {"csrf_token": generate_csrf(), "authenticated": current_user.is_authenticated}
    if current_user.is_authenticated:
        # The outbox keeps each tap's owner, so one rep's taps never sync into another's account.
        body["user_id"] = current_user.id
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sync")
@login_required
def sync():
    """Apply a device's queued taps and undos once each; answer per item, plus today's totals."""
    if (request.content_length or 0) > MAX_SYNC_BODY_BYTES:
        return _too_large()
    body = request.get_data()  # at most MAX_CONTENT_LENGTH, chunked or not
    if len(body) > MAX_SYNC_BODY_BYTES:
        return _too_large()
    try:
        batch = sync_service.parse_batch(body)
    except sync_service.SyncBodyError as error:
        return _error(error.status, "invalid_body", str(error))
    source = "api" if token_in_use() is not None else "app"  # a script with a token, or the app's outbox
    results = sync_service.apply_batch(current_user._get_current_object(), batch.items, source=source)
    response = jsonify(results=[r.as_json() for r in results], today=_today_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


def _today_json() -> dict:
    summary = today_service.day_summary(current_user, today_service.today_for(current_user))
    return summary.as_json()


def _too_large():
    return _error(413, "too_large", f"At most {sync_service.MAX_BATCH_ITEMS} items per sync.")


def _error(status: int, code: str, message: str):
    return jsonify(error=code, message=message), status
