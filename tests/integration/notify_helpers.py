"""Shared set-up for the notification tests: push switched on, a stand-in push service, reps by email."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.push_standin import BrowserKeys, PushStandIn
from webapp.extensions import db
from webapp.models import User
from webapp.services.notifications import keys

SUBJECT = "mailto:push-tests@closer.invalid"


@pytest.fixture
def push_on(app):
    """The app with a VAPID key of its own, as production has from the environment."""
    app.config.update(VAPID_PRIVATE_KEY=keys.new_private_key(), VAPID_SUBJECT=SUBJECT)
    return app


@pytest.fixture
def standin():
    """A push service stand-in listening on 127.0.0.1."""
    server = PushStandIn().start()
    yield server
    server.stop()


def user_id(app, email: str = "rep@example.com") -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def subscribe(visitor, standin: PushStandIn, name: str = "") -> BrowserKeys:
    """A browser turning the switch on: its keys, sent to the server as the page does."""
    browser = BrowserKeys(standin.endpoint(name))
    response = visitor.post("/api/v1/push/subscriptions", json=browser.subscription())
    assert response.status_code == 201, response.get_json()
    return browser


def server_public_key(app) -> str:
    with app.app_context():
        return keys.public_key()
