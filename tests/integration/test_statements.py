"""Prepared statements behave like SQLAlchemy's, on the bare driver and on the plain path: types, errors, flushes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, exc, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db
from webapp.models import Call, User, Win
from webapp.services import prepared
from webapp.services.calls import record_call
from webapp.services.prepared import Statement

CALLS_OF_USER = Statement(
    "test_calls_of_user",
    lambda d: select(Call.client_id, Call.occurred_at, Call.local_date, Call.bounce_back, Call.undone_at).where(
        Call.user_id == bindparam("user_id")
    ),
)


def _win_insert(dialect: str):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Win.__table__
    names = ("user_id", "kind", "ref", "title", "detail", "occurred_at", "local_date")
    return insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names})


WIN_INSERT = Statement("test_win_insert", _win_insert)
USER_NAMES = Statement("test_user_names", lambda d: select(User.display_name).where(User.email == bindparam("email")))


@pytest.fixture(params=["prepared", "plain"])
def sql_mode(request, app):
    """Each test runs both ways: compiled on the driver, and plainly through the session."""
    app.config["PLAIN_SQL"] = request.param == "plain"
    return request.param


@pytest.fixture
def user(app, sql_mode):
    with app.app_context():
        rep = User(email="types@example.com", display_name="Types", password_hash="x", timezone="Europe/London")
        db.session.add(rep)
        db.session.commit()
        yield rep


def test_results_come_back_with_their_python_types(user):
    client_id = uuid.uuid4()
    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    record_call(user, "voicemail", client_id, when, now=datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    row = prepared.first(CALLS_OF_USER, user_id=user.id)
    assert row.client_id == client_id and isinstance(row.client_id, uuid.UUID)
    assert row.occurred_at == when and row.occurred_at.tzinfo is not None
    assert row.local_date == date(2026, 11, 20)
    assert row.bounce_back is False and row.undone_at is None


def test_a_driver_error_is_raised_as_sqlalchemys_and_the_transaction_can_roll_back(user):
    win = {
        "user_id": user.id,
        "kind": "sale",
        "ref": "call:1",
        "title": "Sale",
        "detail": "",
        "occurred_at": datetime.now(UTC),
        "local_date": date.today(),
    }
    prepared.run(WIN_INSERT, win)
    with pytest.raises(exc.IntegrityError):
        prepared.run(WIN_INSERT, win)
    db.session.rollback()
    assert db.session.scalar(select(Win.id)) is None


def test_objects_added_in_the_session_are_flushed_before_a_prepared_query(user):
    db.session.add(User(email="pending@example.com", display_name="Pending", password_hash="x"))
    assert prepared.scalar(USER_NAMES, email="pending@example.com") == "Pending"


def test_one_and_scalar_one_insist_on_exactly_one_row(user):
    assert prepared.run(USER_NAMES, {"email": "nobody@example.com"}).first() is None
    with pytest.raises(exc.NoResultFound):
        prepared.run(USER_NAMES, {"email": "nobody@example.com"}).one()
    assert prepared.run(USER_NAMES, {"email": "types@example.com"}).scalar_one() == "Types"
