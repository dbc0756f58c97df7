"""The insights and bigger-picture pages: their numbers, read from aggregates only."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from webapp.extensions import db
from webapp.models import Call, HourlyActivity, User
from webapp.services.calls import record_call
from webapp.services.coaching import insights as coach
from webapp.services.today import today_for

LONDON = ZoneInfo("Europe/London")


def the_user(email="rep@example.com") -> User:
    return db.session.scalar(select(User).where(User.email == email))


def at_local(days_ago: int, hour: int, minute: int) -> datetime:
    """An instant ``days_ago`` days back at a London wall-clock time, in UTC."""
    day = datetime.now(LONDON).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def log(user, outcome: str, when: datetime):
    return record_call(user, outcome, uuid.uuid4(), when, now=datetime.now(UTC)).call


def value_of(html: str, attribute: str, key: str) -> str:
    found = re.search(rf'{attribute}="{key}">([^<]+)<', html)
    assert found, f"{attribute}={key} not on the page"
    return found.group(1).strip()


@pytest.fixture
def history(app, rep):
    """Two days of calls at known hours, three reviewed no's, one tough call and a bounce back."""
    with app.test_request_context():
        user = the_user()
        for minute, outcome in ((5, "conversation"), (20, "meeting"), (40, "no_answer")):
            log(user, outcome, at_local(2, 10, minute))
        for minute, outcome in ((5, "follow_up"), (30, "voicemail")):
            log(user, outcome, at_local(2, 14, minute))
        nos = [log(user, "not_interested", at_local(1, 9, minute)) for minute in (0, 10, 20)]
        log(user, "no_answer", at_local(1, 9, 21))  # a bounce back: within two minutes of a no
        nos = [str(call.client_id) for call in nos]
    answers = [("no_budget", "yes"), ("no_budget", "yes"), ("bad_timing", "no")]
    for client_id, (objection, asked) in zip(nos, answers, strict=True):
        rep.post(f"/calls/{client_id}/review", data={"objection": objection, "asked_right_questions": asked})
    rep.post(f"/calls/{nos[0]}/tough", htmx=True)
    return nos


def test_insights_show_objections_review_answers_best_times_and_the_funnel(rep, history):
    html = rep.get("/insights").get_data(as_text=True)
    assert value_of(html, "data-insight", "reviews") == "3"
    assert value_of(html, "data-insight", "tough") == "1"
    assert value_of(html, "data-insight", "bounce_backs") == "1"
    # Objections: No budget twice, Bad timing once, largest first, with a table for the weeks.
    assert "No budget: 2; Bad timing: 1." in html
    assert html.index('<th scope="row">No budget</th>') < html.index('<th scope="row">Bad timing</th>')
    assert "Happy with current provider" not in html  # only objections met are listed
    # Review answers: asked the right questions yes 2 of 3; the other questions not answered.
    asked = html.split('data-toggle="asked_right_questions"')[1].split("</li>")[0]
    assert "67% yes</strong> (2 of 3)" in asked and "Not enough recent answers yet" in asked
    assert "Not answered yet." in html.split('data-toggle="listened_actively"')[1].split("</li>")[0]
    # Best times: 10-11 had two conversations from three dials, 14-15 one from two.
    hours = html.split('data-best="hours"')[1].split("</ol>")[0]
    # Spans in the default English clock: "10 – 11 AM" (CLDR's thin and narrow no-break spaces).
    assert "<strong>10\u2009–\u200911\u202fAM</strong>: 2 conversations from 3 dials (67%)" in hours
    assert "<strong>2\u2009–\u20093\u202fPM</strong>: 1 conversation from 2 dials (50%)" in hours
    assert "The picture is still forming" in html  # fewer than 50 dials
    # Funnel: 9 dials, 3 conversations or better, 2 follow-ups or better, 1 meeting, 0 sales.
    for stage, count in (
        ("dials", "9"),
        ("conversations", "3"),
        ("follow_ups", "2"),
        ("meetings", "1"),
        ("sales", "0"),
    ):
        row = html.split(f'data-stage="{stage}"')[1].split("</tr>")[0]
        assert f'<td class="num">{count}</td>' in row
    assert "33.3%" in html  # conversations from dials
    assert 'role="img"' in html and "<table>" in html and "style=" not in html


def test_the_bigger_picture_shows_a_year_trend_lifetime_and_personal_bests(app, rep, history):
    html = rep.get("/big-picture").get_data(as_text=True)
    assert value_of(html, "data-total", "dials") == "9"
    assert value_of(html, "data-total", "days") == "2"
    assert value_of(html, "data-total", "reviews") == "3"
    with app.app_context():
        points = db.session.scalar(select(func.sum(Call.points)))
    assert value_of(html, "data-total", "points") == str(points + 3 * 3)  # calls plus three reviews
    assert "9 dials on 2 days." in html  # the heatmap's caption
    assert "Calling activity calendar" in html and "Weekly dials and positive outcomes" in html
    assert value_of(html, "data-best", "day_dials").startswith("5 dials on ")
    assert value_of(html, "data-best", "run").startswith("2 days")
    row = html.split('data-stage="dials"')[1].split("</tr>")[0]
    assert '<td class="num">9</td>' in row
    assert html.count("<table>") >= 2 and "Show the numbers as a table" in html
    assert "style=" not in html


def test_pages_for_a_rep_without_calls_say_so_kindly(rep):
    insights = rep.get("/insights").get_data(as_text=True)
    assert "No objections reviewed yet." in insights and "The picture is still forming" in insights
    big = rep.get("/big-picture").get_data(as_text=True)
    assert "Your records start with your first dial." in big and "0 dials on 0 days." in big


def test_insights_pages_read_aggregates_and_never_scan_calls(app, rep, history):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert rep.get("/insights").status_code == 200
        assert rep.get("/big-picture").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert statements
    assert not [s for s in statements if re.search(r"\bFROM calls\b", s)]


def test_undo_takes_a_call_out_of_the_hourly_aggregate(app, rep):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for client_id, outcome in zip(ids, ("conversation", "no_answer", "sale"), strict=True):
        rep.tap(outcome, client_id)
    rep.post(f"/calls/{ids[2]}/undo", htmx=True)
    with app.app_context():
        dials, talks = db.session.execute(
            select(func.sum(HourlyActivity.dials), func.sum(HourlyActivity.conversations))
        ).one()
        assert (dials, talks) == (2, 1)


def test_the_hourly_aggregate_uses_the_reps_own_timezone(app, rep):
    with app.test_request_context():
        user = the_user()
        call = log(user, "conversation", at_local(1, 16, 30))
        row = db.session.scalar(select(HourlyActivity))
        assert (row.weekday, row.hour) == (call.occurred_at.astimezone(LONDON).weekday(), 16)


def test_a_coach_sees_the_teams_objections_and_review_trends(app, rep, history):
    other = rep.__class__(app.test_client())
    other.register(email="teammate@example.com", name="Tia Teammate")
    client_id = str(uuid.uuid4())
    other.tap("not_interested", client_id)
    other.post(f"/calls/{client_id}/review", data={"objection": "bad_timing", "asked_right_questions": "yes"})
    with app.test_request_context():
        ids = [the_user().id, the_user("teammate@example.com").id]
        team = coach.team_insights(ids, today_for(the_user()))
        assert (team.members, team.reviews) == (2, 4)
        assert [(t.label, t.count) for t in team.objections.totals] == [("No budget", 2), ("Bad timing", 2)]
        asked = team.toggles[0]
        assert (asked.yes_count, asked.answered_count) == (3, 4)
        assert coach.team_insights([], today_for(the_user())).reviews == 0


def test_the_coach_page_shows_the_teams_objections_to_the_coach_only(app, rep, history):
    team = rep.post("/teams", data={"name": "Night Owls", "timezone": "Europe/London"})
    team_id = int(team.headers["Location"].split("/")[2])
    html = rep.get(f"/teams/{team_id}/coach/insights").get_data(as_text=True)
    assert value_of(html, "data-team", "reviews") == "3" and "No budget: 2; Bad timing: 1." in html
    assert "style=" not in html
    assert f"/teams/{team_id}/coach/insights" in rep.get("/insights").get_data(as_text=True)
    outsider = rep.__class__(app.test_client())
    outsider.register(email="outsider@example.com", name="Ola Outsider")
    assert outsider.get(f"/teams/{team_id}/coach/insights").status_code == 404


def test_sharing_a_tough_call_says_it_reached_the_team_feed(app, rep):
    rep.post("/teams", data={"name": "Night Owls", "timezone": "Europe/London"})
    client_id = str(uuid.uuid4())
    rep.tap("not_interested", client_id)
    html = rep.post(f"/calls/{client_id}/tough/share", htmx=True).get_data(as_text=True)
    assert "your team's feed" in html
    with app.app_context():
        from webapp.services.teams.feed import feed_first_page
        from webapp.services.teams.seats import seat_of

        seat = seat_of(the_user())
        titles = [item.title for item in feed_first_page(seat.team, None).items]
        assert "Tough call survived" in titles


def test_a_plain_member_is_refused_the_coachs_insights(app, rep):
    from tests.integration.test_teams import invite_token, join, make_team, new_rep

    team_id = make_team(rep)
    member = new_rep(app, "member@example.com", "Mo Member")
    join(member, invite_token(rep, team_id))
    assert member.get(f"/teams/{team_id}/coach/insights").status_code == 403
    assert "/coach/insights" not in member.get("/insights").get_data(as_text=True)


def test_old_weeks_folded_together_give_the_same_totals_and_trends(app, rep):
    from webapp.domain import insights as rules
    from webapp.models import ReviewWeek

    with app.test_request_context():
        user = the_user()
        today = today_for(user)
        rows, objection_rows, toggle_rows = [], [], []
        for back in range(30):
            week = rules.week_start(today) - timedelta(weeks=back)
            counts = {"no_budget": back % 3, "other": 1, "timing_right_yes": back % 2, "timing_right_answered": 2}
            rows.append(ReviewWeek(user_id=user.id, week_start=week, reviews=1 + back % 3, **counts))
            objection_rows += [(week, "no_budget", back % 3), (week, "other", 1)]
            toggle_rows.append((week, "timing_right", back % 2, 2))
        db.session.add_all(rows)
        db.session.commit()
        data = coach.insights_for(user)
        assert data.objections.totals == rules.objection_breakdown(objection_rows).totals
        assert data.toggles == rules.toggle_rates(toggle_rows, today)
        assert data.objection_weeks.weeks[-1] == rules.week_start(today)
        assert [counts for label, counts in data.objection_weeks.rows if label == "Other"] == [(1,) * 6]
