"""Board modes through the app: near me, full and private, as the coach and as a member, in HTML,
JSON and on the TV. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from tests.conftest import Visitor
from tests.integration.team_helpers import tv_token
from tests.integration.test_teams import add_quiet_reps, set_day
from webapp.extensions import db
from webapp.models import Team


@pytest.fixture
def long_board(app, team_id, mate):
    """Twenty quiet reps with 100..119 points today; Mo Mate (the member) taps once and sits near the bottom."""
    today = datetime.now(UTC).date()
    with app.app_context():
        for n, uid in enumerate(add_quiet_reps(team_id, [f"Rep {n:02}" for n in range(20)])):
            set_day(uid, today, dials=100 + n, points=100 + n)
    mate.tap("no_answer")


def board_section(html: str) -> str:
    """The board section alone (not the league card above it, nor the personal bests below it)."""
    html = html[html.index('id="board"') :]
    return html[: html.index("</section>")]


def names_on(html: str) -> list[str]:
    """The names on the board section."""
    return re.findall(r'<span class="board__name">([^<]+?)\s*(?:<span|</span>)', board_section(html))


def set_mode(coach: Visitor, team_id: int, mode: str):
    return coach.post(f"/teams/{team_id}/board-mode", data={"board_mode": mode})


def board_html(visitor: Visitor, team_id: int) -> str:
    return visitor.get(f"/teams/{team_id}?period=today&metric=points").get_data(as_text=True)


def test_a_new_team_starts_near_me_and_a_team_from_before_keeps_the_full_board(app, rep, team_id):
    with app.app_context():
        assert db.session.get(Team, team_id).board_mode == "near_me"
        db.session.execute(
            text("INSERT INTO teams (name, timezone, created_at, version) VALUES ('Old', 'UTC', :t, 0)"),
            {"t": datetime.now(UTC)},
        )
        db.session.commit()
        assert db.session.scalar(select(Team.board_mode).where(Team.name == "Old")) == "full"


def test_near_me_shows_a_member_the_podium_and_their_neighbours_and_the_rest_as_counts(
    app, rep, team_id, mate, long_board
):
    html = board_html(mate, team_id)
    # The podium; then the two above Mo, Mo, and the one below (the coach, on 0 points).
    assert names_on(html) == ["Rep 19", "Rep 18", "Rep 17", "Rep 01", "Rep 00", "Mo Mate", "Rita Rep"]
    assert 'data-hidden="15"' in html and "See all" not in html
    assert "Near me" in html and "Chosen by the coach" in html
    assert "Rep 10" not in board_section(html)  # the middle of the board is a count, not names


def test_the_full_board_shows_every_rank_to_a_member(app, rep, team_id, mate, long_board):
    assert set_mode(rep, team_id, "full").status_code == 303
    html = mate.get(f"/teams/{team_id}?period=today&metric=points&all=1").get_data(as_text=True)
    assert len(names_on(html)) == 22 and "Full board" in html


def test_private_shows_a_member_only_their_own_numbers_against_their_best(app, rep, team_id, mate, long_board):
    set_mode(rep, team_id, "private")
    html = board_html(mate, team_id)
    assert names_on(html) == ["Mo Mate"] and "Rep 19" not in board_section(html)
    assert 'data-rank="hidden"' in html and "Your best day" in html


@pytest.mark.parametrize("mode", ["near_me", "private"])
def test_the_coach_sees_every_rank_in_every_mode(app, rep, team_id, mate, long_board, mode):
    set_mode(rep, team_id, mode)
    html = rep.get(f"/teams/{team_id}?period=today&metric=points&all=1").get_data(as_text=True)
    assert len(names_on(html)) == 22


@pytest.mark.parametrize(("mode", "member_rows"), [("near_me", 7), ("full", 22), ("private", 1)])
def test_the_json_board_follows_the_mode(app, rep, team_id, mate, long_board, mode, member_rows):
    set_mode(rep, team_id, mode)
    url = f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=points"
    member, coach = mate.get(url).get_json(), rep.get(url).get_json()
    assert member["mode"] == coach["mode"] == mode
    assert len(member["rows"]) == member_rows and len(coach["rows"]) == 22
    if mode == "near_me":
        assert member["hidden_between"] + member["hidden_after"] == 22 - member_rows
    if mode == "private":
        assert member["rows"][0]["display_name"] == "Mo Mate" and member["rows"][0]["rank"] is None


@pytest.mark.parametrize(("mode", "ranks"), [("near_me", 5), ("full", 5), ("private", 0)])
def test_the_tv_never_shows_a_rank_below_the_top_five(app, rep, team_id, mate, long_board, visitor, mode, ranks):
    set_mode(rep, team_id, mode)
    html = visitor.get(f"/tv/{tv_token(rep, team_id)}").get_data(as_text=True)
    found = [int(r) for r in re.findall(r'aria-label="Rank (\d+)"', html)]
    assert len(found) == ranks and all(rank <= 5 for rank in found)


def test_only_the_coach_chooses_the_mode_and_a_bad_one_changes_nothing(app, rep, team_id, mate):
    assert set_mode(mate, team_id, "full").status_code == 403
    set_mode(rep, team_id, "everyone")
    with app.app_context():
        assert db.session.get(Team, team_id).board_mode == "near_me"


def test_a_change_of_mode_refreshes_an_open_board(app, rep, team_id, mate):
    url = f"/teams/{team_id}/board?period=today&metric=points"
    etag = mate.get(url).headers["ETag"]
    set_mode(rep, team_id, "private")
    assert mate.get(url, headers={"If-None-Match": etag}).status_code == 200


# ---------------------------------------------------------------- smaller mends


def test_the_board_keeps_the_chosen_period_after_most_improved(app, rep, team_id):
    html = rep.get(f"/teams/{team_id}?period=month&metric=improved").get_data(as_text=True)
    assert f'href="/teams/{team_id}?period=month&amp;metric=points"' in html  # metric links carry the period
    assert re.search(r'period=month&amp;metric=points" aria-current="true">This month<', html)
    assert "period=week&amp;metric=dials" not in html


def test_the_challenge_form_shows_the_running_challenges_values(app, rep, team_id):
    rep.post(f"/teams/{team_id}/challenge", data={"metric": "meetings", "target": "12", "period": "month"})
    html = rep.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert 'name="target" type="number" inputmode="numeric" min="1" value="12"' in html
    assert '<option value="meetings" selected>' in html and '<option value="month" selected>' in html


def test_the_tv_slides_a_new_win_in(app, rep, team_id, mate, visitor):
    token = tv_token(rep, team_id)
    mate.tap("meeting")
    html = visitor.get(f"/tv/{token}/live").get_data(as_text=True)
    assert "feed-item--new" in html
    assert re.search(r"hx-trigger=\"every (\d+)s\"", html).group(1) in {"10", "20"}


def test_the_board_and_its_labels_speak_german(app, rep, team_id, mate, long_board):
    german = {"Accept-Language": "de"}
    html = mate.get(f"/teams/{team_id}/board?period=today&metric=points", headers=german).get_data(as_text=True)
    assert "Punkte" in html and "Heute" in html and 'aria-label="Dein Platz"' in html
    assert 'aria-label="Platz 1"' in html and "(du)" in html and "15 weitere dazwischen" in html
    html = mate.get(f"/teams/{team_id}?metric=goal&period=month", headers=german).get_data(as_text=True)
    assert "% vom eigenen Ziel" in html and "Um mich herum: Alle sehen die ersten drei" in html
    set_mode(rep, team_id, "private")
    html = mate.get(f"/teams/{team_id}/board?metric=improved", headers=german).get_data(as_text=True)
    assert "Größte Steigerung" in html and "Diese Woche bisher" in html
