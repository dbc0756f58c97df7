"""Counts that cannot drift: undos that take effect once and take back what they earned, removals that hold."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.conftest import Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.extensions import db
from webapp.models import Call, DailyTotal, EarnedBadge, PlayerTotals, User, Win
from webapp.services.calls import record_call


def same_rep(app, count: int) -> list[Visitor]:
    """``count`` browsers logged in as the ``rep`` fixture's account (two devices, a double tap...)."""
    visitors = []
    for _ in range(count):
        visitor = Visitor(app.test_client())
        assert visitor.login().status_code == 303
        visitor.refresh_token()
        visitors.append(visitor)
    return visitors


def at_once(actions) -> list:
    """Run the callables together, released by one barrier; their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        results[i] = action()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def the_rep(app) -> User:
    return db.session.scalar(select(User).where(User.email == "rep@example.com"))


def live_points(user_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Call.points), 0)).where(Call.user_id == user_id, Call.undone_at.is_(None))
    )


def test_five_undos_of_one_call_at_once_take_it_back_once(app, rep):
    ids = [str(uuid.uuid4()) for _ in range(10)]
    for client_id in ids:
        rep.tap("voicemail", client_id)
    devices = same_rep(app, 5)
    answers = at_once([lambda d=d: d.post(f"/calls/{ids[0]}/undo", htmx=True).status_code for d in devices])
    assert answers == [200] * 5
    assert rep.get("/api/v1/me/today").get_json()["dials"] == 9
    with app.app_context():
        user = the_rep(app)
        assert db.session.get(PlayerTotals, user.id).dials == 9
        assert user.xp == live_points(user.id)


def test_undos_of_an_earlier_days_call_at_once_never_go_negative(app, rep):
    with app.app_context():
        user = the_rep(app)
        yesterday = datetime.now(UTC) - timedelta(days=1)
        client_id = record_call(user, "sale", uuid.uuid4(), yesterday).call.client_id
    devices = same_rep(app, 5)
    at_once([lambda d=d: d.post(f"/calls/{client_id}/undo", htmx=True) for d in devices])
    with app.app_context():
        user = the_rep(app)
        rows = db.session.scalars(select(DailyTotal).where(DailyTotal.user_id == user.id)).all()
        assert all(row.dials >= 0 and row.points >= 0 and row.sale >= 0 for row in rows)
        assert sum(row.dials for row in rows) == 0 and user.xp == 0
    assert rep.tap("no_answer").status_code == 200
    assert rep.get("/big-picture").status_code == 200


def test_one_batch_of_undos_sent_five_times_at_once_counts_once(app, rep):
    now = datetime.now(UTC)
    taps = [
        {"client_id": str(uuid.uuid4()), "kind": "tap", "outcome": "no_answer", "occurred_at": now.isoformat()}
        for _ in range(40)
    ]
    assert rep.post("/api/v1/sync", json={"items": taps}).status_code == 200
    undos = [{**item, "kind": "undo"} for item in taps[:20]]
    devices = same_rep(app, 5)
    answers = at_once([lambda d=d: d.post("/api/v1/sync", json={"items": undos}) for d in devices])
    accepted = sum(1 for answer in answers for result in answer.get_json()["results"] if result["status"] == "accepted")
    assert accepted == 20
    with app.app_context():
        user = the_rep(app)
        assert db.session.get(PlayerTotals, user.id).dials == 20
        assert db.session.scalar(select(func.sum(DailyTotal.dials)).where(DailyTotal.user_id == user.id)) == 20


def test_tap_review_undo_again_and_again_farms_no_points(app, rep):
    for _ in range(20):
        client_id = str(uuid.uuid4())
        rep.tap("not_interested", client_id)
        saved = rep.post(f"/calls/{client_id}/review", data={"objection": "no_budget"}, htmx=True)
        assert saved.status_code == 200
        rep.post(f"/calls/{client_id}/undo", htmx=True)
    today = rep.get("/api/v1/me/today").get_json()
    assert today["dials"] == 0 and today["points"] == 0
    assert rep.get("/api/v1/me/summary").get_json()["xp"] == 0


def test_an_undone_sale_leaves_no_first_sale_in_wins_or_the_team_feed(app, rep):
    team_id = make_team(rep)
    mate = new_rep(app, "mo@example.com", "Mo Mate")
    join(mate, invite_token(rep, team_id))
    client_id = str(uuid.uuid4())
    mate.tap("sale", client_id)
    feed = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "First sale" in feed and "Foot in the door" in feed
    mate.post(f"/calls/{client_id}/undo", htmx=True)
    feed = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "First sale" not in feed and "Foot in the door" not in feed and "High five" not in feed
    assert "First sale" not in mate.get("/wins").get_data(as_text=True)
    assert "First sale" in mate.tap("sale").get_data(as_text=True)  # the real first sale is celebrated


def test_what_an_undo_cannot_take_back_stays(app, rep):
    ids = [str(uuid.uuid4()) for _ in range(10)]
    for client_id in ids:
        rep.tap("not_interested", client_id)
        rep.post(f"/calls/{client_id}/review", data={"objection": "bad_timing"}, htmx=True)
    for client_id in ids:
        rep.post(f"/calls/{client_id}/undo", htmx=True)
    with app.app_context():
        codes = {b.code for b in db.session.query(EarnedBadge)}
    assert "reviews_10" in codes  # a review written stays written
    assert "first_dial" not in codes and "nos_10" not in codes


def test_a_level_reached_by_calls_that_are_undone_leaves_the_wins_log(app, rep):
    ids = [str(uuid.uuid4()) for _ in range(5)]
    for client_id in ids:
        rep.tap("sale", client_id)
    assert "Reached level 2" in rep.get("/wins").get_data(as_text=True)
    for client_id in ids:
        rep.post(f"/calls/{client_id}/undo", htmx=True)
    assert "Reached level" not in rep.get("/wins").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Win)) == 0


def test_a_goal_met_then_undone_is_no_longer_in_the_wins_log(app, rep):
    rep.post(
        "/settings/game",
        data={"working_days": ["0", "1", "2", "3", "4", "5", "6"], "day_start_hour": "0", "goal_dials": "2",
              "goal_conversations": "5", "goal_follow_ups": "5"},
    )  # fmt: skip
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    rep.tap("voicemail", first)
    rep.tap("voicemail", second)
    assert "Dial goal met" in rep.get("/wins").get_data(as_text=True)
    rep.post(f"/calls/{second}/undo", htmx=True)
    assert "goal met" not in rep.get("/wins").get_data(as_text=True)


def test_a_removed_member_stays_out_until_the_coach_invites_them_again(app, rep):
    team_id = make_team(rep)
    old_link = invite_token(rep, team_id)
    mate = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(mate, old_link).status_code == 303
    with app.app_context():
        mo = db.session.scalar(select(User.id).where(User.email == "mo@example.com"))
    rep.post(f"/teams/{team_id}/members/{mo}/remove")
    refused = mate.post(f"/join/{old_link}", follow_redirects=True).get_data(as_text=True)
    assert "no longer works for you" in refused
    assert mate.get(f"/teams/{team_id}").status_code == 404
    assert join(mate, invite_token(rep, team_id)).status_code == 303
    assert mate.get(f"/teams/{team_id}").status_code == 200


def test_the_coach_csv_lists_only_calls_made_while_a_member(app, rep):
    team_id = make_team(rep)
    mate = new_rep(app, "mo@example.com", "Mo Mate")
    with app.app_context():
        mo = db.session.scalar(select(User).where(User.email == "mo@example.com"))
        record_call(mo, "sale", uuid.uuid4(), datetime.now(UTC) - timedelta(hours=1))
    join(mate, invite_token(rep, team_id))
    mate.tap("meeting")
    today = datetime.now(UTC).date()
    span = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    body = rep.get(f"/teams/{team_id}/coach/calls.csv?{span}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["outcome"] for row in rows] == ["Meeting booked"]
