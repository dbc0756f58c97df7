"""Boards say which numbers a dialer helped make, and keep "most improved" and personal bests open to everyone.

- A board row whose period holds calls a dialer or the API logged carries "☎ N by dialer" (HTML, JSON, the
  TV's top five, the league card); a rep who only tapped in the app carries no mark.
- "Most improved" and every member's best day are shown to a rep who is not at the top, in near me and in
  private mode, and in a team with leagues; a new best this week is marked; nothing of another team shows.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.api_helpers import bearer, make_token
from tests.integration.team_helpers import make_team, new_rep, tv_token
from tests.integration.test_fair_boards import board_section, set_mode
from tests.integration.test_teams import add_quiet_reps, set_day
from webapp.extensions import db
from webapp.models import User


def api_calls(app, token: str, count: int, outcome: str = "no_answer", *, days_ago: int = 0) -> list[str]:
    """Calls a dialer sends with the rep's token; their client ids."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    when = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    body = {"calls": [{"outcome": outcome, "client_id": cid, "occurred_at": when} for cid in ids]}
    response = app.test_client().post("/api/v1/calls", json=body, headers=bearer(token))
    assert [r["status"] for r in response.get_json()["results"]] == ["accepted"] * count
    return ids


def row_of(html: str, name: str) -> str:
    """One board row's HTML, by the rep's name."""
    rows = re.findall(r'<li class="board__row.*?</li>', html, re.S)
    return next(row for row in rows if f'<span class="board__name">{name}' in row)


def bests_section(html: str) -> str:
    html = html[html.index('id="bests"') :]
    return html[: html.index("</section>")]


def bests_on(html: str) -> dict[str, int]:
    """The personal bests shown, by name."""
    found = re.findall(r'<span class="bests__name">([^<]+?)\s*(?:<span|</span>).*?data-best="(\d+)"', html, re.S)
    return {name: int(best) for name, best in found}


# ---------------------------------------------------------------- the dialer mark


@pytest.fixture
def dialled(app, rep, team_id, mate) -> str:
    """Mo's dialer logs three calls through the API and Mo taps one; Rita only taps. Mo's token."""
    token = make_token(mate, "VICIdial")
    api_calls(app, token, 3)
    mate.tap("conversation")
    rep.tap("no_answer")
    return token


def test_a_row_with_dialer_calls_carries_the_mark_and_a_row_without_does_not(app, rep, team_id, mate, dialled):
    html = rep.get(f"/teams/{team_id}?period=today&metric=dials").get_data(as_text=True)
    mo, rita = row_of(html, "Mo Mate"), row_of(html, "Rita Rep")
    assert 'data-dialer="3"' in mo and "3 by dialer" in mo
    assert '<span aria-hidden="true">☎</span>' in mo  # the symbol is for the eye; the words are read out
    assert "logged by a dialer or through the API" in mo  # the title says what the mark means
    assert "board__dialer" not in rita and "by dialer" not in rita


def test_the_json_board_and_the_league_say_how_many_calls_a_dialer_logged(app, rep, team_id, mate, dialled):
    body = rep.get(f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=dials").get_json()
    assert {r["display_name"]: r["dialer_calls"] for r in body["rows"]} == {"Mo Mate": 3, "Rita Rep": 0}
    assert body["rows"][0]["value"] == 4  # the mark says how many; the number still counts every dial


def test_the_tvs_top_five_shows_the_mark(app, rep, team_id, mate, dialled, visitor):
    html = visitor.get(f"/tv/{tv_token(rep, team_id)}").get_data(as_text=True)
    assert 'data-dialer="3"' in row_of(html, "Mo Mate")
    assert "board__dialer" not in row_of(html, "Rita Rep")


def test_undoing_the_dialers_calls_takes_the_mark_away(app, rep, team_id, mate):
    token = make_token(mate)
    ids = api_calls(app, token, 2)
    undo = {"items": [{"client_id": cid, "kind": "undo"} for cid in ids]}
    app.test_client().post("/api/v1/sync", json=undo, headers=bearer(token))
    mate.tap("no_answer")
    html = rep.get(f"/teams/{team_id}?period=today&metric=dials").get_data(as_text=True)
    assert "board__dialer" not in row_of(html, "Mo Mate")


def test_the_mark_shows_on_the_league_card(app, rep, team_id, mate):
    with app.app_context():
        add_quiet_reps(team_id, [f"Rep {n}" for n in range(8)])  # ten on the boards: leagues
    token = make_token(mate)
    api_calls(app, token, 2)
    html = mate.get(f"/teams/{team_id}?metric=dials").get_data(as_text=True)
    league = html[html.index('id="league"') : html.index('id="board"')]
    assert 'data-dialer="2"' in row_of(league, "Mo Mate")
    body = mate.get(f"/api/v1/teams/{team_id}/league?metric=dials").get_json()
    assert {r["display_name"]: r["dialer_calls"] for r in body["rows"]}["Mo Mate"] == 2


# ---------------------------------------------------------------- open to everyone


@pytest.fixture
def busy_team(app, team_id, mate):
    """Twelve quiet reps with good weeks and best days; Mo taps once and is near the bottom of everything."""
    today = datetime.now(UTC).date()
    with app.app_context():
        for n, uid in enumerate(add_quiet_reps(team_id, [f"Rep {n:02}" for n in range(12)])):
            set_day(uid, today, dials=20 + n, points=20 + n)
            set_day(uid, today - timedelta(days=30), dials=50 + n, points=50 + n)  # each one's best day
    mate.tap("no_answer")


@pytest.mark.parametrize("mode", ["near_me", "private"])
def test_most_improved_is_shown_to_a_rep_who_is_not_at_the_top(app, rep, team_id, mate, busy_team, mode):
    set_mode(rep, team_id, mode)
    html = mate.get(f"/teams/{team_id}?metric=improved").get_data(as_text=True)
    board = board_section(html)
    assert "Rep 11" in board and "Mo Mate" in board  # the top, and the viewer's own place
    assert 'data-board-note="improved"' in board
    rows = mate.get(f"/api/v1/teams/{team_id}/leaderboard?metric=improved").get_json()["rows"]
    assert rows[0]["display_name"] == "Rep 11" and rows[0]["rank"] == 1
    assert "Mo Mate" in {r["display_name"] for r in rows}


@pytest.mark.parametrize("mode", ["near_me", "full", "private"])
def test_every_members_best_day_is_shown_to_a_rep_who_is_not_at_the_top(app, rep, team_id, mate, busy_team, mode):
    set_mode(rep, team_id, mode)
    html = mate.get(f"/teams/{team_id}?period=today&metric=points").get_data(as_text=True)
    bests = bests_on(bests_section(html))
    assert bests == {"Mo Mate": 1, **{f"Rep {n:02}": 50 + n for n in range(12)}}  # the coach has not dialled
    assert "<details" in bests_section(html)  # thirteen: the first eight at once, the rest folded
    body = mate.get(f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=points").get_json()
    assert {b["display_name"]: b["best_day_dials"] for b in body["personal_bests"]} == bests
    if mode == "private":
        assert [r["display_name"] for r in body["rows"]] == ["Mo Mate"]  # the board itself stays private


def test_personal_bests_and_most_improved_stay_open_in_a_team_with_leagues(app, rep, team_id, mate, busy_team):
    html = mate.get(f"/teams/{team_id}?metric=points").get_data(as_text=True)
    assert 'id="league"' in html  # fourteen on the boards: Mo races a league
    assert len(bests_on(bests_section(html))) == 13
    improved = mate.get(f"/teams/{team_id}?metric=improved").get_data(as_text=True)
    assert 'id="league"' not in improved and "Rep 11" in board_section(improved)


def test_a_new_best_this_week_is_marked_and_an_undo_below_it_takes_the_mark_away(app, rep, team_id, mate):
    with app.app_context():
        mo = db.session.scalar(select(User.id).where(User.email == "mo@example.com"))
        set_day(mo, datetime.now(UTC).date() - timedelta(days=20), dials=3)  # Mo's best so far: 3
    ids = [str(uuid.uuid4()) for _ in range(4)]
    for cid in ids:
        mate.tap("no_answer", cid)
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    bests = bests_section(html)
    # New bests first; then the viewer (Rita, the coach, has not dialled yet: "not yet").
    assert list(bests_on(bests).items()) == [("Mo Mate", 4), ("Rita Rep", 0)] and 'data-new-bests="1"' in bests
    assert "New best this week" in bests and 'data-new-best="true"' in bests and "not yet" in bests
    body = rep.get(f"/api/v1/teams/{team_id}/leaderboard").get_json()
    assert body["personal_bests"] == [
        {"display_name": "Mo Mate", "best_day_dials": 4, "new_this_week": True},
        {"display_name": "Rita Rep", "best_day_dials": 0, "new_this_week": False},
    ]
    mate.post(f"/calls/{ids[-1]}/undo", htmx=True)
    bests = bests_section(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    assert bests_on(bests)["Mo Mate"] == 3 and 'data-new-bests="0"' in bests


def test_a_late_sync_of_yesterdays_calls_moves_the_best_at_once(app, rep, team_id):
    rep.tap("no_answer")  # today's first tap reads the best before today: none yet
    token = make_token(rep)
    ids = api_calls(app, token, 5, days_ago=1)
    assert bests_on(bests_section(rep.get(f"/teams/{team_id}").get_data(as_text=True))) == {"Rita Rep": 5}
    undo = {"items": [{"client_id": cid, "kind": "undo"} for cid in ids[:3]]}
    app.test_client().post("/api/v1/sync", json=undo, headers=bearer(token))
    assert bests_on(bests_section(rep.get(f"/teams/{team_id}").get_data(as_text=True))) == {"Rita Rep": 2}


def test_a_member_in_private_mode_sees_their_own_best_and_nobody_else_sees_it(app, rep, team_id, mate):
    mate.tap("no_answer")
    rep.tap("no_answer")
    mate.post(f"/teams/{team_id}/private", data={"private": "on"})
    assert bests_on(bests_section(mate.get(f"/teams/{team_id}").get_data(as_text=True))) == {
        "Mo Mate": 1,
        "Rita Rep": 1,
    }
    assert bests_on(bests_section(rep.get(f"/teams/{team_id}").get_data(as_text=True))) == {"Rita Rep": 1}


def test_nothing_of_another_team_shows(app, rep, team_id, mate):
    lou = new_rep(app, "lou@example.com", "Lou Lark")
    larks = make_team(lou, "Larks")
    api_calls(app, make_token(lou), 4)
    mate.tap("no_answer")
    set_mode(rep, team_id, "private")
    html = mate.get(f"/teams/{team_id}?metric=improved").get_data(as_text=True)
    assert "Lou Lark" not in html
    body = mate.get(f"/api/v1/teams/{team_id}/leaderboard?metric=improved").get_json()
    assert "Lou Lark" not in str(body)
    assert mate.get(f"/teams/{larks}").status_code == 404
    assert mate.get(f"/api/v1/teams/{larks}/leaderboard").status_code == 404
