"""Boards say which numbers a dialer helped make.

- A board row whose period holds calls a dialer or the API logged carries "☎ N by dialer" (HTML, JSON, the
  TV's top five, the league card); a rep who only tapped in the app carries no mark.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Visitor
from tests.integration.api_helpers import bearer, make_token
from tests.integration.team_helpers import invite_token, join, make_team, new_rep, tv_token
from tests.integration.test_teams import add_quiet_reps


@pytest.fixture
def team_id(rep) -> int:
    """Rita Rep (the ``rep`` fixture) coaches the Night Owls."""
    return make_team(rep)


@pytest.fixture
def mate(app, rep, team_id) -> Visitor:
    """Mo Mate, a plain member of the Night Owls."""
    visitor = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(visitor, invite_token(rep, team_id)).status_code == 303
    return visitor


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
