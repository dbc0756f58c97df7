"""Weekly leagues through the app: a team of twenty in leagues of five to eight by last week's dials,
turning over at Monday midnight in the team's timezone. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.team_helpers import make_team
from tests.integration.test_teams import add_quiet_reps, set_day
from webapp.domain.ranking import Metric
from webapp.extensions import db
from webapp.models import Team, User
from webapp.services.teams import seats
from webapp.services.teams.leagues import league_for

SUNDAY_NIGHT_LA = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)  # 23:30 Sunday 29 November in Los Angeles
MONDAY_LA = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 00:30 Monday 30 November in Los Angeles
WEEK_BEFORE = date(2026, 11, 16)  # Monday of the week before last, seen from Sunday night
LAST_WEEK = date(2026, 11, 23)


@pytest.fixture
def team_id(app, rep) -> int:
    """Rita coaches the Coast team in Los Angeles with nineteen quiet reps: twenty on the boards."""
    team_id = make_team(rep, "Coast", tz="America/Los_Angeles")
    with app.app_context():
        ids = add_quiet_reps(team_id, [f"Rep {n:02}" for n in range(19)], tz="America/Los_Angeles")
        for n, uid in enumerate(ids):
            set_day(uid, WEEK_BEFORE, dials=100 + n)  # Rep 18 busiest the week before
            set_day(uid, LAST_WEEK, dials=100 - n)  # Rep 00 busiest last week
        rita = db.session.scalar(select(User.id).where(User.email == "rep@example.com"))
        set_day(rita, LAST_WEEK + timedelta(days=2), dials=500)  # Rita: quiet, then the busiest
    return team_id


def rita_seat():
    return seats.seat_of(db.session.scalar(select(User).where(User.email == "rep@example.com")))


def test_leagues_turn_over_at_monday_midnight_in_the_teams_timezone(app, team_id):
    with app.app_context():
        before = league_for(rita_seat(), Metric.DIALS, SUNDAY_NIGHT_LA)
        after = league_for(rita_seat(), Metric.DIALS, MONDAY_LA)
    assert (before.count, before.number, len(before.board.rows)) == (3, 3, 6)  # no dials the week before: the last
    assert (after.count, after.number, len(after.board.rows)) == (3, 1, 7)  # 500 dials last week: the first
    assert {row.name for row in after.board.rows} == {"Rita Rep", *(f"Rep {n:02}" for n in range(6))}
    assert all(row.value == 0 for row in after.board.rows)  # a fresh start: nobody has dialled this week yet
    assert [row.rank for row in after.board.rows] == [1] * 7  # level, so all share first place


def test_a_lower_league_shows_who_is_on_course_to_move_up(app, team_id):
    with app.app_context():
        seat = seats.seat_of(db.session.scalar(select(User).where(User.display_name == "Rep 18")))
        league = league_for(seat, Metric.DIALS, SUNDAY_NIGHT_LA)
    assert league.number == 1 and not league.promotion
    with app.app_context():
        seat = seats.seat_of(db.session.scalar(select(User).where(User.display_name == "Rep 00")))
        league = league_for(seat, Metric.DIALS, SUNDAY_NIGHT_LA)
    assert league.number == 3 and len(league.promotion) == 2


def test_the_team_page_and_the_json_show_the_viewers_league(app, rep, team_id):
    html = rep.get(f"/teams/{team_id}?metric=dials").get_data(as_text=True)
    assert 'id="league"' in html and "League 1" in html and "of 3" in html
    body = rep.get(f"/api/v1/teams/{team_id}/league?metric=dials").get_json()
    assert body["league"] == 1 and body["leagues"] == 3 and len(body["rows"]) == 7


def test_no_leagues_for_a_team_of_eight_or_a_private_team(app, rep):
    team_id = make_team(rep, "Small")
    with app.app_context():
        add_quiet_reps(team_id, [f"Rep {n}" for n in range(7)])
        assert league_for(rita_seat(), Metric.DIALS) is None
        add_quiet_reps(team_id, ["Rep 8"], joined_at=datetime(2026, 1, 5, tzinfo=UTC))
        set_day(db.session.scalar(select(User.id).where(User.display_name == "Rep 8")), date(2026, 11, 24), dials=5)
        assert league_for(rita_seat(), Metric.DIALS) is not None  # nine on the boards
        db.session.get(Team, team_id).board_mode = "private"
        db.session.commit()
        assert league_for(rita_seat(), Metric.DIALS) is None
    assert rep.get(f"/api/v1/teams/{team_id}/league").get_json()["league"] is None
