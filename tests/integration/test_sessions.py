"""Sessions that end: Log out, a password change and "Log out everywhere else" revoke cookies for good."""

from __future__ import annotations

from sqlalchemy import event, select

from tests.conftest import PASSWORD, Visitor
from webapp.extensions import db
from webapp.models import User

NEW_PASSWORD = "another fine phrase"


def device(app, email="rep@example.com", remember=True) -> Visitor:
    """The same rep logged in on one more device (its own cookie jar)."""
    visitor = Visitor(app.test_client())
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "1"
    assert visitor.post("/login", data=data).status_code == 303
    return visitor


def copy_of(app, visitor: Visitor, *names: str) -> Visitor:
    """A second browser holding copies of ``visitor``'s cookies (what a thief would carry away)."""
    thief = Visitor(app.test_client())
    for name in names:
        cookie = visitor.client.get_cookie(name)
        assert cookie is not None, f"{name} was never set"
        thief.client.set_cookie(name, cookie.value)
    return thief


def logged_in(visitor: Visitor) -> bool:
    """Whether the main screen opens (a logged-out visitor is sent to the login page)."""
    return visitor.get("/").status_code == 200


def test_a_copied_session_cookie_stops_working_after_log_out(app, rep):
    thief = copy_of(app, rep, "session")
    assert logged_in(thief)
    assert rep.post("/logout").status_code == 303
    assert not logged_in(rep)
    assert not logged_in(thief)


def test_a_copied_remember_cookie_stops_working_after_log_out(app, rep):
    phone = device(app, remember=True)
    thief = copy_of(app, phone, "remember_token")
    assert logged_in(thief)  # the remember cookie alone logs in, as it should while the session lasts
    phone.post("/logout")
    assert not logged_in(thief)


def test_logging_out_on_one_device_leaves_the_others_logged_in(app, rep):
    laptop = device(app)
    rep.post("/logout")
    assert logged_in(laptop)


def test_each_login_gets_its_own_remember_token(app, rep):
    first, second = device(app), device(app)
    assert first.client.get_cookie("remember_token").value != second.client.get_cookie("remember_token").value


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, rep):
    phone = device(app)
    stolen = copy_of(app, phone, "remember_token")
    laptop = device(app)
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    response = laptop.post("/settings/password", data=data, follow_redirects=True)
    assert "Password changed. Logged out 2 other sessions." in response.get_data(as_text=True)
    assert logged_in(laptop)
    assert not logged_in(phone) and not logged_in(rep) and not logged_in(stolen)


def test_log_out_everywhere_else_ends_the_others_and_says_how_many(app, rep):
    phone, tablet = device(app), device(app, remember=False)
    page = rep.get("/settings").get_data(as_text=True)
    assert "Log out everywhere else" in page and "2 other sessions" in page
    response = rep.post("/settings/sessions/others/end", follow_redirects=True)
    assert "Logged out 2 other sessions." in response.get_data(as_text=True)
    assert logged_in(rep)
    assert not logged_in(phone) and not logged_in(tablet)
    again = rep.post("/settings/sessions/others/end", follow_redirects=True)
    assert "No other sessions were open." in again.get_data(as_text=True)


def test_a_device_logged_out_from_elsewhere_is_told_to_drop_its_cookies(app, rep):
    phone = device(app, remember=True)
    rep.post("/settings/sessions/others/end")
    response = phone.get("/")
    assert response.status_code == 302
    dropped = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert dropped and "Expires=Thu, 01 Jan 1970" in dropped[0]
    assert phone.client.get_cookie("remember_token") is None


def test_settings_list_the_other_devices_by_browser(app, rep):
    android = Visitor(app.test_client())
    android.post(
        "/login",
        data={"email": "rep@example.com", "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile"},
    )
    assert "Chrome on Android" in rep.get("/settings").get_data(as_text=True)


def test_ending_every_session_of_a_rep_logs_them_out_everywhere(app, rep):
    from webapp.services import device_sessions

    phone = device(app)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert device_sessions.end_all(user) == 2
    assert not logged_in(rep) and not logged_in(phone)


def test_a_session_is_stored_only_as_a_digest(app, rep):
    from webapp.models import DeviceSession
    from webapp.services.device_sessions import token_digest

    token = device(app).client.get_cookie("remember_token").value.split("|")[0]
    with app.app_context():
        stored = db.session.scalars(select(DeviceSession.token_hash)).all()
    assert len(stored) == 2 and token_digest(token) in stored
    assert not any(token in digest for digest in stored)


def test_a_remember_cookie_made_from_the_user_id_alone_is_refused(app, rep):
    """The old cookie, ``<user id>|HMAC(id)``, could be minted forever by anyone holding the key."""
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        forged = encode_cookie("1")
    thief = Visitor(app.test_client())
    thief.client.set_cookie("remember_token", forged)
    assert not logged_in(thief)


def test_a_request_loads_its_rep_with_one_query(app, rep):
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    rep.get("/api/v1/csrf")  # warm up: the first request of a client may touch more (the session's last-seen time)
    event.listen(engine, "before_cursor_execute", count)
    try:
        rep.get("/api/v1/csrf")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    user_reads = [s for s in seen if "FROM users" in s]
    assert len(user_reads) == 1 and len(seen) == 1, seen
