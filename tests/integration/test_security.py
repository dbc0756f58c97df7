"""CSRF on every state change, security headers, production refuses to start without a key."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, Visitor
from webapp import create_app
from webapp.extensions import db
from webapp.models import Call, Team, User


def test_a_tap_without_a_csrf_token_is_refused_and_writes_nothing(app, rep):
    response = rep.post("/calls", csrf=False, htmx=True, data={"outcome": "sale"})
    assert response.status_code == 400
    assert "token" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Call).count() == 0


def test_an_htmx_tap_with_the_header_token_is_accepted(app, rep):
    assert rep.tap("sale").status_code == 200
    with app.app_context():
        assert db.session.query(Call).count() == 1


def test_login_without_csrf_is_refused(visitor):
    response = visitor.post("/login", csrf=False, data={"email": "a@b.co", "password": "x"})
    assert response.status_code == 400


def test_pages_carry_a_strict_content_security_policy(rep):
    response = rep.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("CLOSER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOSER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.db"))
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    with app.app_context():
        db.engine.dispose()


def test_htmx_fragments_say_they_vary_on_hx_request(rep):
    response = rep.tap("voicemail")
    assert "HX-Request" in response.headers.get("Vary", "")


def test_production_refuses_a_secret_key_shorter_than_32_bytes(monkeypatch):
    monkeypatch.setenv("CLOSER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 31)
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app()


def test_development_accepts_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOSER_ENV", "development")
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "d.db"))
    app = create_app()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/", "/settings", "/calls/add", "/badges", "/teams"])
def test_logged_in_pages_are_never_stored_so_back_after_log_out_shows_nothing(rep, path):
    response = rep.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers.get("Cache-Control") == "no-store"


def test_static_files_the_service_worker_and_json_keep_their_caching(app, rep, visitor):
    page = rep.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)
    with rep.get(css) as static:
        assert static.cache_control.max_age == 31536000 and static.cache_control.immutable
    assert rep.get("/sw.js").headers["Cache-Control"] == "no-cache"
    assert rep.get("/api/v1/csrf").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in rep.get("/api/v1/me/today").headers
    with rep.get("/manifest.json") as manifest:
        assert "no-store" not in manifest.headers.get("Cache-Control", "")
    assert "no-store" not in visitor.get("/login").headers.get("Cache-Control", "")  # nobody's data on it


def test_a_polled_board_keeps_its_conditional_caching(app, rep):
    rep.post("/teams", data={"name": "Night Owls", "timezone": "UTC"})
    with app.app_context():
        team_id = db.session.scalar(select(Team.id))
    response = rep.get(f"/teams/{team_id}/board?period=week&metric=points", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache, private"
    again = rep.get(
        f"/teams/{team_id}/board?period=week&metric=points",
        headers={"HX-Request": "true", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


# ---------------------------------------------------------------- limits behind a proxy


def limited_app(backend, tmp_path, **settings):
    """A second app on the same database with rate limits on (the ``app`` fixture has them off)."""
    from tests.conftest import _test_config

    return create_app({**_test_config(backend, tmp_path), "RATELIMIT_ENABLED": True, **settings})


def wrong_login(visitor: Visitor, email: str, address: str | None = None) -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    data = {"email": email, "password": "wrong password here"}
    return visitor.post("/login", data=data, headers=headers).status_code


@pytest.fixture
def dispose_apps():
    made = []
    yield made.append
    for made_app in made:
        with made_app.app_context():
            db.engine.dispose()


def test_with_one_trusted_proxy_each_forwarded_address_gets_its_own_login_bucket(backend, tmp_path, app, dispose_apps):
    limited = limited_app(backend, tmp_path, TRUSTED_PROXIES=1)
    dispose_apps(limited)
    visitor = Visitor(limited.test_client())
    codes = [wrong_login(visitor, f"a{i}@example.com", "203.0.113.1") for i in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429
    assert wrong_login(visitor, "b@example.com", "203.0.113.2") == 422


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(backend, tmp_path, app, dispose_apps):
    limited = limited_app(backend, tmp_path)
    dispose_apps(limited)
    assert limited.config["TRUSTED_PROXIES"] == 0
    visitor = Visitor(limited.test_client())
    codes = [wrong_login(visitor, f"a{i}@example.com", f"198.51.100.{i}") for i in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429


def test_behind_a_trusted_proxy_invite_links_carry_the_public_https_address(backend, tmp_path, app, dispose_apps):
    limited = limited_app(backend, tmp_path, TRUSTED_PROXIES=1, RATELIMIT_ENABLED=False)
    dispose_apps(limited)
    coach = Visitor(limited.test_client())
    coach.register()
    coach.post("/teams", data={"name": "Night Owls", "timezone": "UTC"})
    with limited.app_context():
        team_id = db.session.scalar(select(Team.id))
    proxied = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "closer.example"}
    page = coach.post(f"/teams/{team_id}/invites", headers=proxied).get_data(as_text=True)
    assert re.search(r"https://closer\.example/join/[A-Za-z0-9_-]{43}", page)


def test_rotating_addresses_cannot_guess_one_accounts_password_past_the_account_limit(
    backend, tmp_path, app, dispose_apps
):
    limited = limited_app(backend, tmp_path, TRUSTED_PROXIES=1)
    dispose_apps(limited)
    owner = Visitor(limited.test_client())
    owner.register(email="target@example.com", log_in=False)
    guesser = Visitor(limited.test_client())
    codes = [wrong_login(guesser, " Target@Example.com", f"198.51.100.{i}") for i in range(10)]
    assert codes == [422] * 10
    right = guesser.post(
        "/login",
        data={"email": "target@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.77"},
    )
    assert right.status_code == 429
    assert "this account" in right.get_data(as_text=True)
    # Another account is not locked by it.
    assert wrong_login(guesser, "someone@example.com", "198.51.100.78") == 422


def test_successful_logins_do_not_use_up_the_account_limit(backend, tmp_path, app, dispose_apps):
    limited = limited_app(backend, tmp_path, TRUSTED_PROXIES=1)
    dispose_apps(limited)
    Visitor(limited.test_client()).register(email="busy@example.com", log_in=False)
    for i in range(12):
        response = Visitor(limited.test_client()).post(
            "/login",
            data={"email": "busy@example.com", "password": PASSWORD},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
        assert response.status_code == 303


# ---------------------------------------------------------------- request bodies


def chunked(visitor: Visitor, url: str, body: io.BytesIO, content_type: str):
    """A body sent without Content-Length, as a chunked upload arrives through gunicorn."""
    return visitor.post(
        url,
        input_stream=body,
        content_type=content_type,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_5_mb_sync_body_is_refused_with_413_before_it_is_read_whole(rep):
    body = io.BytesIO(b'{"items": [' + b" " * (5 * 1024 * 1024) + b"]}")
    response = chunked(rep, "/api/v1/sync", body, "application/json")
    assert response.status_code == 413
    payload = response.get_json()
    assert set(payload) == {"error", "message"} and payload["error"] == "too_large"
    assert body.tell() <= 1024 * 1024 + 64 * 1024  # read up to the cap, not the whole body


def test_a_chunked_sync_body_over_the_syncs_own_cap_is_refused(rep):
    body = io.BytesIO(b'{"items": [' + b" " * (800 * 1024) + b"]}")
    response = chunked(rep, "/api/v1/sync", body, "application/json")
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"


def test_a_chunked_5_mb_form_is_refused_on_any_page(app, rep):
    body = io.BytesIO(b"display_name=" + b"x" * (5 * 1024 * 1024))
    response = chunked(rep, "/settings/profile", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Rita Rep"
