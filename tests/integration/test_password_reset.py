"""Getting back into a forgotten account: a coach's reset link, the reset page, and links that stop working."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.extensions import db
from webapp.models import User
from webapp.services import recovery

NEW_PASSWORD = "a brand new phrase here"


def reset_link_for(coach: Visitor, team_id: int, user_id: int) -> str:
    """The path of the reset link a coach's page shows once."""
    response = coach.post(f"/teams/{team_id}/members/{user_id}/reset-link")
    assert response.status_code == 201, response.get_data(as_text=True)
    return re.search(r'value="http://localhost(/reset/[^"]+)"', response.get_data(as_text=True)).group(1)


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.query(User.id).filter_by(email=email).scalar()


def team_with_member(app):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    member = new_rep(app, "rep@example.com", "Rita Rep")
    assert join(member, invite_token(coach, team_id)).status_code == 303
    return coach, team_id, member


def logged_in(visitor: Visitor) -> bool:
    return visitor.get("/").status_code == 200


def test_login_page_offers_a_way_back_and_says_who_can_help_without_email(visitor):
    login = visitor.get("/login").get_data(as_text=True)
    assert 'href="/forgot"' in login and "Your coach or the admin can make you a reset link" in login
    forgot = visitor.get("/forgot").get_data(as_text=True)
    assert 'data-mail="off"' in forgot and "Ask your coach" in forgot


def test_a_coach_makes_a_link_and_the_member_sets_a_new_password_logging_out_everywhere(app, visitor):
    coach, team_id, member = team_with_member(app)
    link = reset_link_for(coach, team_id, user_id(app, "rep@example.com"))
    page = visitor.get(link)
    assert page.status_code == 200 and "rep@example.com" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"

    done = visitor.post(link, data={"password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert not logged_in(member)  # the session the old password opened is over
    assert visitor.login(password=PASSWORD).status_code == 422
    assert visitor.login(password=NEW_PASSWORD).status_code == 303


def test_a_link_works_once(app, visitor):
    coach, team_id, _ = team_with_member(app)
    link = reset_link_for(coach, team_id, user_id(app, "rep@example.com"))
    assert visitor.post(link, data={"password": NEW_PASSWORD}).status_code == 303
    again = visitor.post(link, data={"password": "yet another fine phrase"})
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert visitor.get(link).status_code == 410


def test_a_link_stops_working_once_the_password_changed_another_way(app, visitor):
    coach, team_id, member = team_with_member(app)
    link = reset_link_for(coach, team_id, user_id(app, "rep@example.com"))
    changed = member.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": "changed it myself today"}
    )
    assert changed.status_code in (200, 303)
    assert visitor.get(link).status_code == 410


def test_a_link_expires_after_an_hour(app):
    with app.test_request_context():
        user = User(email="x@example.com", display_name="X", password_hash="h", timezone="UTC")
        db.session.add(user)
        db.session.commit()
        token = recovery.reset_token(user)
        assert recovery.user_for_reset(token).id == user.id
        try:
            recovery.user_for_reset(token, max_age=-1)
        except recovery.ResetRefused as refused:
            assert "expired" in str(refused)
        else:
            raise AssertionError("an expired link was accepted")


def test_a_forged_or_cut_link_does_not_work(app, visitor):
    coach, team_id, _ = team_with_member(app)
    link = reset_link_for(coach, team_id, user_id(app, "rep@example.com"))
    assert visitor.get(link[:-3]).status_code == 410
    with app.test_request_context():
        app.config["SECRET_KEY"] = "another-secret"
        forged = recovery.reset_token(db.session.get(User, user_id(app, "rep@example.com")))
        app.config["SECRET_KEY"] = "test-secret"
    assert visitor.get(f"/reset/{forged}").status_code == 410


def test_a_weak_new_password_is_refused_and_the_link_still_works(app, visitor):
    coach, team_id, _ = team_with_member(app)
    link = reset_link_for(coach, team_id, user_id(app, "rep@example.com"))
    weak = visitor.post(link, data={"password": "short"})
    assert weak.status_code == 422 and 'aria-invalid="true"' in weak.get_data(as_text=True)
    assert visitor.login(password=PASSWORD).status_code == 303


def test_only_the_coach_makes_links_and_only_for_their_own_members(app):
    coach, team_id, member = team_with_member(app)
    coach_id = user_id(app, "coach@example.com")
    assert member.post(f"/teams/{team_id}/members/{coach_id}/reset-link").status_code == 403
    assert coach.post(f"/teams/{team_id}/members/{coach_id}/reset-link").status_code == 404  # not for themself
    outsider = new_rep(app, "out@example.com", "Otto Outside")
    outsider_id = user_id(app, "out@example.com")
    assert coach.post(f"/teams/{team_id}/members/{outsider_id}/reset-link").status_code == 404
    assert outsider.post(f"/teams/{team_id}/members/{user_id(app, 'rep@example.com')}/reset-link").status_code == 404


def test_the_members_page_offers_the_coach_a_reset_link(app):
    coach, team_id, _ = team_with_member(app)
    page = coach.get(f"/teams/{team_id}/members").get_data(as_text=True)
    assert f"/teams/{team_id}/members/{user_id(app, 'rep@example.com')}/reset-link" in page
