"""The floor for the tap benchmark: Closer itself, with the tap cut down to the minimum.

The same app, extensions and per-request work as Closer (session cookie,
Flask-Login's user lookup, CSRF, security headers, the access log); only the
body of ``POST /calls`` is replaced by a minimal hand-written tap: one insert
of the call, one upsert of the day's aggregate, a one-line template. No
game, no streak, no list, no team. ``tap_throughput.py`` serves it beside
Closer and the bare app, on a database of its own, so its ratio to the bare
app shows what this stack costs before any of Closer's own work.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import request
from flask_login import current_user, login_required
from sqlalchemy import bindparam, text

from webapp import create_app
from webapp.domain.outcomes import OUTCOME_CODES, points_for
from webapp.extensions import db
from webapp.models import Call

app = create_app()

_COLUMNS = Call.__table__.c
INSERT_CALL = text(
    "INSERT INTO calls (user_id, client_id, outcome, occurred_at, local_date, points, bounce_back, created_at)"
    " VALUES (:user_id, :client_id, :outcome, :at, :day, :points, false, :at)"
    " ON CONFLICT (user_id, client_id) DO NOTHING RETURNING id"
).bindparams(
    bindparam("client_id", type_=_COLUMNS.client_id.type),
    bindparam("at", type_=_COLUMNS.occurred_at.type),
    bindparam("day", type_=_COLUMNS.local_date.type),
)
ADD_TO_DAY = {
    code: text(
        "INSERT INTO daily_totals (user_id, local_date, dials, points, bounce_backs, goal_met, counted,"
        f" {', '.join(OUTCOME_CODES)}) VALUES (:user_id, :day, 1, :points, 0, false, true,"
        f" {', '.join('1' if other == code else '0' for other in OUTCOME_CODES)})"
        " ON CONFLICT (user_id, local_date) DO UPDATE SET dials = daily_totals.dials + 1,"
        f" points = daily_totals.points + :points, {code} = daily_totals.{code} + 1"
        " RETURNING dials, points"
    ).bindparams(bindparam("day", type_=_COLUMNS.local_date.type))
    for code in OUTCOME_CODES
}
ANSWER = app.jinja_env.from_string(
    '<p id="tap-status">Logged: {{ outcome }}.</p><p id="tally">{{ dials }} dials, {{ points }} points</p>'
)


@login_required
def minimal_tap():
    """One lookup (the user, by Flask-Login), one insert, one upsert, a small template."""
    outcome = request.form.get("outcome", "")
    if outcome not in ADD_TO_DAY:
        return "Unknown outcome.", 422
    now = datetime.now(UTC)
    values = {"user_id": current_user.id, "day": now.date(), "points": points_for(outcome)}
    connection = db.session.connection()
    new = connection.execute(
        INSERT_CALL, {**values, "client_id": uuid.UUID(request.form["client_id"]), "outcome": outcome, "at": now}
    ).first()
    dials = points = None
    if new is not None:  # a replayed client id counts once
        dials, points = connection.execute(ADD_TO_DAY[outcome], values).one()
    db.session.commit()
    return ANSWER.render(outcome=outcome, dials=dials, points=points)


app.view_functions["calls.tap"] = minimal_tap
