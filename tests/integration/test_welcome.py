"""The first-run welcome on Today: shown to a new rep until they answer or skip it, then never again, after
logging in again or on another device, because the rep's row remembers it."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import Visitor
from webapp.extensions import db
from webapp.models import User

WELCOME = 'id="welcome"'


def the_rep(app) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rep@example.com"))
        db.session.expunge(user)
        return user


def another_device(app) -> Visitor:
    device = Visitor(app.test_client())
    device.login()
    return device


def test_a_welcome_skipped_on_one_login_never_shows_after_logging_in_again_or_on_another_device(app, rep):
    assert WELCOME in rep.get("/").get_data(as_text=True)
    assert rep.post("/welcome/skip", htmx=True).status_code == 200
    assert WELCOME not in rep.get("/").get_data(as_text=True)
    assert the_rep(app).welcomed_at is not None

    rep.post("/logout")
    rep.login()
    assert WELCOME not in rep.get("/").get_data(as_text=True)
    assert WELCOME not in another_device(app).get("/").get_data(as_text=True)


def test_an_answered_welcome_keeps_its_goal_and_is_not_asked_again_on_another_device(app, rep):
    answer = {"working_days": ["0", "1", "2", "3"], "goal_dials": "25"}
    assert rep.post("/welcome", htmx=True, data=answer).status_code == 200
    user = the_rep(app)
    assert (user.goal_dials, user.working_days, user.welcomed_at is not None) == (25, "0,1,2,3", True)
    assert WELCOME not in another_device(app).get("/").get_data(as_text=True)


def test_a_refused_answer_changes_nothing_and_the_welcome_stays(app, rep):
    response = rep.post("/welcome", htmx=True, data={"goal_dials": "25"})  # no working day chosen
    assert response.status_code == 422 and "Choose at least one working day." in response.get_data(as_text=True)
    user = the_rep(app)
    assert (user.goal_dials, user.welcomed_at) == (None, None)
    assert WELCOME in another_device(app).get("/").get_data(as_text=True)


def test_the_welcome_is_never_shown_to_someone_else_by_one_reps_skip(app, rep):
    rep.post("/welcome/skip", htmx=True)
    newcomer = Visitor(app.test_client())
    newcomer.register(email="new@example.com")
    assert WELCOME in newcomer.get("/").get_data(as_text=True)
