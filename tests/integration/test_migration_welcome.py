"""The welcome-seen migration on a database with reps in it: a rep who has been calling (or has set a dial
goal) is never welcomed again; a rep who has done neither still is. Down again, every rep and review stays."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import MetaData, create_engine, insert, select

from tests.conftest import _test_config
from tests.integration.test_migration_keeps_streaks import ROOT, a_rep, database_url, downgrade, upgrade  # noqa: F401 (a fixture)
from webapp import create_app
from webapp.extensions import db
from webapp.models import User
from webapp.views.goals import welcome_due

BEFORE = "b7c0ffee0017"  # the revision before the welcome was kept on the rep
FIRST_CALL = datetime(2026, 11, 20, 9, 30)


def a_call(user_id: int, outcome: str, at: datetime, points: int, undone: bool = False) -> dict:
    return {
        "user_id": user_id,
        "client_id": uuid.uuid4().hex,  # as the models store it on SQLite; PostgreSQL reads it too
        "outcome": outcome,
        "occurred_at": at,
        "local_date": at.date(),
        "points": points,
        "bounce_back": False,
        "created_at": at,
        "undone_at": at if undone else None,
        "source": "app",
    }


def reps_before_the_migration(url: str) -> dict[str, int]:
    """Four reps on the revision before: calling (no answers only, so no points), undone, a goal, new."""
    upgrade(url, BEFORE)
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    users, calls = tables.tables["users"], tables.tables["calls"]
    ids = {}
    with engine.begin() as conn:
        for name, goal in (("caller", None), ("undid", None), ("goal", 40), ("new", None)):
            ids[name] = conn.execute(insert(users).values(a_rep(f"{name}@example.com", goal))).inserted_primary_key[0]
        conn.execute(insert(calls).values(a_call(ids["caller"], "no_answer", FIRST_CALL.replace(day=21), 0)))
        conn.execute(insert(calls).values(a_call(ids["caller"], "no_answer", FIRST_CALL, 0)))
        conn.execute(insert(calls).values(a_call(ids["undid"], "voicemail", FIRST_CALL, 1, undone=True)))
    engine.dispose()
    return ids


def test_a_rep_with_calls_before_the_migration_is_not_welcomed_again(backend, database_url, tmp_path):  # noqa: F811
    ids = reps_before_the_migration(database_url)
    upgrade(database_url)

    app = create_app({**_test_config(backend, tmp_path), "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        welcomed = dict(db.session.execute(select(User.email, User.welcomed_at)).all())
        assert welcomed["caller@example.com"] == FIRST_CALL.replace(tzinfo=UTC)  # since their first call
        assert welcomed["undid@example.com"] == FIRST_CALL.replace(tzinfo=UTC)
        assert welcomed["goal@example.com"] is not None and welcomed["goal@example.com"].date() >= date(2026, 12, 1)
        assert welcomed["new@example.com"] is None
        due = {name: welcome_due(db.session.get(User, user_id)) for name, user_id in ids.items()}
        # The caller logged no answers only (no points): the old rule, "no points yet", welcomed them again.
        assert due == {"caller": False, "undid": False, "goal": False, "new": True}
        db.session.remove()
        db.engine.dispose()


def test_the_migration_goes_down_again_and_keeps_every_rep_and_review(backend, database_url):  # noqa: F811
    ids = reps_before_the_migration(database_url)
    upgrade(database_url)
    engine = create_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    calls, reviews = tables.tables["calls"], tables.tables["call_reviews"]
    with engine.begin() as conn:
        call_id = conn.execute(select(calls.c.id).where(calls.c.user_id == ids["caller"]).limit(1)).scalar_one()
        review = {"user_id": ids["caller"], "call_id": call_id, "week_start": date(2026, 11, 16), "points": 3}
        now = datetime(2026, 12, 2, 10, 0)
        conn.execute(insert(reviews).values(**review, client_id=uuid.uuid4().hex, created_at=now, updated_at=now))
    downgrade(database_url, BEFORE)
    tables = MetaData()
    tables.reflect(engine)
    assert "welcomed_at" not in tables.tables["users"].c and "client_id" not in tables.tables["call_reviews"].c
    with engine.connect() as conn:
        users = tables.tables["users"]
        assert conn.execute(select(users.c.id).order_by(users.c.id)).scalars().all() == sorted(ids.values())
        assert conn.execute(select(tables.tables["call_reviews"].c.points)).scalars().all() == [3]
    engine.dispose()
