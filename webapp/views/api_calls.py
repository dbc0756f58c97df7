"""The API's calls: logged by a dialer or a CRM, and listed back, page by page."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from webapp.api_auth import PATH_TOKEN, token_in_use
from webapp.services import today as today_service
from webapp.services.integrations import api_calls, dispositions
from webapp.services.sync import SyncBodyError

bp = Blueprint("api_calls", __name__, url_prefix="/api/v1")


@bp.post("/calls")
@login_required
def log_calls():
    """Log one call or a batch, each exactly once; answer per item like the sync, plus today's totals."""
    try:
        calls = api_calls.parse_calls(request.get_data())
        source = "api" if token_in_use() is not None else "app"
        results = api_calls.log_calls(current_user, calls, request.headers.get("Idempotency-Key"), source=source)
    except SyncBodyError as error:
        return jsonify(error="invalid_body", message=str(error)), error.status
    user = current_user._get_current_object()
    today = today_service.day_summary(user, today_service.today_for(user)).as_json()
    response = jsonify(results=[r.as_json() for r in results], today=today)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/calls")
@login_required
def list_calls():
    """The rep's calls between ``from`` and ``to``, oldest first, with a cursor for the next page."""
    args = request.args
    try:
        limit = int(args.get("limit", api_calls.DEFAULT_PAGE))
        if not 1 <= limit <= api_calls.MAX_PAGE:
            raise ValueError
    except ValueError:
        return jsonify(error="invalid_query", message=f"limit: a whole number from 1 to {api_calls.MAX_PAGE}."), 400
    try:
        start, end = api_calls.parse_bound(args.get("from"), "from"), api_calls.parse_bound(args.get("to"), "to")
        page = api_calls.list_calls(current_user, start, end, cursor=args.get("cursor"), limit=limit)
    except SyncBodyError as error:
        return jsonify(error="invalid_query", message=str(error)), error.status
    response = jsonify(calls=[api_calls.call_json(call) for call in page.calls], next_cursor=page.next_cursor)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"/dialer/<{PATH_TOKEN}>/disposition")
@login_required
def dialer_disposition(**_token):
    """A dialer's disposition URL: log the call its code means, or keep it until the code is mapped."""
    args = request.args
    try:
        when = dispositions.parse_when(args.get("occurred_at"))
        answer = dispositions.receive(current_user, args.get("dispo"), args.get("call_id"), when)
    except dispositions.DispositionRefused as refused:
        return jsonify(error="invalid_query", message=str(refused)), 422
    response = jsonify(answer.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response
