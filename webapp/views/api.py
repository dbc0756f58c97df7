"""The JSON API, version 1. Every answer is JSON, errors included."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from webapp.services import today as today_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/me/today")
@login_required
def me_today():
    """Today's dials, points and count per outcome for the logged-in rep."""
    summary = today_service.day_summary(current_user, today_service.today_for(current_user))
    return jsonify(summary.as_json())


@bp.get("/csrf")
def csrf_token():
    """A fresh CSRF token for this session, fetched before replaying queued taps."""
    response = jsonify(csrf_token=generate_csrf(), authenticated=current_user.is_authenticated)
    response.headers["Cache-Control"] = "no-store"
    return response
