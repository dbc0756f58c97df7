"""Streaks that reward showing up, and forgive: the minimum, repairs and the switch that hides it, through the app."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.test_game import set_goals
from webapp.domain.days import day_bounds_utc
from webapp.extensions import db
from webapp.models import DailyTotal, EarnedBadge, PlayerTotals, User, Win
from webapp.services.calls import Tap, record_calls
from webapp.services.game.state import game_state
from webapp.services.game.streak_settings import set_minimum
from webapp.services.today import today_for

STREAK = re.compile(r'<strong data-streak="current">(\d+)</strong> day streak')


def shown_streak(rep) -> int | None:
    """The streak number on the main screen, or None when none is shown."""
    found = STREAK.search(rep.get("/").get_data(as_text=True))
    return int(found.group(1)) if found else None


def api_streak(rep) -> dict:
    return rep.get("/api/v1/me/summary").get_json()["streak"]


def tap_many(rep, count: int, outcome="no_answer") -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for client_id in ids:
        assert rep.tap(outcome, client_id).status_code == 200
    return ids


def the_rep() -> User:
    return db.session.query(User).one()


def dial_on(user: User, day: date, count: int, outcome="no_answer") -> None:
    """``count`` calls at noon of the rep's ``day``, logged as they happened."""
    noon = day_bounds_utc(day, user.timezone, user.day_start_hour)[0] + timedelta(hours=12)
    taps = [Tap(outcome, uuid.uuid4(), noon + timedelta(minutes=i)) for i in range(count)]
    record_calls(user, taps, now=noon + timedelta(minutes=count))


# ---- showing up: the daily minimum


def test_ten_dials_on_a_first_day_make_a_one_day_streak(rep):
    tap_many(rep, 9)
    assert shown_streak(rep) == 0
    assert "1 dial to start a streak today" in rep.get("/").get_data(as_text=True)
    html = rep.tap("voicemail").get_data(as_text=True)
    assert STREAK.search(html).group(1) == "1"  # the tap's own answer already says so
    assert shown_streak(rep) == 1
    streak = api_streak(rep)
    assert (streak["current"], streak["today_met"], streak["minimum"], streak["dials_to_keep"]) == (1, True, 10, 0)
    assert streak["repair"] is None and streak["hidden"] is False


def test_undoing_every_tap_of_the_day_takes_the_streak_day_back(rep):
    ids = tap_many(rep, 10)
    assert shown_streak(rep) == 1
    for client_id in ids:
        rep.post(f"/calls/{client_id}/undo", htmx=True)
    assert shown_streak(rep) == 0
    assert api_streak(rep)["current"] == 0


def test_the_minimum_changes_in_one_tap_and_counts_from_today(app, rep):
    tap_many(rep, 5)
    assert "5 dials to start a streak today" in rep.get("/").get_data(as_text=True)
    settings = rep.get("/settings").get_data(as_text=True)
    assert 'name="min_dials" value="5"' in settings and 'aria-pressed="true">10<' in settings
    response = rep.post("/settings/streak/minimum", data={"min_dials": "5"})
    assert response.status_code == 303
    assert shown_streak(rep) == 1  # today's five dials now reach today's minimum
    assert api_streak(rep)["minimum"] == 5
    with app.app_context():
        assert the_rep().min_dials == 5


@pytest.mark.parametrize("raw", ["0", "-3", "ten", "", "1001", "2.5"])
def test_a_bad_minimum_gets_a_clear_message_and_changes_nothing(app, rep, raw):
    response = rep.post("/settings/streak/minimum", data={"min_dials": raw})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a whole number of dials from 1 to 1000." in html
    assert 'value="Rita Rep"' in html  # the rest of the page keeps what it showed
    with app.app_context():
        assert the_rep().min_dials == 10


def test_a_minimum_above_the_goal_is_met_with_the_goal(rep):
    set_goals(rep, dials=6)
    tap_many(rep, 6)
    assert shown_streak(rep) == 1
    assert api_streak(rep)["minimum"] == 6


def test_changing_the_minimum_never_takes_back_a_day_already_earned(app, rep):
    set_goals(rep, dials=40, working_days=range(7))
    with app.test_request_context():
        user = the_rep()
        today = today_for(user)
        dial_on(user, today - timedelta(days=2), 12)
        dial_on(user, today - timedelta(days=1), 12)
        db.session.commit()
        assert game_state(user).streak.current == 2
        set_minimum(user, "20")
        assert game_state(user).streak.current == 2
        rows = db.session.query(DailyTotal).order_by(DailyTotal.local_date).all()
        assert [(r.min_dials, r.showed_up) for r in rows] == [(10, True), (10, True)]
    streak = api_streak(rep)
    assert (streak["current"], streak["minimum"], streak["dials_to_keep"]) == (2, 20, 20)


def test_the_whole_goal_still_earns_goal_days_freezes_and_its_badge(app, rep):
    set_goals(rep, dials=12, working_days=range(7))
    with app.test_request_context():
        user = the_rep()
        today = today_for(user)
        for back in range(7, 0, -1):
            # Five goal days and two days at the minimum only, all showing up.
            dial_on(user, today - timedelta(days=back), 12 if back in (7, 6, 4, 3, 1) else 10)
        db.session.commit()
        streak = game_state(user).streak
        assert (streak.current, streak.freezes) == (7, 1)
        assert db.session.get(PlayerTotals, user.id).goal_days == 5
        assert db.session.query(EarnedBadge).filter_by(user_id=user.id, code="goal_days_5").count() == 1


# ---- repair: the morning after


def test_the_morning_after_a_miss_offers_a_repair_and_twice_the_minimum_wins_the_streak_back(app, rep):
    set_goals(rep, dials=40, working_days=range(7))
    with app.test_request_context():
        user = the_rep()
        today = today_for(user)
        for back in (4, 3, 2):
            dial_on(user, today - timedelta(days=back), 10)
        db.session.commit()  # yesterday: nothing
    page = rep.get("/").get_data(as_text=True)
    assert "Yesterday slipped by. Reach 20 dials today to win your 3-day streak back." in page
    assert STREAK.search(page).group(1) == "0"
    assert api_streak(rep)["repair"] == {
        "missed_on": (today - timedelta(days=1)).isoformat(),
        "streak": 3,
        "dials": 20,
        "dials_needed": 20,
        "repaired_today": False,
    }
    tap_many(rep, 10)
    page = rep.get("/").get_data(as_text=True)
    assert STREAK.search(page).group(1) == "1"  # today counts on its own...
    assert "win your 3-day streak back (10 to go)." in page  # ...and the offer stays open
    tap_many(rep, 10)
    page = rep.get("/").get_data(as_text=True)
    assert STREAK.search(page).group(1) == "4"
    assert "Streak won back: 4 days and counting." in page and "slipped by" not in page
    repair = api_streak(rep)["repair"]
    assert (repair["repaired_today"], repair["dials_needed"]) == (True, 0)


def test_a_streak_is_won_back_once_a_calendar_month(app, rep):
    set_goals(rep, dials=40, working_days=range(7))
    days = [date(2026, 3, 2) + timedelta(days=i) for i in range(6)]  # Mon 2 to Sat 7 March
    with app.test_request_context():
        user = the_rep()
        user.timezone = "UTC"
        db.session.commit()
        evening = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)
        for day, dials in zip(days, (10, 0, 20, 10, 0, 0), strict=True):
            if dials:
                dial_on(user, day, dials)
        assert game_state(user, datetime(2026, 3, 4, 20, 0, tzinfo=UTC)).streak.current == 2  # won back on the 4th
        morning = game_state(user, datetime(2026, 3, 7, 8, 0, tzinfo=UTC)).streak
        assert (morning.current, morning.missed_on, morning.repair_offered) == (0, None, False)
        dial_on(user, days[-1], 20)
        assert game_state(user, evening).streak.current == 1  # twice the minimum, but not twice a month
        db.session.commit()


# ---- hiding the streak


def test_a_hidden_streak_shows_no_streak_number_on_today_or_the_badges_page(app, rep):
    assert rep.post("/settings/streak/hidden", data={"hide_streak": "1"}).status_code == 303
    tap_many(rep, 10)
    page = rep.get("/").get_data(as_text=True)
    assert 'data-streak="current"' not in page and "day streak" not in page
    assert "Level <strong>" in page and "Dials: 10 of 40" in page  # the rest of the game stays
    badges = rep.get("/badges").get_data(as_text=True)
    card = badges[badges.index('data-badge="streak_5"') :]
    card = card[: card.index("</li>")]
    assert "1/5" not in card and "Your streak is hidden" in card
    assert "10/25" in badges  # other progress still shows
    assert api_streak(rep)["hidden"] is True
    settings = rep.get("/settings").get_data(as_text=True)
    assert 'role="switch" aria-checked="true"' in settings
    rep.post("/settings/streak/hidden", data={"hide_streak": "0"})
    assert shown_streak(rep) == 1


@pytest.mark.parametrize("hidden", [False, True])
def test_a_streak_milestone_goes_to_the_wins_log_unless_the_streak_is_hidden(app, rep, hidden):
    set_goals(rep, dials=40, working_days=range(7))
    rep.post("/settings/streak/hidden", data={"hide_streak": "1" if hidden else "0"})
    with app.test_request_context():
        user = the_rep()
        today = today_for(user)
        for back in (3, 2, 1):
            dial_on(user, today - timedelta(days=back), 10)
        titles = [win.title for win in db.session.query(Win).filter_by(kind="streak")]
    assert titles == ([] if hidden else ["3-day streak"])


def test_the_coach_sees_a_streak_made_by_showing_up(app, rep):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    team_id = make_team(rep)
    mate = new_rep(app, "mo@example.com", "Mo Mate")
    join(mate, invite_token(rep, team_id))
    tap_many(mate, 10)
    with app.app_context():
        mo = db.session.query(User.id).filter_by(email="mo@example.com").scalar()
    html = rep.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    card = html[html.index(f'data-user="{mo}"') :]
    assert re.search(r'data-stat="streak">1<', card)


# ---- the streak-at-risk reminder reads the same streak


def test_the_streak_warning_counts_to_the_reps_own_minimum(app, rep):
    from tests.integration.test_reminder_worker import at, every_day_is_working, minute, reminders

    every_day_is_working(app, current=5, goal=40)
    rep.post("/settings/streak/minimum", data={"min_dials": "15"})
    tap_many(rep, 2)
    minute(app, at("20:00"))
    ((kind, _, title, body),) = reminders(app)
    assert kind == "streak_risk" and "13 dials" in title + body


@pytest.mark.parametrize("why", ["time off", "hidden"])
def test_no_streak_warning_on_time_off_or_to_a_rep_who_hides_the_streak(app, rep, why):
    from tests.integration.test_reminder_worker import at, every_day_is_working, minute, reminders, today_in_london

    every_day_is_working(app, current=5, goal=40)
    if why == "time off":
        rep.post("/settings/time-off", data={"first": today_in_london().isoformat(), "kind": "sick"})
    else:
        rep.post("/settings/streak/hidden", data={"hide_streak": "1"})
    minute(app, at("20:00"))
    assert [kind for kind, *_ in reminders(app)] == []
