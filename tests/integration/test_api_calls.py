"""Calls from a dialer or a CRM through the API: exactly once, through the one write path, listed back."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.integration.api_helpers import bearer, make_token
from webapp.extensions import db
from webapp.models import Call, DailyTotal


def _calls(app) -> list[Call]:
    with app.app_context():
        return list(db.session.scalars(select(Call).order_by(Call.id)))


def test_one_call_with_a_dialer_id_counts_once_however_often_it_is_sent(app, rep):
    token = make_token(rep)
    client = app.test_client()
    body = {"outcome": "meeting", "client_id": "1700000000.12345"}
    first = client.post("/api/v1/calls", json=body, headers=bearer(token))
    again = client.post("/api/v1/calls", json=body, headers=bearer(token))
    assert first.status_code == again.status_code == 200
    assert first.get_json()["results"][0]["status"] == "accepted"
    assert again.get_json()["results"][0]["status"] == "duplicate"
    assert again.get_json()["today"]["by_outcome"]["meeting"] == 1
    (call,) = _calls(app)
    assert call.source == "api" and call.outcome == "meeting"
    assert rep.get("/api/v1/me/today").get_json()["dials"] == 1


def test_a_batch_with_an_idempotency_key_is_applied_once_and_answered_per_item(app, rep):
    token = make_token(rep)
    client = app.test_client()
    when = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    batch = {"calls": [{"outcome": "no_answer"}, {"outcome": "sale", "occurred_at": when}, {"outcome": "bogus"}]}
    headers = {**bearer(token), "Idempotency-Key": "run-42"}
    first = client.post("/api/v1/calls", json=batch, headers=headers).get_json()["results"]
    assert [r["status"] for r in first] == ["accepted", "accepted", "rejected"]
    assert "reason" in first[2] and all(r["kind"] == "tap" for r in first)
    second = client.post("/api/v1/calls", json=batch, headers=headers).get_json()["results"]
    assert [r["status"] for r in second] == ["duplicate", "duplicate", "rejected"]
    assert [r["client_id"] for r in second] == [r["client_id"] for r in first]
    assert sorted(c.outcome for c in _calls(app)) == ["no_answer", "sale"]


def test_a_call_without_an_id_or_a_key_is_refused_and_nothing_is_written(app, rep):
    token = make_token(rep)
    response = app.test_client().post("/api/v1/calls", json={"calls": [{"outcome": "sale"}]}, headers=bearer(token))
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["message"]
    assert _calls(app) == []


def test_bad_bodies_say_why(app, rep):
    token = make_token(rep)
    client = app.test_client()
    assert client.post("/api/v1/calls", data="{", headers=bearer(token)).status_code == 400
    refused = client.post("/api/v1/calls", json={"outcome": 3, "client_id": "a"}, headers=bearer(token))
    assert refused.status_code == 422 and refused.get_json()["message"].startswith("outcome")
    assert client.post("/api/v1/calls", json={"calls": []}, headers=bearer(token)).status_code == 422


def test_concurrent_retries_of_one_batch_count_each_call_once(app, rep):
    token = make_token(rep)
    batch = {"calls": [{"outcome": "no_answer", "client_id": f"dialer-{n}"} for n in range(20)]}
    statuses: list[list[str]] = []
    gate = threading.Barrier(6)

    def deliver():
        client = app.test_client()
        gate.wait()
        response = client.post("/api/v1/calls", json=batch, headers=bearer(token))
        assert response.status_code == 200, response.get_data(as_text=True)
        statuses.append([r["status"] for r in response.get_json()["results"]])

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 6
    for index in range(20):
        assert sorted(s[index] for s in statuses) == ["accepted"] + ["duplicate"] * 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 20
        assert db.session.scalar(select(func.sum(DailyTotal.dials))) == 20


def test_calls_are_listed_between_two_dates_page_by_page(app, rep):
    token = make_token(rep)
    client = app.test_client()
    now = datetime.now(UTC)
    batch = {
        "calls": [
            {"outcome": "voicemail", "client_id": f"c{n}", "occurred_at": (now - timedelta(minutes=n)).isoformat()}
            for n in range(5)
        ]
    }
    client.post("/api/v1/calls", json=batch, headers=bearer(token))
    rep.tap("sale")  # a tap in the app is listed too, marked as such
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/calls", query_string=query, headers=bearer(token)).get_json()
        seen.extend(page["calls"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6
    assert [c["occurred_at"] for c in seen] == sorted(c["occurred_at"] for c in seen)
    assert {c["source"] for c in seen} == {"api", "app"}
    today = seen[0]["local_date"]
    dated = client.get("/api/v1/calls", query_string={"from": today, "to": today}, headers=bearer(token))
    assert len(dated.get_json()["calls"]) >= 1
    later = (now + timedelta(hours=1)).isoformat()
    empty = client.get("/api/v1/calls", query_string={"from": later}, headers=bearer(token)).get_json()
    assert empty == {"calls": [], "next_cursor": None}


def test_listing_refuses_a_bad_query_with_a_message(app, rep):
    token = make_token(rep, scope="read")
    client = app.test_client()
    for query in ({"from": "yesterday"}, {"limit": 0}, {"cursor": "nope!"}, {"to": "2026-12-01T09:00:00"}):
        response = client.get("/api/v1/calls", query_string=query, headers=bearer(token))
        assert response.status_code == 400, query
        assert response.get_json()["message"]


def test_a_read_token_lists_but_cannot_log(app, rep):
    token = make_token(rep, scope="read")
    client = app.test_client()
    assert client.get("/api/v1/calls", headers=bearer(token)).status_code == 200
    response = client.post(
        "/api/v1/calls", json={"outcome": "sale", "client_id": str(uuid.uuid4())}, headers=bearer(token)
    )
    assert response.status_code == 403
