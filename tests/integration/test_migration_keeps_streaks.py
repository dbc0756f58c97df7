"""The streaks-that-forgive migration on a database with reps in it: no rep loses a streak they have."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import MetaData, create_engine, insert, select

import tests.conftest as shared
from tests.conftest import _test_config, reset_postgres_schema
from webapp import create_app
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.extensions import db
from webapp.models import DailyTotal, User
from webapp.services.game.state import game_state

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEFORE = "a6c0ffee0006"
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday
TODAY = NOW.date()


def upgrade(url: str, revision: str = "head") -> None:
    _flask_db(url, "upgrade", revision)


def downgrade(url: str, revision: str) -> None:
    _flask_db(url, "downgrade", revision)


def _flask_db(url: str, command: str, revision: str) -> None:
    env = {**os.environ, "CLOSER_ENV": "testing", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "db", command, revision],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def a_rep(email: str, goal: int | None, **streak) -> dict:
    return {
        "email": email,
        "display_name": email.split("@")[0],
        "password_hash": "!",
        "timezone": "UTC",
        "created_at": datetime(2026, 1, 5),
        "xp": 0,
        "day_start_hour": 0,
        "working_days": "0,1,2,3,4,5,6",
        "goal_dials": goal,
        "goal_conversations": None,
        "goal_follow_ups": None,
        "streak_as_of": streak.get("as_of"),
        "streak_current": streak.get("current", 0),
        "streak_longest": streak.get("current", 0),
        "streak_freezes": streak.get("freezes", 0),
        "streak_toward_freeze": 0,
        "reset_after_nos": 3,
    }


def a_day(user_id: int, day: date, dials: int, target: int | None) -> dict:
    return {
        "user_id": user_id,
        "local_date": day,
        "dials": dials,
        "points": dials,
        "bounce_backs": 0,
        **dict.fromkeys(OUTCOME_CODES, 0),
        "no_answer": dials,
        "first_call_minute": 600,
        "dial_target": target,
        "goal_met": target is not None and dials >= target,
        "counted": True,
    }


@pytest.fixture
def database_url(backend, app, tmp_path):
    """An empty database of the backend's kind, for this test alone."""
    if backend == "sqlite":
        yield "sqlite:///" + str(tmp_path / "before.db")
        return
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    reset_postgres_schema(url)
    yield url
    reset_postgres_schema(url)
    shared._pg_schema_ready = False  # the next test rebuilds its tables


def test_the_migration_keeps_every_streak_and_gives_each_rep_a_minimum(backend, database_url, tmp_path):
    upgrade(database_url, BEFORE)
    engine = create_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    users, days = tables.tables["users"], tables.tables["daily_totals"]
    last_five = [TODAY - timedelta(days=back) for back in range(5, 0, -1)]
    with engine.begin() as conn:
        goal_days = conn.execute(insert(users).values(a_rep("five@example.com", 40))).inserted_primary_key[0]
        low_goal = conn.execute(insert(users).values(a_rep("low@example.com", 6))).inserted_primary_key[0]
        no_goal = conn.execute(insert(users).values(a_rep("default@example.com", None))).inserted_primary_key[0]
        settled = conn.execute(
            insert(users).values(
                a_rep("settled@example.com", 40, as_of=TODAY - timedelta(days=6), current=20, freezes=1)
            )
        ).inserted_primary_key[0]
        for day in last_five:
            conn.execute(insert(days).values(a_day(goal_days, day, 40, 40)))  # five goal days
            conn.execute(insert(days).values(a_day(low_goal, day, 7, 6)))  # a goal of 6, met
            conn.execute(insert(days).values(a_day(settled, day, 45, 40)))
        conn.execute(insert(days).values(a_day(goal_days, TODAY - timedelta(days=6), 3, 40)))  # a poor day
        conn.execute(insert(days).values(a_day(no_goal, TODAY - timedelta(days=1), 12, None)))  # no target kept
    engine.dispose()
    upgrade(database_url)

    config = {**_test_config(backend, tmp_path), "SQLALCHEMY_DATABASE_URI": database_url}
    app = create_app(config)
    with app.app_context():
        minimums = dict(db.session.execute(select(User.email, User.min_dials)).all())
        assert minimums == {
            "five@example.com": 10,
            "low@example.com": 6,
            "default@example.com": 10,
            "settled@example.com": 10,
        }
        rows = {(row.user_id, row.local_date): (row.min_dials, row.showed_up) for row in db.session.query(DailyTotal)}
        assert rows[(goal_days, last_five[0])] == (10, True)
        assert rows[(goal_days, TODAY - timedelta(days=6))] == (10, False)
        assert rows[(low_goal, last_five[0])] == (6, True)
        assert rows[(no_goal, TODAY - timedelta(days=1))] == (10, True)

        def streak(user_id: int) -> int:
            return game_state(db.session.get(User, user_id), NOW).streak.current

        assert streak(goal_days) == 5  # a streak of 5 goal days before the migration is still 5 after it
        assert streak(low_goal) == 5
        assert streak(settled) == 25  # the stored checkpoint, and the days after it
        assert streak(no_goal) == 1  # 12 dials without a recorded goal: showed up
        db.session.remove()
        db.engine.dispose()


def test_the_migration_goes_down_again_and_keeps_every_rep_and_day(backend, database_url):
    upgrade(database_url, BEFORE)
    engine = create_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        rep = conn.execute(insert(tables.tables["users"]).values(a_rep("rep@example.com", 40))).inserted_primary_key[0]
        conn.execute(insert(tables.tables["daily_totals"]).values(a_day(rep, TODAY, 12, 40)))
    upgrade(database_url)
    downgrade(database_url, BEFORE)
    tables = MetaData()
    tables.reflect(engine)
    assert "time_off" not in tables.tables and "showed_up" not in tables.tables["daily_totals"].c
    with engine.connect() as conn:
        assert conn.execute(select(tables.tables["daily_totals"].c.dials)).scalars().all() == [12]
    engine.dispose()
