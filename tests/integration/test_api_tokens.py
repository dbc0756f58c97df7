"""Personal API tokens: made in Settings, shown once, stored hashed, scoped, revoked, rate-limited."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.conftest import Visitor, _test_config
from tests.integration.api_helpers import bearer, make_token
from webapp import create_app
from webapp.extensions import db
from webapp.models import ApiToken, Call
from webapp.services.integrations.tokens import PREFIX, digest


def _sync_body(outcome: str = "no_answer") -> dict:
    return {"items": [{"client_id": str(uuid.uuid4()), "kind": "tap", "outcome": outcome}]}


def test_a_token_is_shown_once_and_only_its_hash_is_stored(app, rep):
    token = make_token(rep, "VICIdial")
    assert token.startswith(PREFIX) and len(token) >= len(PREFIX) + 40
    page = rep.get("/settings/integrations").get_data(as_text=True)
    assert "VICIdial" in page and token not in page
    assert "last used never" in page and "<title>Integrations · Closer</title>" in page
    assert page.count('id="dialer"') == 1  # one dialer section, in the page (not in its title)
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert row.token_hash == digest(token) and token not in (row.hint, row.token_hash)
        assert row.scope == "write"


def test_a_token_reads_without_a_session_and_notes_its_last_use(app, rep):
    token = make_token(rep)
    client = app.test_client()  # no cookies at all
    response = client.get("/api/v1/me/today", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["dials"] == 0
    assert "Set-Cookie" not in response.headers
    page = rep.get("/settings/integrations").get_data(as_text=True)
    assert "last used never" not in page


def test_a_write_token_syncs_without_a_csrf_token(app, rep):
    token = make_token(rep)
    client = app.test_client()
    response = client.post("/api/v1/sync", json=_sync_body(), headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["results"][0]["status"] == "accepted"


def test_a_read_token_on_a_write_route_answers_403_and_writes_nothing(app, rep):
    token = make_token(rep, scope="read")
    response = app.test_client().post("/api/v1/sync", json=_sync_body(), headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"] == "read_only_token"
    with app.app_context():
        assert db.session.scalars(select(Call)).all() == []


def test_an_unknown_or_malformed_token_answers_401_json(app, rep):
    client = app.test_client()
    for secret in (PREFIX + "x" * 43, "nonsense", PREFIX):
        response = client.get("/api/v1/me/today", headers=bearer(secret))
        assert response.status_code == 401
        assert response.get_json()["error"] == "invalid_token"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once(app, rep):
    token = make_token(rep)
    client = app.test_client()
    assert client.get("/api/v1/me/today", headers=bearer(token)).status_code == 200
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    assert rep.post(f"/settings/integrations/tokens/{token_id}/revoke").status_code == 303
    response = client.get("/api/v1/me/today", headers=bearer(token))
    assert response.status_code == 401
    assert "revoked" in rep.get("/settings/integrations").get_data(as_text=True)


def test_one_rep_cannot_revoke_anothers_token(app, rep, visitor):
    token = make_token(rep)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    visitor.register(email="other@example.com")
    visitor.post(f"/settings/integrations/tokens/{token_id}/revoke")
    assert app.test_client().get("/api/v1/me/today", headers=bearer(token)).status_code == 200


def test_a_token_is_its_reps_whatever_session_the_browser_holds(app, rep, visitor):
    visitor.register(email="other@example.com", name="Olly Other")
    token = make_token(visitor)
    # The rep's browser sends its own session cookie and another rep's token: the token decides.
    response = rep.client.post("/api/v1/sync", json=_sync_body(), headers=bearer(token))
    assert response.status_code == 200
    assert rep.get("/api/v1/me/today").get_json()["dials"] == 0
    assert visitor.get("/api/v1/me/today").get_json()["dials"] == 1


def test_the_browser_session_keeps_working_and_still_needs_csrf(app, rep):
    assert rep.get("/api/v1/me/today").status_code == 200
    assert rep.post("/api/v1/sync", json=_sync_body(), csrf=False).status_code == 400
    assert rep.post("/api/v1/sync", json=_sync_body()).status_code == 200


def test_a_token_needs_a_name_and_a_known_scope(app, rep):
    assert rep.post("/settings/integrations/tokens", data={"name": " ", "scope": "write"}).status_code == 422
    assert rep.post("/settings/integrations/tokens", data={"name": "x", "scope": "admin"}).status_code == 422


def test_each_token_has_its_own_rate_limit(app, rep, backend, tmp_path):
    first, second = make_token(rep, "one"), make_token(rep, "two")
    limited = create_app(
        {**_test_config(backend, tmp_path), "RATELIMIT_ENABLED": True, "RATELIMIT_API_TOKEN": "3/minute"}
    )
    client = limited.test_client()
    statuses = [client.get("/api/v1/me/today", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me/today", headers=bearer(first))
    assert refused.get_json()["error"] == "too_many_requests"
    assert client.get("/api/v1/me/today", headers=bearer(second)).status_code == 200
    # The browser session is not counted against any token.
    browser = Visitor(limited.test_client())
    browser.login()
    assert all(browser.get("/api/v1/me/today").status_code == 200 for _ in range(5))
    with limited.app_context():
        db.engine.dispose()


def test_a_deactivated_accounts_tokens_stop_working(app, rep):
    from webapp.models import User, utcnow

    token = make_token(rep)
    with app.app_context():
        db.session.scalars(select(User)).one().deactivated_at = utcnow()
        db.session.commit()
    assert app.test_client().get("/api/v1/me/today", headers=bearer(token)).status_code == 401
