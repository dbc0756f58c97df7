"""Moments worth celebrating: small wins as toasts, big moments full screen, high-fives received on Today."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from tests.integration.test_game import set_goals
from webapp.extensions import db
from webapp.models import HighFive, User, Win
from webapp.services.calls import record_call


def moment_of(html: str) -> str:
    """The full-screen moment's markup in a tap's answer, or "" when there is none."""
    found = re.search(r'<div class="moment [^"]*"[^>]*data-moment>.*?Back to calling</button>', html, re.S)
    return found.group(0) if found else ""


def test_a_first_dial_badge_is_a_small_toast_not_a_full_screen_moment(rep):
    html = rep.tap("no_answer").get_data(as_text=True)
    assert 'data-celebrate="small"' in html and "Badge: First dial" in html
    assert 'class="toast toast--badge" data-toast>' in html
    assert moment_of(html) == ""


def test_a_first_meeting_is_a_full_screen_moment_with_its_badge_art_and_one_way_back(rep):
    html = rep.tap("meeting").get_data(as_text=True)
    moment = moment_of(html)
    assert 'data-celebrate="big"' in html
    assert 'role="dialog" aria-modal="true"' in moment and "Badge: First meeting" in moment
    assert 'data-badge="first_meeting"' in moment  # the badge art
    assert moment.count("<button") == 1 and 'class="moment__confetti"' in moment
    # The other wins of that tap wait as toasts, one shown at a time.
    assert "Badge: First dial" in html and "data-toast hidden" in html
    assert moment_of(rep.tap("meeting").get_data(as_text=True)) == ""  # a second meeting is no first


def test_a_first_sale_is_a_full_screen_moment(rep):
    assert 'data-badge="first_sale"' in moment_of(rep.tap("sale").get_data(as_text=True))


def test_the_tap_that_reaches_the_team_challenge_is_a_full_screen_moment(app, rep):
    team_id = make_team(rep)
    response = rep.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "2", "period": "week"})
    assert response.status_code == 303
    rep.tap("no_answer")
    moment = moment_of(rep.tap("no_answer").get_data(as_text=True))
    assert "Team challenge reached" in moment and "Night Owls did it together" in moment


@pytest.fixture
def mate(app, rep):
    """Mo Mate and Rita Rep in one team."""
    team_id = make_team(rep)
    mo = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(mo, invite_token(rep, team_id)).status_code == 303
    mo.team_id = team_id
    return mo


def high_five_the_meeting(app, giver, team_id: int) -> None:
    with app.app_context():
        win = db.session.scalar(select(Win.id).where(Win.kind == "meeting"))
    assert giver.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).status_code == 200


def test_a_high_five_received_shows_on_today_until_the_page_says_it_was_seen(app, rep, mate):
    mate.tap("meeting")
    assert "high-fived" not in mate.get("/").get_data(as_text=True)
    high_five_the_meeting(app, rep, mate.team_id)
    today = mate.get("/").get_data(as_text=True)
    assert "Rita Rep high-fived your meeting" in today and 'class="toast toast--high-five"' in today
    assert "high-fived" not in rep.get("/").get_data(as_text=True)  # the giver is told nothing
    with app.app_context():
        five = db.session.scalar(select(HighFive.id))
    assert mate.post("/high-fives/seen", data={"up_to": str(five)}).status_code == 204
    assert "high-fived your meeting" not in mate.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.high_fives_seen_id).where(User.email == "mo@example.com")) == five


def test_the_wins_page_keeps_who_high_fived_each_win(app, rep, mate):
    mate.tap("meeting")
    high_five_the_meeting(app, rep, mate.team_id)
    mate.post("/high-fives/seen", data={"up_to": "999999"})  # seen on Today: the wins page still keeps it
    wins = mate.get("/wins").get_data(as_text=True)
    assert "High-fived by Rita Rep" in wins and "Rita Rep high-fived your meeting" in wins


@pytest.mark.parametrize("up_to", ["", "soon", "-1"])
def test_a_bad_seen_mark_changes_nothing(app, rep, up_to):
    assert rep.post("/high-fives/seen", data={"up_to": up_to}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User.high_fives_seen_id)) == 0


def test_marking_seen_never_goes_back(app, rep, mate):
    mate.tap("meeting")
    high_five_the_meeting(app, rep, mate.team_id)
    with app.app_context():
        five = db.session.scalar(select(HighFive.id))
    mate.post("/high-fives/seen", data={"up_to": str(five)})
    mate.post("/high-fives/seen", data={"up_to": "0"})
    with app.app_context():
        assert db.session.scalar(select(User.high_fives_seen_id).where(User.email == "mo@example.com")) == five


def test_the_tap_that_makes_a_third_day_count_is_a_streak_moment_and_only_that_tap(app, rep):
    set_goals(rep, dials=2, working_days=range(7))
    first = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with app.test_request_context():
        user = db.session.scalar(select(User))
        for day in (first, first + timedelta(days=1)):
            for minute in (0, 5):
                record_call(user, "no_answer", uuid.uuid4(), day + timedelta(minutes=minute), now=day)
        third = first + timedelta(days=2)
        kinds = []
        for minute in (0, 5, 10):
            when = third + timedelta(minutes=minute)
            tap = record_call(user, "no_answer", uuid.uuid4(), when, now=when)
            kinds.append([(c.kind.value, c.big, c.art) for c in tap.celebrations if c.kind.value == "streak"])
        db.session.commit()
    assert kinds == [[], [("streak", True, "streak:3")], []]
