"""POST /api/v1/sync: a device's outbox, applied once per item, whatever happens on the way."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from webapp.domain.outcomes import points_for
from webapp.extensions import db
from webapp.models import Call, DailyTotal
from webapp.services.sync import MAX_BATCH_ITEMS


def now_iso(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def tap(outcome="no_answer", client_id=None, **delta) -> dict:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "kind": "tap",
        "outcome": outcome,
        "occurred_at": now_iso(**delta),
    }


def sync(rep, items, **kwargs):
    return rep.post("/api/v1/sync", json={"items": items}, **kwargs)


def statuses(response) -> list[str]:
    return [r["status"] for r in response.get_json()["results"]]


def call_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Call))


def totals_match_calls(app) -> bool:
    """The aggregate rows equal the sums over the calls that were not undone."""
    with app.app_context():
        calls = db.session.scalars(select(Call).where(Call.undone_at.is_(None))).all()
        rows = db.session.scalars(select(DailyTotal)).all()
        return sum(r.dials for r in rows) == len(calls) and sum(r.points for r in rows) == sum(c.points for c in calls)


def test_a_batch_of_taps_is_accepted_and_today_comes_back(app, rep):
    items = [tap("no_answer"), tap("sale"), tap("not_interested")]
    response = sync(rep, items)
    assert response.status_code == 200
    body = response.get_json()
    assert [r["client_id"] for r in body["results"]] == [i["client_id"] for i in items]
    assert statuses(response) == ["accepted"] * 3
    assert body["today"]["dials"] == 3
    assert body["today"]["points"] == sum(points_for(o) for o in ("no_answer", "sale", "not_interested"))
    assert call_count(app) == 3


def test_replaying_a_batch_whose_answer_was_lost_records_nothing_twice(app, rep):
    items = [tap("voicemail"), tap("meeting")]
    assert statuses(sync(rep, items)) == ["accepted", "accepted"]
    replay = sync(rep, items)
    assert statuses(replay) == ["duplicate", "duplicate"]
    assert replay.get_json()["today"]["dials"] == 2
    assert call_count(app) == 2 and totals_match_calls(app)


def test_a_tap_logged_live_then_synced_is_a_duplicate(app, rep):
    client_id = str(uuid.uuid4())
    rep.tap("gatekeeper", client_id)
    assert statuses(sync(rep, [tap("gatekeeper", client_id)])) == ["duplicate"]
    assert call_count(app) == 1


def test_each_item_gets_its_own_answer_and_a_refusal_stops_nothing(app, rep):
    items = [tap("no_answer"), tap("no_answer", days=-30), tap("bogus"), tap("no_answer", hours=2), tap("sale")]
    response = sync(rep, items)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    assert "7 days" in results[1]["reason"]
    assert "Unknown outcome" in results[2]["reason"]
    assert "future" in results[3]["reason"]
    assert all("reason" not in r for r in (results[0], results[4]))
    assert call_count(app) == 2


def test_occurred_at_from_the_device_clock_places_the_call_on_its_day(app, rep):
    yesterday = tap("conversation", days=-1)
    assert statuses(sync(rep, [yesterday])) == ["accepted"]
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.occurred_at == datetime.fromisoformat(yesterday["occurred_at"])
    assert rep.get("/api/v1/me/today").get_json()["dials"] in (0, 1)  # 1 only just after midnight


def test_undo_then_replay_of_the_tap_changes_nothing(app, rep):
    item = tap("sale")
    sync(rep, [item])
    undo = {**item, "kind": "undo"}
    assert statuses(sync(rep, [undo])) == ["accepted"]
    assert statuses(sync(rep, [undo])) == ["duplicate"]
    assert statuses(sync(rep, [item])) == ["duplicate"]
    body = rep.get("/api/v1/me/today").get_json()
    assert (body["dials"], body["points"]) == (0, 0)
    assert totals_match_calls(app)


def test_undo_of_an_unknown_tap_leaves_a_tombstone_so_the_late_tap_is_a_no_op(app, rep):
    item = tap("meeting")
    response = sync(rep, [{**item, "kind": "undo"}])
    assert statuses(response) == ["accepted"]
    assert response.get_json()["today"]["dials"] == 0
    # The tap itself arrives later (its first answer was lost): nothing counts.
    assert statuses(sync(rep, [item])) == ["duplicate"]
    assert rep.get("/api/v1/me/today").get_json()["dials"] == 0
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.undone_at is not None and str(call.client_id) == item["client_id"]
    assert totals_match_calls(app)


def test_tap_and_undo_in_one_batch_cancel_out(app, rep):
    item = tap("follow_up")
    assert statuses(sync(rep, [item, {**item, "kind": "undo"}])) == ["accepted", "accepted"]
    assert rep.get("/api/v1/me/today").get_json()["dials"] == 0


def test_undo_of_an_unknown_id_without_an_outcome_is_refused_per_item(app, rep):
    response = sync(rep, [{"client_id": str(uuid.uuid4()), "kind": "undo"}])
    assert statuses(response) == ["rejected"]
    assert "no such call" in response.get_json()["results"][0]["reason"]
    assert call_count(app) == 0


def test_a_rep_cannot_undo_another_reps_call_through_sync(app, rep):
    other = type(rep)(app.test_client())
    other.register(email="other@example.com")
    item = tap("sale")
    sync(other, [item])
    # For this rep the id is unknown: it becomes this rep's own tombstone; the other's call stands.
    sync(rep, [{**item, "kind": "undo"}])
    assert other.get("/api/v1/me/today").get_json()["dials"] == 1


def test_the_batch_is_capped(app, rep):
    items = [tap() for _ in range(MAX_BATCH_ITEMS + 1)]
    response = sync(rep, items)
    assert response.status_code == 422
    assert f"At most {MAX_BATCH_ITEMS}" in response.get_json()["message"]
    assert call_count(app) == 0


def test_a_huge_body_is_refused_with_413(app, rep):
    response = rep.post("/api/v1/sync", data=b"x" * (600 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json", 400),
        (b"", 400),
        (b"[]", 422),
        (b'{"items": "nope"}', 422),
        (b'{"items": [{"kind": "tap", "outcome": "sale"}]}', 422),
        (b'{"items": [{"client_id": "not-a-uuid", "kind": "tap", "outcome": "sale"}]}', 422),
        (b'{"items": [{"client_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "wave"}]}', 422),
        (
            b'{"items": [{"client_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "tap", '
            b'"outcome": "sale", "occurred_at": "2024-05-01T10:00:00"}]}',
            422,
        ),
        (
            b'{"items": [{"client_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "tap", '
            b'"outcome": "sale", "occurred_at": 1714557600}]}',
            422,
        ),
        (
            b'{"items": [{"client_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "tap", '
            b'"outcome": "sale", "occurred_at": "0001-01-01T00:00:00+05:00"}]}',
            422,
        ),
    ],
)
def test_a_malformed_body_gets_a_message_and_writes_nothing(app, rep, body, status):
    good = tap("sale")
    raw = body if body != b"[]" else json.dumps([good]).encode()
    response = rep.post("/api/v1/sync", data=raw, content_type="application/json")
    assert response.status_code == status
    answer = response.get_json()
    assert answer["error"] and answer["message"]
    assert call_count(app) == 0


def test_a_malformed_item_rejects_the_whole_batch_before_anything_is_written(app, rep):
    response = sync(rep, [tap("sale"), {"client_id": "nope", "kind": "tap"}])
    assert response.status_code == 422
    assert "items.1.client_id" in response.get_json()["message"]
    assert call_count(app) == 0


def test_without_a_session_sync_answers_401_in_json(app, visitor):
    response = visitor.post("/api/v1/sync", json={"items": [tap()]})
    assert response.status_code == 401
    assert response.get_json() == {"error": "unauthorized", "message": "Log in first."}
    assert call_count(app) == 0


def test_sync_needs_the_csrf_header(app, rep):
    response = rep.post("/api/v1/sync", json={"items": [tap()]}, csrf=False)
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf_failed"
    assert call_count(app) == 0


def test_the_csrf_endpoint_names_the_logged_in_rep(rep, visitor):
    mine = rep.get("/api/v1/csrf").get_json()
    assert mine["authenticated"] is True and isinstance(mine["user_id"], int)
    anonymous = visitor.get("/api/v1/csrf").get_json()
    assert anonymous["authenticated"] is False and "user_id" not in anonymous


def test_a_long_batch_keeps_the_aggregates_equal_to_the_calls(app, rep):
    # bench/offline_sync_batch.py times a full batch of 1,000; 100 keep this test quick.
    items = [tap(["no_answer", "voicemail", "sale"][i % 3], minutes=-(i % 50)) for i in range(100)]
    items += [{**items[i], "kind": "undo"} for i in range(0, 100, 10)]
    response = sync(rep, items)
    assert response.status_code == 200
    assert statuses(response).count("accepted") == 110
    assert call_count(app) == 100
    assert totals_match_calls(app)


def test_a_run_of_undos_answers_each_item_and_moves_the_counts_once(app, rep):
    kept, taken, before = tap("conversation"), tap("sale"), tap("meeting")
    sync(rep, [kept, taken, before])
    sync(rep, [{**before, "kind": "undo"}])
    unseen = tap("voicemail")  # its tap never arrived: the undo leaves a tombstone
    too_old = tap("no_answer", days=-30)  # a tombstone the sync window refuses
    response = sync(
        rep,
        [
            {**taken, "kind": "undo"},
            {**taken, "kind": "undo"},  # the same undo twice in one batch
            {**before, "kind": "undo"},  # undone by an earlier batch
            {**unseen, "kind": "undo"},
            {**too_old, "kind": "undo"},
            {"client_id": str(uuid.uuid4()), "kind": "undo"},  # unknown, and no outcome to record
        ],
    )
    assert statuses(response) == ["accepted", "duplicate", "duplicate", "accepted", "rejected", "rejected"]
    reasons = [r.get("reason", "") for r in response.get_json()["results"]]
    assert "no such call" not in reasons[4] and "no such call" in reasons[5]
    body = rep.get("/api/v1/me/today").get_json()
    assert (body["dials"], body["points"]) == (1, points_for("conversation"))
    assert call_count(app) == 4 and totals_match_calls(app)
