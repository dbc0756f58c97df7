"""CSRF on every state change, security headers, production refuses to start without a key."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp import create_app
from webapp.extensions import db
from webapp.models import Call, Team


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
