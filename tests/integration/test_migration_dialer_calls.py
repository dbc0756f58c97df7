"""The dialer-calls migration on a database with calls in it: each day row counts its live calls that a
dialer or the API logged, and going down again keeps every day."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, create_engine, insert, select

from tests.integration.test_migration_keeps_streaks import (  # noqa: F401 (a fixture)
    ROOT,
    TODAY,
    a_day,
    a_rep,
    database_url,
    downgrade,
    upgrade,
)

BEFORE = "c1c0ffee0019"  # the revision before the dialer count
YESTERDAY = TODAY - timedelta(days=1)


def _a_call(user_id: int, day, source: str, *, undone: bool = False) -> dict:
    when = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC).replace(tzinfo=None)
    return {
        "user_id": user_id,
        "client_id": uuid.uuid4().hex,
        "outcome": "no_answer",
        "occurred_at": when,
        "local_date": day,
        "points": 1,
        "bounce_back": False,
        "created_at": when,
        "undone_at": when if undone else None,
        "source": source,
    }


def _tables(url: str):
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    return engine, tables


def test_each_day_counts_its_live_dialer_and_api_calls(database_url):  # noqa: F811
    upgrade(database_url, BEFORE)
    engine, tables = _tables(database_url)
    users, days, calls = tables.tables["users"], tables.tables["daily_totals"], tables.tables["calls"]
    with engine.begin() as conn:
        ana = conn.execute(insert(users).values(a_rep("ana@example.com", 40))).inserted_primary_key[0]
        ben = conn.execute(insert(users).values(a_rep("ben@example.com", 40))).inserted_primary_key[0]
        today_calls = [
            _a_call(ana, TODAY, "app"),
            _a_call(ana, TODAY, "api"),
            _a_call(ana, TODAY, "dialer"),
            _a_call(ana, TODAY, "dialer", undone=True),  # taken back: not counted
            _a_call(ana, TODAY, "import"),  # the rep's own history moved in: not a dialer's
        ]
        conn.execute(insert(calls), today_calls + [_a_call(ana, YESTERDAY, "api"), _a_call(ben, TODAY, "app")])
        conn.execute(insert(days), [a_day(ana, TODAY, 4, 40), a_day(ana, YESTERDAY, 1, 40), a_day(ben, TODAY, 1, 40)])
    engine.dispose()
    upgrade(database_url)

    engine, tables = _tables(database_url)
    days = tables.tables["daily_totals"]
    with engine.connect() as conn:
        counted = {(r.user_id, r.local_date): r.dialer_calls for r in conn.execute(select(days))}
    engine.dispose()
    assert counted == {(ana, TODAY): 2, (ana, YESTERDAY): 1, (ben, TODAY): 0}


def test_the_migration_goes_down_again_and_keeps_every_day(database_url):  # noqa: F811
    upgrade(database_url, BEFORE)
    engine, tables = _tables(database_url)
    with engine.begin() as conn:
        rep = conn.execute(insert(tables.tables["users"]).values(a_rep("rep@example.com", 40))).inserted_primary_key[0]
        conn.execute(insert(tables.tables["calls"]).values(_a_call(rep, TODAY, "api")))
        conn.execute(insert(tables.tables["daily_totals"]).values(a_day(rep, TODAY, 1, 40)))
    engine.dispose()
    upgrade(database_url)
    downgrade(database_url, BEFORE)
    engine, tables = _tables(database_url)
    assert "dialer_calls" not in tables.tables["daily_totals"].c
    with engine.connect() as conn:
        assert conn.execute(select(tables.tables["daily_totals"].c.dials)).scalars().all() == [1]
    engine.dispose()
