"""The daily huddle through the app, on SQLite and PostgreSQL: the coach's plan, one answer a
member a team day (in the team's timezone, across midnight), skips, high-fives, the live card,
and the coach's stand-up material."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.extensions import db
from webapp.models import HuddleAnswer, HuddleHighFive, InboxItem, User
from webapp.services.teams import huddle as huddle_service
from webapp.services.teams.seats import seat_of
from webapp.worker import run_minute


def turn_on(coach, team_id: int, time="09:00", prompt=""):
    return coach.post(f"/teams/{team_id}/huddle/plan", data={"enabled": "on", "time": time, "prompt": prompt})


@pytest.fixture
def team(app, rep):
    """A coach's team with a morning huddle; the ``rep`` fixture (Rita) and Max are members."""
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, "Night Owls", tz="America/New_York")
    join(rep, invite_token(coach, team_id))
    max_ = new_rep(app, "max@example.com", "Max Member", tz="Asia/Tokyo")
    join(max_, invite_token(coach, team_id))
    assert turn_on(coach, team_id).status_code == 303
    return {"id": team_id, "coach": coach, "rita": rep, "max": max_}


def answer(visitor, team_id: int, body: str):
    return visitor.post(f"/teams/{team_id}/huddle/answer", htmx=True, data={"body": body})


def answers() -> list[tuple[str, date, str, bool]]:
    rows = db.session.execute(
        select(User.display_name, HuddleAnswer.day, HuddleAnswer.body, HuddleAnswer.skipped)
        .join(User, User.id == HuddleAnswer.user_id)
        .order_by(HuddleAnswer.id)
    )
    return [tuple(row) for row in rows]


def test_no_card_on_today_until_the_coach_turns_the_huddle_on(app, rep):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    join(rep, invite_token(coach, team_id))
    assert rep.get("/today/huddle").status_code == 204
    refused = answer(rep, team_id, "Call the warm leads first")
    assert refused.status_code == 422 and "no huddle" in refused.get_data(as_text=True)
    assert 'id="huddle-today"' in rep.get("/").get_data(as_text=True)  # the empty slot below the buttons
    assert turn_on(coach, team_id).status_code == 303
    card = rep.get("/today/huddle")
    assert card.status_code == 200 and "Today&#39;s focus" in card.get_data(as_text=True)
    with app.app_context():
        assert answers() == []


def test_a_member_answers_once_and_the_coachs_card_shows_it(app, team):
    response = answer(team["rita"], team["id"], "  Call the   warm leads first ")
    assert response.status_code == 200
    assert 'data-huddle="mine">Call the warm leads first<' in response.get_data(as_text=True)

    again = answer(team["rita"], team["id"], "Something else")
    assert again.status_code == 422 and "answered today&#39;s huddle already" in again.get_data(as_text=True)

    card = team["coach"].get(f"/teams/{team['id']}/huddle/live").get_data(as_text=True)
    assert "Call the warm leads first" in card and "Rita Rep" in card
    assert "1 answered (Rita Rep)" in card and "not yet: Cora Coach, Max Member" in card
    with app.app_context():
        assert [(name, body) for name, _, body, _ in answers()] == [("Rita Rep", "Call the warm leads first")]


def test_once_per_member_per_team_day_across_midnight_in_the_teams_timezone(app, team, monkeypatch):
    # 23:50 on 9 March in New York (the team) is already 12:50 on 10 March in Tokyo (Max).
    clock = {"now": datetime(2026, 3, 10, 3, 50, tzinfo=UTC)}
    monkeypatch.setattr(huddle_service, "utcnow", lambda: clock["now"])
    assert answer(team["max"], team["id"], "Late one: follow-ups").status_code == 200
    clock["now"] += timedelta(minutes=5)  # 23:55 in New York: the same huddle day
    assert answer(team["max"], team["id"], "A second line").status_code == 422
    clock["now"] += timedelta(minutes=15)  # 00:10 in New York: a new huddle day
    assert answer(team["max"], team["id"], "Fresh day: ten dials by nine").status_code == 200
    with app.app_context():
        assert answers() == [
            ("Max Member", date(2026, 3, 9), "Late one: follow-ups", False),
            ("Max Member", date(2026, 3, 10), "Fresh day: ten dials by nine", False),
        ]


def test_the_unique_key_keeps_a_racing_second_answer_out(app, team, monkeypatch):
    with app.app_context():
        rita = db.session.scalar(select(User).where(User.email == "rep@example.com"))
        seat = seat_of(rita)
        today = huddle_service.team_day(seat.team)
        db.session.add(HuddleAnswer(team_id=seat.team.id, user_id=rita.id, day=today, prompt="p", body="first"))
        db.session.commit()
        # The first tap's row landed after the second tap looked: only the INSERT itself can tell.
        monkeypatch.setattr(huddle_service, "own_answer", lambda seat, day: None)
        with pytest.raises(huddle_service.HuddleRefused, match="already"):
            huddle_service.answer(seat, "second")
        assert db.session.scalars(select(HuddleAnswer.body)).all() == ["first"]


def test_a_skip_folds_the_card_and_an_answer_may_still_follow(app, team):
    skipped = team["rita"].post(f"/teams/{team['id']}/huddle/skip", htmx=True)
    assert skipped.status_code == 200 and "skipped today" in skipped.get_data(as_text=True)
    assert team["rita"].post(f"/teams/{team['id']}/huddle/skip", htmx=True).status_code == 422
    assert answer(team["rita"], team["id"], "Changed my mind: objection drills").status_code == 200
    with app.app_context():
        assert [(body, skipped) for _, _, body, skipped in answers()] == [("Changed my mind: objection drills", False)]


def test_an_empty_or_long_answer_is_refused_and_keeps_the_draft(app, team):
    long = "x" * 141
    response = answer(team["rita"], team["id"], long)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "under 140 characters" in html and f'value="{long}"' in html
    assert answer(team["rita"], team["id"], "   ").status_code == 422
    with app.app_context():
        assert answers() == []


def test_teammates_high_five_an_answer_once_never_their_own(app, team):
    answer(team["rita"], team["id"], "Book two meetings")
    with app.app_context():
        key = f"h{db.session.scalar(select(HuddleAnswer.id))}"
    url = f"/teams/{team['id']}/huddle/{key}/high-five"
    first = team["max"].post(url, htmx=True)
    assert first.status_code == 200 and "1 high-five" in first.get_data(as_text=True)
    assert "1 high-five" in team["max"].post(url, htmx=True).get_data(as_text=True)
    assert team["rita"].post(url, htmx=True).status_code == 409
    assert team["max"].post(f"/teams/{team['id']}/huddle/w1/high-five", htmx=True).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HuddleHighFive)) == 1


def test_high_fives_on_an_answer_reach_the_answerer_batched_like_the_feeds(app, team):
    answer(team["rita"], team["id"], "Book two meetings")
    with app.app_context():
        key = f"h{db.session.scalar(select(HuddleAnswer.id))}"
        rita = db.session.scalar(select(User.id).where(User.display_name == "Rita Rep"))
    url = f"/teams/{team['id']}/huddle/{key}/high-five"
    for giver in (team["max"], team["coach"], team["max"]):  # the second one from Max changes nothing
        assert giver.post(url, htmx=True).status_code == 200
    with app.app_context():
        run_minute()
        items = db.session.execute(
            select(InboxItem.kind, InboxItem.title, InboxItem.body, InboxItem.url).where(
                InboxItem.user_id == rita, InboxItem.kind == "high_fives"
            )
        ).all()
    assert [tuple(item) for item in items] == [
        (
            "high_fives",
            "Max Member and Cora Coach high-fived you",
            "2 high-fives for your huddle answer “Book two meetings”.",
            f"/teams/{team['id']}/huddle",
        )
    ]


def test_the_live_card_is_304_until_the_huddle_changes(app, team):
    url = f"/teams/{team['id']}/huddle/live"
    first = team["coach"].get(url)
    tag = first.headers["ETag"]
    assert team["coach"].get(url, headers={"If-None-Match": tag}).status_code == 304
    answer(team["rita"], team["id"], "Focus: decision-makers only")
    changed = team["coach"].get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Focus: decision-makers only" in changed.get_data(as_text=True)


def test_the_card_lists_days_newest_first_with_their_prompts(app, team, monkeypatch):
    clock = {"now": datetime(2026, 3, 9, 14, 0, tzinfo=UTC)}
    monkeypatch.setattr(huddle_service, "utcnow", lambda: clock["now"])
    answer(team["rita"], team["id"], "Monday line")
    turn_on(team["coach"], team["id"], time="17:00")  # the prompt follows the time: one win, one lesson
    clock["now"] += timedelta(days=1)
    answer(team["rita"], team["id"], "Tuesday line")
    html = team["max"].get(f"/teams/{team['id']}/huddle").get_data(as_text=True)
    assert html.index("Tuesday line") < html.index("Monday line")
    assert html.index("One win, one lesson") < html.index("Today&#39;s focus")
    assert "Huddle time and prompt" not in html  # the coach's link only


def test_the_coach_sees_todays_objections_beside_the_answers(app, team):
    client_id = str(uuid.uuid4())
    team["rita"].tap("not_interested", client_id)
    team["rita"].post(f"/calls/{client_id}/review", htmx=True, data={"objection": "no_budget"})
    answer(team["rita"], team["id"], "Lesson: ask about budget early")
    coach_card = team["coach"].get(f"/teams/{team['id']}/huddle/live").get_data(as_text=True)
    assert "Objections met today:</strong> No budget ×1" in coach_card
    member_card = team["max"].get(f"/teams/{team['id']}/huddle/live").get_data(as_text=True)
    assert "Objections met today" not in member_card and "Lesson: ask about budget early" in member_card


def test_a_bad_plan_is_refused_field_by_field_and_changes_nothing(app, team):
    response = turn_on(team["coach"], team["id"], time="nine")
    assert response.status_code == 422 and "like 09:00" in response.get_data(as_text=True)
    assert team["rita"].post(f"/teams/{team['id']}/huddle/plan", data={"time": "10:00"}).status_code == 403
    with app.app_context():
        plan = huddle_service.plan_of(team["id"])
        assert (plan.enabled, plan.at.hour, plan.prompt) == (True, 9, "Today's focus")


def test_todays_fragments_need_a_login_and_show_nothing_of_a_team(app, team, visitor):
    for path in ("/today/huddle", "/today/buddy"):
        response = visitor.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert "Night Owls" not in response.get_data(as_text=True)
