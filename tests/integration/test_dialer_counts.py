"""The day's count of calls a dialer or the API logged stays exact through every way a call comes and goes.

``daily_totals.dialer_calls`` is what a board marks ("☎ 3 by dialer"); it moves
in the one write path with the call, so taps in the app, calls through the
API, a dialer's disposition URL and the undo of each leave it equal to the
live calls of those sources.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from tests.integration.api_helpers import bearer, make_token
from tests.integration.invariants import problems
from webapp.extensions import db
from webapp.models import Call, DailyTotal
from webapp.services.integrations.dispositions import client_id_for


def _day(app) -> tuple[int, int]:
    """The rep's (dials, dialer calls) summed over their day rows."""
    with app.app_context():
        dials, dialer = db.session.execute(
            select(func.coalesce(func.sum(DailyTotal.dials), 0), func.coalesce(func.sum(DailyTotal.dialer_calls), 0))
        ).one()
        assert problems() == []  # and every other sum agrees with the calls
        return dials, dialer


def _api_call(app, token: str, outcome: str = "no_answer") -> str:
    client_id = str(uuid.uuid4())
    body = {"outcome": outcome, "client_id": client_id}
    response = app.test_client().post("/api/v1/calls", json=body, headers=bearer(token))
    assert response.get_json()["results"][0]["status"] == "accepted"
    return client_id


def _dispo(app, token: str, call_id: str, code: str = "NI") -> str:
    answer = app.test_client().get(
        f"/api/v1/dialer/{token}/disposition", query_string={"dispo": code, "call_id": call_id}
    )
    assert answer.get_json()["status"] == "accepted"
    return str(client_id_for(call_id))


def _api_undo(app, token: str, client_id: str):
    item = {"client_id": client_id, "kind": "undo"}
    response = app.test_client().post("/api/v1/sync", json={"items": [item]}, headers=bearer(token))
    assert response.get_json()["results"][0]["status"] == "accepted"


def test_taps_in_the_app_are_not_dialer_calls_and_their_undo_leaves_the_count_alone(app, rep):
    first = str(uuid.uuid4())
    rep.tap("no_answer", first)
    rep.tap("conversation")
    assert _day(app) == (2, 0)
    rep.post(f"/calls/{first}/undo", htmx=True)
    assert _day(app) == (1, 0)


def test_calls_through_the_api_count_and_their_undo_takes_them_back(app, rep):
    token = make_token(rep)
    first = _api_call(app, token)
    _api_call(app, token, "meeting")
    rep.tap("voicemail")
    assert _day(app) == (3, 2)
    _api_undo(app, token, first)
    assert _day(app) == (2, 1)
    again = app.test_client().post(
        "/api/v1/sync", json={"items": [{"client_id": first, "kind": "undo"}]}, headers=bearer(token)
    )
    assert again.get_json()["results"][0]["status"] == "duplicate"
    assert _day(app) == (2, 1)


def test_a_disposition_url_call_counts_and_the_reps_undo_in_the_app_takes_it_back(app, rep):
    token = make_token(rep, "VICIdial")
    client_id = _dispo(app, token, "1700000000.1")
    _dispo(app, token, "1700000000.2", "SALE")
    assert _day(app) == (2, 2)
    assert rep.post(f"/calls/{client_id}/undo", htmx=True).status_code == 200
    assert _day(app) == (1, 1)


def test_an_app_tap_undone_through_the_api_never_touches_the_dialer_count(app, rep):
    token = make_token(rep)
    tapped = str(uuid.uuid4())
    rep.tap("no_answer", tapped)
    _api_call(app, token)
    _api_undo(app, token, tapped)
    assert _day(app) == (1, 1)


def test_a_script_syncing_with_a_token_logs_api_calls_and_the_apps_outbox_does_not(app, rep):
    token = make_token(rep)
    scripted, outbox = str(uuid.uuid4()), str(uuid.uuid4())
    app.test_client().post(
        "/api/v1/sync",
        json={"items": [{"client_id": scripted, "kind": "tap", "outcome": "sale"}]},
        headers=bearer(token),
    )
    rep.post("/api/v1/sync", json={"items": [{"client_id": outbox, "kind": "tap", "outcome": "sale"}]})
    with app.app_context():
        sources = dict(db.session.execute(select(Call.client_id, Call.source)).all())
    assert sources == {uuid.UUID(scripted): "api", uuid.UUID(outbox): "app"}
    assert _day(app) == (2, 1)


def test_an_undo_sent_before_its_dialer_call_leaves_a_tombstone_that_counts_nothing(app, rep):
    token = make_token(rep)
    client_id = str(uuid.uuid4())
    item = {"client_id": client_id, "kind": "undo", "outcome": "sale"}
    app.test_client().post("/api/v1/sync", json={"items": [item]}, headers=bearer(token))
    assert _day(app) == (0, 0)
    body = {"outcome": "sale", "client_id": client_id}
    late = app.test_client().post("/api/v1/calls", json=body, headers=bearer(token))
    assert late.get_json()["results"][0]["status"] == "duplicate"
    assert _day(app) == (0, 0)
