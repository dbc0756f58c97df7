"""Registration, login, logout, settings and who may see what."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, Visitor
from webapp.extensions import db
from webapp.models import User


def test_register_form_has_the_labelled_fields(visitor):
    html = visitor.get("/register").get_data(as_text=True)
    for label in ('for="email">Email<', 'for="display_name">Display name<', 'for="password">Password<'):
        assert label in html
    assert ">Create account</button>" in html
    assert "data-detect-timezone" in html


def test_registering_stores_the_browser_timezone(app, visitor):
    response = visitor.register(email="Ana@Example.com ", name="Ana", tz="America/Chicago")
    assert response.status_code == 303
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.email, user.timezone) == ("ana@example.com", "America/Chicago")
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert "Dials today" in visitor.get("/").get_data(as_text=True)


def test_an_unknown_timezone_falls_back_to_utc(app, visitor):
    visitor.register(tz="Mars/Olympus_Mons")
    with app.app_context():
        assert db.session.query(User).one().timezone == "UTC"


def cookies_set(response) -> list[str]:
    """The names of the cookies a response sets (their values differ by signature and time)."""
    return sorted(header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie"))


def as_seen(html: str, email: str) -> str:
    """A page with what legitimately differs between two visitors (the CSRF token, the email typed) blanked."""
    html = re.sub(r'(name="csrf_token" value=")[^"]+', r"\1TOKEN", html)
    html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1TOKEN", html)
    return html.replace(email, "EMAIL")


def test_registering_an_existing_email_looks_exactly_like_registering_a_new_one(app, visitor):
    visitor.register(email="taken@example.com", name="Tara Taken")
    new_visitor, same_visitor = Visitor(app.test_client()), Visitor(app.test_client())
    new = new_visitor.register(email="Fresh@Example.com ", name="Fay Fresh", log_in=False)
    taken = same_visitor.register(email="TAKEN@example.com", name="Someone Else", log_in=False)
    assert new.status_code == taken.status_code == 303
    assert new.headers["Location"] == taken.headers["Location"]
    assert new.headers["Location"].startswith("/login")
    assert new.get_data() == taken.get_data()
    assert cookies_set(new) == cookies_set(taken)
    new_page = new_visitor.get(new.headers["Location"]).get_data(as_text=True)
    taken_page = same_visitor.get(taken.headers["Location"]).get_data(as_text=True)
    assert "Your account is ready" in new_page
    assert as_seen(new_page, "fresh@example.com") == as_seen(taken_page, "taken@example.com")
    assert new_visitor.get("/").status_code == 302 and same_visitor.get("/").status_code == 302
    with app.app_context():
        users = {u.email: u.display_name for u in db.session.query(User)}
    assert users == {"taken@example.com": "Tara Taken", "fresh@example.com": "Fay Fresh"}


def test_both_kinds_of_registration_hash_a_password_once_so_they_take_as_long(app, visitor, monkeypatch):
    from webapp.services import accounts

    hashed = []
    real = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda password: hashed.append(password) or real(password))
    visitor.register(email="one@example.com", log_in=False)
    Visitor(app.test_client()).register(email="one@example.com", log_in=False)
    assert len(hashed) == 2


def test_a_new_account_is_not_logged_in_and_its_email_waits_on_the_login_page(app, visitor):
    response = visitor.register(email="Nia@Example.com", name="Nia New", log_in=False)
    assert visitor.get("/").status_code == 302
    page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="nia@example.com"' in page
    assert "Already had one? Log in, or ask your coach for help." in page
    first = visitor.login(email="nia@example.com")
    assert first.status_code == 303 and first.headers["Location"] == "/"


def test_the_same_email_registered_twice_at_once_makes_one_account(app, monkeypatch):
    """The second INSERT loses the race on the unique email and ends like any taken email."""
    from webapp.services import accounts

    with app.app_context():
        assert accounts.register("race@example.com", "First", PASSWORD, "UTC") is not None
        monkeypatch.setattr(accounts, "find_by_email", lambda email: None)  # both looked before either wrote
        assert accounts.register("race@example.com", "Second", PASSWORD, "UTC") is None
        assert db.session.query(User).count() == 1


@pytest.mark.parametrize("password", ["short", "password123", "aaaaaaaaaaaa", "ritarep-is-great"])
def test_a_weak_password_gets_a_clear_form_error(app, visitor, password):
    response = visitor.register(email="rita@example.com", name="ritarep", password=password)
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_login_with_remember_me_and_logout(app, visitor):
    visitor.register()
    visitor.post("/logout")
    assert visitor.get("/").status_code == 302
    page = visitor.get("/login").get_data(as_text=True)
    assert 'name="remember"' in page and ">Log in</button>" in page
    response = visitor.post("/login", data={"email": "rep@example.com", "password": PASSWORD, "remember": "1"})
    assert response.status_code == 303
    assert any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
    assert visitor.get("/").status_code == 200


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(visitor):
    visitor.register()
    visitor.post("/logout")
    response = visitor.login(password="not the password at all")
    assert response.status_code == 422
    assert "do not match an account" in response.get_data(as_text=True)
    assert visitor.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/settings", "/calls/add"])
def test_pages_without_a_session_redirect_to_login(visitor, path):
    response = visitor.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_json_without_a_session_answers_401_in_json(visitor):
    response = visitor.get("/api/v1/me/today")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_settings_change_name_and_timezone(app, rep):
    page = rep.get("/settings").get_data(as_text=True)
    assert "Display name" in page and "Timezone" in page and "Change password" in page
    response = rep.post("/settings/profile", data={"display_name": "Rita R.", "timezone": "Asia/Tokyo"})
    assert response.status_code == 303
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.display_name, user.timezone) == ("Rita R.", "Asia/Tokyo")


def test_settings_refuse_an_unknown_timezone_and_change_nothing(app, rep):
    response = rep.post("/settings/profile", data={"display_name": "New", "timezone": "Nowhere/Land"})
    assert response.status_code == 422
    assert "Choose a timezone" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).one().display_name == "Rita Rep"


def test_password_change_needs_the_current_password(app, rep):
    wrong = rep.post("/settings/password", data={"current_password": "nope", "new_password": "another fine phrase"})
    assert wrong.status_code == 422
    right = rep.post("/settings/password", data={"current_password": PASSWORD, "new_password": "another fine phrase"})
    assert right.status_code == 303
    rep.post("/logout")
    assert rep.login(password="another fine phrase").status_code == 303


def test_login_is_rate_limited(backend, tmp_path, app):
    from tests.conftest import _test_config
    from webapp import create_app

    limited = create_app({**_test_config(backend, tmp_path), "RATELIMIT_ENABLED": True})
    visitor = Visitor(limited.test_client())
    codes = [visitor.login(password="wrong password here").status_code for _ in range(12)]
    assert codes[:10] == [422] * 10
    assert codes[-1] == 429
    assert "Too many attempts" in visitor.login().get_data(as_text=True)
    with limited.app_context():
        db.engine.dispose()


def test_two_app_servers_share_login_limits_through_redis(backend, tmp_path, app):
    """With Redis as the limiter's storage, a limit holds across processes, not per process."""
    import os

    from tests.conftest import _test_config
    from webapp import create_app

    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("set TEST_REDIS_URL=redis://127.0.0.1:6379/0 to check shared rate limits")
    import redis

    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    config = {**_test_config(backend, tmp_path), "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url}
    servers = [create_app(config), create_app(config)]
    visitors = [Visitor(server.test_client()) for server in servers]
    codes = [visitors[i % 2].login(password="wrong password here").status_code for i in range(12)]
    assert codes[:10] == [422] * 10 and codes[-1] == 429
    # The counts live in Redis, where every app server (process or host) reads them.
    assert any(b"LIMITER" in key for key in store.keys("*"))
    for server in servers:
        with server.app_context():
            db.engine.dispose()
