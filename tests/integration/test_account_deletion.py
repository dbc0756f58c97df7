"""Delete my account: password first, nothing of the rep left, boards equal to the remaining calls, devices out."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tests.conftest import PASSWORD, Visitor
from tests.integration.api_helpers import bearer, make_token
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.extensions import db
from webapp.models import Call, Team, User


def _user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _rows_of(app, user_id: int) -> dict[str, int]:
    """Every row in any table that points at the user, by table."""
    found = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                pointing = any(fk.column.table.name == "users" for fk in column.foreign_keys)
                if pointing or (table.name == "users" and column.name == "id"):
                    count = len(db.session.execute(select(column).where(column == user_id)).all())
                    if count:
                        found[f"{table.name}.{column.name}"] = count
    return found


def test_a_rep_deletes_their_account_and_nothing_of_them_is_left(app):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    sam = new_rep(app, "sam@example.com", "Sam Seller")
    kim = new_rep(app, "kim@example.com", "Kim Keen")
    for rep in (sam, kim):
        join(rep, invite_token(coach, team_id))
    for outcome in ("sale", "meeting", "no_answer"):
        sam.tap(outcome)
    kim.tap("conversation")
    coach.tap("no_answer")
    assert sam.post(f"/teams/{team_id}/messages", data={"body": "Coffee on me"}).status_code < 400
    make_token(sam)
    second_device = Visitor(app.test_client())
    second_device.login("sam@example.com")
    sam_id = _user_id(app, "sam@example.com")
    assert _rows_of(app, sam_id)

    assert "cannot be undone" in sam.get("/settings/data").get_data(as_text=True)
    refused = sam.post("/settings/data/delete", data={"password": "not my password"})
    assert refused.status_code == 422 and "nothing was deleted" in refused.get_data(as_text=True)
    response = sam.post("/settings/data/delete", data={"password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")

    assert _rows_of(app, sam_id) == {}
    for device in (sam, second_device):
        assert device.get("/api/v1/me/today").status_code == 401
    board = coach.get(f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=dials").get_json()
    with app.app_context():
        remaining = Counter(
            name
            for (name,) in db.session.execute(
                select(User.display_name).join(Call, Call.user_id == User.id).where(Call.undone_at.is_(None))
            )
        )
    assert {row["display_name"]: row["value"] for row in board["rows"]} == dict(remaining)
    assert dict(remaining) == {"Kim Keen": 1, "Cora Coach": 1}


def test_a_coach_hands_the_team_over_first(app):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    member = new_rep(app, "m@example.com", "Mo Member")
    join(member, invite_token(coach, team_id))
    response = coach.post("/settings/data/delete", data={"password": PASSWORD})
    assert response.status_code == 422 and "hand the coach role" in response.get_data(as_text=True)
    assert _user_id(app, "coach@example.com") is not None


def test_a_coach_alone_in_the_team_closes_it_with_the_account(app):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    make_team(coach)
    assert coach.post("/settings/data/delete", data={"password": PASSWORD}).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Team)).all() == []


def test_a_token_of_a_deleted_account_stops_working(app, rep):
    token = make_token(rep)
    rep.post("/settings/data/delete", data={"password": PASSWORD})
    assert app.test_client().get("/api/v1/me/today", headers=bearer(token)).status_code == 401
    page = rep.get("/settings/data")
    assert page.status_code == 302  # logged out: sent to the login page
