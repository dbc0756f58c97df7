"""Time off through the app: add, list, remove, refusals that change nothing, the streak and the team board."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.test_forgiving_streaks import api_streak, dial_on, shown_streak, tap_many, the_rep
from tests.integration.test_game import set_goals
from tests.integration.test_teams import add_quiet_reps, set_day, user_id
from webapp.domain.ranking import Metric, Period
from webapp.extensions import db
from webapp.formats import fmt_date
from webapp.models import Team, TeamMember, TimeOff
from webapp.services.teams import boards as board_service
from webapp.services.today import today_for


def rep_today(app) -> date:
    with app.app_context():
        return today_for(the_rep())


def time_off_rows(app) -> list[tuple[date, date, str]]:
    with app.app_context():
        return [(r.first_day, r.last_day, r.kind) for r in db.session.query(TimeOff).order_by(TimeOff.id)]


def test_time_off_is_added_listed_and_removed(app, rep):
    today = rep_today(app)
    first, last = today + timedelta(days=10), today + timedelta(days=14)
    response = rep.post(
        "/settings/time-off", data={"first": first.isoformat(), "last": last.isoformat(), "kind": "holiday"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("#streak")
    assert time_off_rows(app) == [(first, last, "holiday")]
    page = rep.get("/settings").get_data(as_text=True)
    shown = [fmt_date(day, "weekday_date", "en") for day in (first, last)]  # the default locale's dates
    assert f"Holiday: {shown[0]} to {shown[1]} (5 days)" in page
    rep.post("/settings/time-off", data={"first": today.isoformat(), "last": "", "kind": "sick"})
    assert "Sick: " in rep.get("/settings").get_data(as_text=True)
    time_off_id = re.search(r'data-time-off="(\d+)"', page).group(1)
    assert rep.post(f"/settings/time-off/{time_off_id}/delete").status_code == 303
    assert [kind for _, _, kind in time_off_rows(app)] == ["sick"]
    assert "Holiday:" not in rep.get("/settings").get_data(as_text=True)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (-2, -4, "The last day comes before the first day."),
        (1, 61, "Time off is at most 60 days at a time."),
        (-8, -6, "Time off can start at most 7 days back"),
        (27, 29, "This overlaps your time off from"),
        (None, None, "Enter the first day, like 2026-11-02."),
    ],
)
def test_bad_time_off_gets_a_clear_message_and_changes_nothing(app, rep, first, last, message):
    today = rep_today(app)
    rep.post("/settings/time-off", data={"first": (today + timedelta(days=28)).isoformat(), "kind": "training"})
    before = time_off_rows(app)

    def day(offset):
        return "31/02/2026" if offset is None else (today + timedelta(days=offset)).isoformat()

    response = rep.post("/settings/time-off", data={"first": day(first), "last": day(last), "kind": "holiday"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert f'value="{day(first)}"' in html  # what the rep typed is kept
    assert time_off_rows(app) == before


def test_an_unknown_kind_of_time_off_is_refused(app, rep):
    response = rep.post("/settings/time-off", data={"first": rep_today(app).isoformat(), "kind": "party"})
    assert response.status_code == 422
    assert "Choose holiday, sick, training or other." in response.get_data(as_text=True)
    assert time_off_rows(app) == []


def test_a_rep_cannot_remove_another_reps_time_off(app, rep):
    from tests.integration.team_helpers import new_rep

    rep.post("/settings/time-off", data={"first": rep_today(app).isoformat(), "kind": "holiday"})
    with app.app_context():
        time_off_id = db.session.query(TimeOff.id).scalar()
    other = new_rep(app, "other@example.com", "Other Rep")
    assert other.post(f"/settings/time-off/{time_off_id}/delete").status_code == 404
    assert len(time_off_rows(app)) == 1


def test_a_time_off_day_neither_breaks_nor_adds_to_the_streak(app, rep):
    set_goals(rep, dials=40, working_days=range(7))
    today = rep_today(app)
    for back in (3, 1):
        with app.test_request_context():
            dial_on(the_rep(), today - timedelta(days=back), 10)
    with app.test_request_context():
        dial_on(the_rep(), today - timedelta(days=2), 10)  # dialled while away: it will not count
    assert shown_streak(rep) == 3
    day_away = (today - timedelta(days=2)).isoformat()
    assert rep.post("/settings/time-off", data={"first": day_away, "kind": "sick"}).status_code == 303
    assert shown_streak(rep) == 2  # two working days, the sick day neither added nor broke
    time_off_id = re.search(r'data-time-off="(\d+)"', rep.get("/settings").get_data(as_text=True)).group(1)
    rep.post(f"/settings/time-off/{time_off_id}/delete")
    assert shown_streak(rep) == 3


def test_a_missed_day_marked_as_time_off_afterwards_keeps_the_streak(app, rep):
    set_goals(rep, dials=40, working_days=range(7))
    today = rep_today(app)
    with app.test_request_context():
        for back in (4, 3, 1):
            dial_on(the_rep(), today - timedelta(days=back), 10)
    assert shown_streak(rep) == 1  # the day two days ago was missed
    rep.post("/settings/time-off", data={"first": (today - timedelta(days=2)).isoformat(), "kind": "sick"})
    assert shown_streak(rep) == 3


def test_time_off_today_says_the_streak_is_safe(app, rep):
    rep.post("/settings/time-off", data={"first": rep_today(app).isoformat(), "kind": "training"})
    page = rep.get("/").get_data(as_text=True)
    assert "Time off today: your streak is safe." in page
    streak = api_streak(rep)
    assert (streak["time_off_today"], streak["working_today"], streak["dials_to_keep"]) == (True, False, 0)
    tap_many(rep, 10)
    assert shown_streak(rep) == 0  # calls on a day off are lovely, and do not extend the streak


# ---- the team board's "% of own goal"

WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


def goal_board(team_id: int) -> dict[str, str]:
    result = board_service.board(db.session.get(Team, team_id), Period.WEEK, Metric.GOAL, WEDNESDAY)
    return {row.name: row.shown for row in result.rows}


@pytest.fixture
def team_id(rep) -> int:
    from tests.integration.team_helpers import make_team

    return make_team(rep)


def test_percent_of_own_goal_leaves_out_days_of_time_off(app, team_id):
    with app.app_context():
        steady, away = add_quiet_reps(team_id, ["Steady Sam", "Away Ada"])
        for back in range(3):  # Mon, Tue, Wed
            set_day(steady, MONDAY + timedelta(days=back), dials=40)
        for back in range(2):  # Mon, Tue; Ada is on a course on Wednesday
            set_day(away, MONDAY + timedelta(days=back), dials=40)
        assert goal_board(team_id)["Away Ada"] == "66%"
        db.session.add(
            TimeOff(
                user_id=away, first_day=MONDAY + timedelta(days=2), last_day=MONDAY + timedelta(days=9), kind="training"
            )
        )
        db.session.commit()
        board = goal_board(team_id)
    assert board["Steady Sam"] == board["Away Ada"] == "100%"


def test_percent_of_own_goal_counts_only_days_since_joining_the_team(app, team_id):
    with app.app_context():
        veteran, newcomer = add_quiet_reps(team_id, ["Vera Veteran", "Nick Newcomer"])
        db.session.get(TeamMember, newcomer).joined_at = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday
        db.session.commit()
        for back in range(3):
            set_day(veteran, MONDAY + timedelta(days=back), dials=40)
            set_day(newcomer, MONDAY + timedelta(days=back), dials=40)  # Mon and Tue before joining
        board = goal_board(team_id)
        assert board == {"Vera Veteran": "100%", "Nick Newcomer": "100%", "Rita Rep": "0%"}
        # Joined on Wednesday with nothing dialled since: nothing from before counts.
        set_day(newcomer, MONDAY + timedelta(days=2), dials=0)
        assert goal_board(team_id)["Nick Newcomer"] == "0%"


def test_the_join_day_is_the_reps_own_day(app, team_id):
    with app.app_context():
        (late,) = add_quiet_reps(team_id, ["Late Lou"], tz="America/Los_Angeles")
        # 02:00 UTC on Wednesday is still Tuesday evening in Los Angeles: Tuesday is owed.
        db.session.get(TeamMember, late).joined_at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
        db.session.commit()
        set_day(late, MONDAY + timedelta(days=1), dials=40)
        # Tuesday's 40 dials count, and Tuesday and Wednesday are owed: 40 of 80.
        assert goal_board(team_id)["Late Lou"] == "50%"


# ---- hiding one's own rank


def test_a_rep_who_hides_their_streak_sees_no_rank_on_their_own_row_and_others_still_do(app, rep, team_id):
    from tests.integration.team_helpers import invite_token, join, new_rep

    mate = new_rep(app, "mo@example.com", "Mo Mate")
    join(mate, invite_token(rep, team_id))
    tap_many(rep, 3)
    rep.post("/settings/streak/hidden", data={"hide_streak": "1"})
    with app.app_context():
        rita = user_id("rep@example.com")

    def own_row(html: str, uid: int) -> str:
        row = html[html.index(f'data-user="{uid}"') :]
        return row[: row.index("</li>")]

    mine = own_row(rep.get(f"/teams/{team_id}").get_data(as_text=True), rita)
    assert 'data-rank="hidden"' in mine and "Rank " not in mine and "(you)" in mine
    theirs = own_row(mate.get(f"/teams/{team_id}").get_data(as_text=True), rita)
    assert 'aria-label="Rank 1">1<' in theirs
    live = rep.get(f"/teams/{team_id}/board", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-rank="hidden"' in own_row(live, rita)


def test_removing_time_off_that_does_not_exist_is_a_404_not_an_error(app, rep):
    for time_off_id in (1, 2**31, 10**20):
        assert rep.post(f"/settings/time-off/{time_off_id}/delete").status_code == 404
