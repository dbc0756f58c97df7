"""The game through the app: celebrations on the tap that earns them, rings, badges, streaks, wins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from webapp.domain.outcomes import points_for
from webapp.domain.resilience import BOUNCE_BACK_POINTS
from webapp.extensions import db
from webapp.models import DailyTotal, EarnedBadge, User, Win
from webapp.services.calls import record_call
from webapp.services.game.progress import award_activity
from webapp.services.game.settings import update_game_settings
from webapp.services.game.state import game_state


def set_goals(rep, dials=3, conversations=1, follow_ups=1, working_days=range(7), day_start=0):
    response = rep.post(
        "/settings/game",
        data={
            "working_days": [str(d) for d in working_days],
            "day_start_hour": str(day_start),
            "goal_dials": str(dials),
            "goal_conversations": str(conversations),
            "goal_follow_ups": str(follow_ups),
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def test_the_first_tap_celebrates_the_first_dial_badge(rep):
    html = rep.tap("no_answer").get_data(as_text=True)
    assert 'id="celebration"' in html and 'data-celebrate="small"' in html
    assert "Badge: First dial" in html
    second = rep.tap("no_answer").get_data(as_text=True)
    assert "Badge: First dial" not in second


def test_an_undone_sale_takes_its_badge_back_and_the_real_first_sale_is_celebrated(app, rep):
    client_id = str(uuid.uuid4())
    assert "First sale" in rep.tap("sale", client_id).get_data(as_text=True)
    rep.post(f"/calls/{client_id}/undo", htmx=True)
    with app.app_context():
        assert [b.code for b in db.session.query(EarnedBadge)] == []
        assert db.session.query(Win).count() == 0
    assert "First sale" not in rep.get("/wins").get_data(as_text=True)
    again = rep.tap("sale").get_data(as_text=True)
    assert "First sale" in again
    with app.app_context():
        codes = sorted(b.code for b in db.session.query(EarnedBadge))
        assert codes.count("first_sale") == 1 and codes.count("first_dial") == 1


def test_meeting_the_dial_goal_fills_the_ring_and_is_celebrated(rep):
    set_goals(rep, dials=3)
    rep.tap("voicemail")
    rep.tap("voicemail")
    html = rep.tap("voicemail").get_data(as_text=True)
    assert "Dial goal met" in html
    assert 'data-goal="dials">Dials: 3 of 3 (met)' in html
    page = rep.get("/").get_data(as_text=True)
    assert "Dials: 3 of 3 (met)" in page and "Conversations: 0 of 1" in page
    assert "Streak safe today." in page


def test_the_streak_card_says_how_many_dials_keep_the_streak(rep):
    set_goals(rep, dials=5)
    rep.tap("gatekeeper")
    page = rep.get("/").get_data(as_text=True)
    assert "4 dials to start a streak today" in page  # the minimum is never more than the goal (5)


def test_a_personal_reward_is_celebrated_when_reached(rep):
    rep.post("/rewards", data={"label": "Coffee", "metric": "dials", "threshold": "2"})
    assert "Coffee" not in rep.tap("no_answer").get_data(as_text=True)
    assert "Reward unlocked: Coffee" in rep.tap("no_answer").get_data(as_text=True)
    assert "Reward unlocked" not in rep.tap("no_answer").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"label": "", "metric": "dials", "threshold": "3"}, "Name the reward"),
        ({"label": "Tea", "metric": "hugs", "threshold": "3"}, "Choose dials"),
        ({"label": "Tea", "metric": "dials", "threshold": "-1"}, "whole number"),
    ],
)
def test_a_bad_reward_gets_a_clear_message(rep, data, message):
    response = rep.post("/rewards", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{data["label"]}"' in html  # what the rep typed is still there


def test_the_badges_page_shows_earned_dates_and_progress(rep):
    for _ in range(3):
        rep.tap("not_interested")
    html = rep.get("/badges").get_data(as_text=True)
    assert "First dial" in html and "Earned " in html
    assert "3/10" in html  # thick skin: 10 no's
    assert "3/25" in html  # 25 dials in a day
    assert html.count('role="img"') >= 24
    assert "style=" not in html


def test_bad_game_settings_change_nothing(app, rep):
    response = rep.post(
        "/settings/game",
        data={
            "working_days": [],
            "day_start_hour": "30",
            "goal_dials": "zero",
            "goal_conversations": "1",
            "goal_follow_ups": "1",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose at least one working day" in html and "from 0 to 12" in html and "1 to 1000" in html
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.working_days, user.goal_dials) == ("0,1,2,3,4", None)


def test_summary_json_has_level_streak_goals_and_badges(rep):
    rep.tap("meeting")
    body = rep.get("/api/v1/me/summary").get_json()
    assert body["xp"] == points_for("meeting") and body["level"] >= 1
    assert body["xp_to_next_level"] > 0
    assert set(body["streak"]) >= {"current", "longest", "freezes_banked"}
    assert body["goals"]["dials"]["done"] == 1
    codes = {b["code"] for b in body["badges"]}
    assert {"first_dial", "first_meeting", "first_conversation", "first_follow_up"} <= codes
    assert all(b["earned_on"] for b in body["badges"])


def test_summary_without_a_session_is_401(visitor):
    assert visitor.get("/api/v1/me/summary").status_code == 401


def test_wins_log_lists_meetings_and_badges_and_undo_takes_the_meeting_and_its_badge_out(rep):
    client_id = str(uuid.uuid4())
    rep.tap("meeting", client_id)
    html = rep.get("/wins").get_data(as_text=True)
    assert "Meeting booked" in html and "Badge: First meeting" in html
    rep.post(f"/calls/{client_id}/undo", htmx=True)
    html = rep.get("/wins").get_data(as_text=True)
    assert "<strong>Meeting booked</strong>" not in html
    assert "Badge: First meeting" not in html  # no longer true: withdrawn, to be earned again


def test_dialling_again_soon_after_a_no_is_a_bounce_back(app, rep):
    rep.tap("not_interested")
    html = rep.tap("voicemail").get_data(as_text=True)
    assert "bounce back!" in html
    body = rep.get("/api/v1/me/today").get_json()
    assert body["points"] == points_for("not_interested") + points_for("voicemail") + BOUNCE_BACK_POINTS


def _user(app):
    return db.session.query(User).one()


WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _tap_on(user, when, outcome="no_answer"):
    return record_call(user, outcome, uuid.uuid4(), when, now=when)


def test_a_streak_counts_working_days_and_a_weekend_never_breaks_it(app, rep):
    set_goals(rep, dials=2, working_days=range(5))
    friday = WEDNESDAY - timedelta(days=5)
    with app.test_request_context():
        user = _user(app)
        for day in (friday - timedelta(days=1), friday, friday + timedelta(days=3), friday + timedelta(days=4)):
            _tap_on(user, day)
            _tap_on(user, day + timedelta(minutes=5))
        view = game_state(user, now=friday + timedelta(days=4, hours=1)).streak
        assert (view.current, view.today_met) == (4, True)  # Thu, Fri, Mon, Tue
        view = game_state(user, now=WEDNESDAY).streak
        assert (view.current, view.at_risk, view.dials_to_keep) == (4, True, 2)


def test_a_call_synced_late_counts_on_the_day_it_happened(app, rep):
    set_goals(rep, dials=1, working_days=range(7))
    yesterday = WEDNESDAY - timedelta(days=1)
    with app.test_request_context():
        user = _user(app)
        _tap_on(user, WEDNESDAY - timedelta(days=2))
        record_call(user, "voicemail", uuid.uuid4(), yesterday, now=WEDNESDAY)  # synced a day late
        _tap_on(user, WEDNESDAY)
        assert game_state(user, now=WEDNESDAY).streak.current == 3
        days = {row.local_date for row in db.session.query(DailyTotal)}
        assert yesterday.date() in days


def test_changing_working_days_never_loses_a_streak_day_already_earned(app, rep):
    set_goals(rep, dials=1, working_days=range(7))
    saturday = WEDNESDAY - timedelta(days=4)
    with app.test_request_context():
        user = _user(app)
        for back in (0, 1, 2):  # Sat, Sun, Mon
            _tap_on(user, saturday + timedelta(days=back))
        monday = saturday + timedelta(days=2)
        assert game_state(user, now=monday).streak.current == 3
        update_game_settings(
            user, ["0", "1", "2", "3", "4"], "0", {"dials": "1", "conversations": "1", "follow_ups": "1"}, now=monday
        )
        assert game_state(user, now=monday).streak.current == 3


def test_undoing_every_tap_returns_points_counts_and_goals_to_zero(app, rep):
    ids = [str(uuid.uuid4()) for _ in range(6)]
    for client_id, outcome in zip(
        ids, ["sale", "meeting", "no_answer", "not_interested", "conversation", "follow_up"], strict=True
    ):
        rep.tap(outcome, client_id)
    for client_id in ids:
        rep.post(f"/calls/{client_id}/undo", htmx=True)
    body = rep.get("/api/v1/me/summary").get_json()
    assert body["xp"] == 0 and all(goal["done"] == 0 for goal in body["goals"].values())
    today = rep.get("/api/v1/me/today").get_json()
    assert today["dials"] == today["points"] == 0
    with app.app_context():
        assert db.session.query(Win).filter(Win.kind.in_(["meeting", "sale"])).count() == 0


def test_activity_outside_calls_earns_points_and_badges(app, rep):
    with app.test_request_context():
        user = _user(app)
        now = datetime.now(UTC)
        titles = []
        for _ in range(10):
            change = award_activity(user, now, points=3, counters={"reviews": 1})
            state, cheers = change.state, change.celebrations
            titles.append([c.title for c in cheers])
        db.session.commit()
        assert state.level.xp == 30
        assert "Badge: Learner" in titles[-1] and not any("Learner" in t for ts in titles[:-1] for t in ts)
        assert db.session.query(EarnedBadge).filter_by(code="reviews_10").count() == 1
    assert rep.get("/api/v1/me/today").get_json()["points"] == 30
