"""Two Closer servers sharing one PostgreSQL database and one Redis, as a deployment with two hosts runs.

One outbox is split across the servers and each half replayed on the other at
the same moment, undos among the items: every tap still counts once and every
undo takes its call back once. Login attempts alternating between the servers
meet one shared limit, not one per server.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.servers import LiveServer
from webapp.config import Config, database_url
from webapp.domain.outcomes import points_for

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (TEST_DATABASE_URL.startswith(("postgresql", "postgres:")) and TEST_REDIS_URL),
    reason="two servers need a shared PostgreSQL and Redis: set TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL",
)

PASSWORD = "a long enough phrase"
ATTEMPTS = 6
ROUNDS = 5
# No "not interested" among them: a dial after a no earns a bounce-back bonus, whose
# points would depend on the order in which the racing deliveries land.
OUTCOMES = ["no_answer", "voicemail", "gatekeeper", "conversation", "follow_up", "meeting", "sale"]


@pytest.fixture(scope="module")
def shared_database():
    """A fresh database ``<TEST_DATABASE_URL's database>_two`` on that server, migrated, dropped afterwards."""
    import psycopg
    from psycopg import sql

    base = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    name = f"{base.database}_two"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        LiveServer(url).migrate()
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def limiter_prefix():
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards (nothing else is)."""
    import redis

    prefix = f"closer-two-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def two_servers(shared_database, limiter_prefix, tmp_path):
    """Two servers on one database and one Redis, rate limits on, one key prefix for both."""
    env = {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": TEST_REDIS_URL}
    spec = f"webapp:create_app({{'RATELIMIT_KEY_PREFIX': {limiter_prefix!r}}})"
    servers = [
        LiveServer(shared_database, extra_env=env, app_spec=spec, log_path=str(tmp_path / f"server-{n}.log"))
        for n in range(2)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Device:
    """A phone: one session cookie (good on every server: they share SECRET_KEY) and its CSRF token."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.token = ""

    def send(self, server: LiveServer, method: str, path: str, body: bytes | None = None, content_type=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if method == "POST":
            headers["X-CSRFToken"] = self.token
        if content_type:
            headers["Content-Type"] = content_type
        status, answer, data = server.request(method, path, headers, body)
        for raw in answer.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(raw).items()})
        return status, data

    def join(self, server: LiveServer, email: str, name: str) -> dict:
        """Register on ``server`` and log in there, like the forms; the session as ``session()`` reads it."""
        self.session(server)
        status, _ = self.form(server, "/register", email=email, display_name=name, password=PASSWORD, timezone="UTC")
        assert status == 303
        self.session(server)
        status, _ = self.form(server, "/login", email=email, password=PASSWORD)
        assert status == 303
        return self.session(server)

    def session(self, server: LiveServer) -> dict:
        """``GET /api/v1/csrf`` on ``server``: a fresh token, and whether this session is logged in there."""
        status, data = self.send(server, "GET", "/api/v1/csrf")
        assert status == 200
        answer = json.loads(data)
        self.token = answer["csrf_token"]
        return answer

    def form(self, server: LiveServer, path: str, **fields):
        return self.send(server, "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def sync(self, server: LiveServer, items: list[dict]):
        return self.send(server, "POST", "/api/v1/sync", json.dumps({"items": items}).encode(), "application/json")


def tap(outcome: str, at: datetime) -> dict:
    return {"client_id": str(uuid.uuid4()), "kind": "tap", "outcome": outcome, "occurred_at": at.isoformat()}


def undo(item: dict) -> dict:
    return {**item, "kind": "undo"}


def deliver_at_once(deliveries: list[tuple[Device, LiveServer, list[dict]]]) -> list[tuple[int, bytes, int]]:
    """Post every batch from its own thread, released together; (status, body, attempts) of each.

    Like the outbox, a batch answered 5xx is sent again after a pause (the device keeps it until
    it is acknowledged), at most ``ATTEMPTS`` times.
    """
    start = threading.Barrier(len(deliveries))
    answers: list[tuple[int, bytes, int] | None] = [None] * len(deliveries)

    def post(n: int, device: Device, server: LiveServer, items: list[dict]) -> None:
        start.wait(timeout=30)
        for attempt in range(1, ATTEMPTS + 1):
            status, body = device.sync(server, items)
            answers[n] = (status, body, attempt)
            if status < 500:
                return
            time.sleep(0.1 * 2**attempt)

    threads = [threading.Thread(target=post, args=(n, *d)) for n, d in enumerate(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def stored(database: str, user_id: int) -> dict:
    """The rep's calls and aggregates as the shared database holds them."""
    engine = create_engine(database_url(database, ""))
    try:
        with engine.connect() as conn:
            calls = conn.execute(
                text("SELECT client_id, outcome, points, local_date, undone_at FROM calls WHERE user_id = :u"),
                {"u": user_id},
            ).all()
            days = conn.execute(
                text(f"SELECT local_date, dials, points, {', '.join(OUTCOMES)} FROM daily_totals WHERE user_id = :u"),
                {"u": user_id},
            ).all()
            xp = conn.execute(text("SELECT xp FROM users WHERE id = :u"), {"u": user_id}).scalar_one()
            lifetime = conn.execute(text("SELECT dials FROM player_totals WHERE user_id = :u"), {"u": user_id}).scalar()
    finally:
        engine.dispose()
    return {"calls": calls, "days": days, "xp": xp, "lifetime_dials": lifetime}


def test_an_outbox_split_across_two_servers_and_replayed_on_both_counts_each_tap_once(two_servers, shared_database):
    first, second = two_servers
    phone = Device()
    assert phone.join(first, f"two-{uuid.uuid4().hex[:8]}@example.com", "Two Servers")["authenticated"]
    on_second = phone.session(second)
    assert on_second["authenticated"], "a session made on one server is good on the other"
    user_id = on_second["user_id"]

    now = datetime.now(UTC)
    taps = [tap(OUTCOMES[n % len(OUTCOMES)], now - timedelta(seconds=40 * (24 - n))) for n in range(24)]
    # Undos on the server that logged the tap, on the other one, and one sent before its tap arrives.
    first_half = taps[:12] + [undo(taps[1]), undo(taps[5]), undo(taps[14])]
    second_half = taps[12:] + [undo(taps[3]), undo(taps[13]), undo(taps[20])]
    undone = {taps[n]["client_id"] for n in (1, 5, 14, 3, 13, 20)}
    answers = deliver_at_once(
        [
            (phone, first, first_half),
            (phone, second, second_half),
            (phone, second, first_half),
            (phone, first, second_half),
        ]
    )
    assert [status for status, _, _ in answers] == [200] * 4, "\n".join(s.log_tail() for s in two_servers)
    for _, body, _ in answers:
        assert {r["status"] for r in json.loads(body)["results"]} <= {"accepted", "duplicate"}

    live = [t for t in taps if t["client_id"] not in undone]
    today = now.date().isoformat()
    expected_today = [t for t in live if t["occurred_at"][:10] == today]
    for server in (first, second):
        status, body = phone.send(server, "GET", "/api/v1/me/today")
        summary = json.loads(body)
        if summary["date"] == today:
            assert summary["dials"] == len(expected_today)
            assert summary["points"] == sum(points_for(t["outcome"]) for t in expected_today)

    data = stored(shared_database, user_id)
    assert len(data["calls"]) == len(taps), "each tap is stored once, whichever server saw it first"
    assert {str(c.client_id) for c in data["calls"] if c.undone_at is not None} == undone
    live_calls = [c for c in data["calls"] if c.undone_at is None]
    for day in data["days"]:
        mine = [c for c in live_calls if c.local_date == day.local_date]
        assert day.dials == len(mine)
        assert day.points == sum(c.points for c in mine)
        for outcome in OUTCOMES:
            assert getattr(day, outcome) == sum(1 for c in mine if c.outcome == outcome)
    assert sum(day.dials for day in data["days"]) == len(live) == data["lifetime_dials"]
    assert data["xp"] == sum(c.points for c in live_calls) == sum(points_for(t["outcome"]) for t in live)


def test_login_attempts_alternating_between_servers_meet_one_shared_limit(two_servers):
    from limits import parse_many

    limit = min(parse_many(Config.RATELIMIT_AUTH), key=lambda item: item.get_expiry()).amount
    visitor = Device()
    statuses = []
    for attempt in range(limit + 1):
        server = two_servers[attempt % 2]
        visitor.session(server)
        # A new email each time: only the limit per address counts, not the one per account.
        email = f"nobody-{attempt}@example.com"
        status, _ = visitor.form(server, "/login", email=email, password="not the password")
        statuses.append(status)
    assert statuses[:limit] == [422] * limit, "wrong passwords are refused, not limited, up to the limit"
    assert statuses[limit] == 429, f"attempt {limit + 1} of {limit} allowed, counted across both servers"


def test_one_undo_delivered_to_both_servers_at_once_takes_its_call_back_once(two_servers, shared_database):
    first, second = two_servers
    phone = Device()
    assert phone.join(first, f"two-{uuid.uuid4().hex[:8]}@example.com", "Two Undos")["authenticated"]
    user_id = phone.session(second)["user_id"]
    now = datetime.now(UTC)
    taps = [tap(OUTCOMES[n % len(OUTCOMES)], now - timedelta(seconds=10 * (40 - n))) for n in range(40)]
    assert phone.sync(first, taps)[0] == 200
    # Several rounds: the deliveries must overlap to race, and one round may not.
    for round_ in range(ROUNDS):
        undos = [undo(taps[round_]), undo(taps[20 + round_])]
        answers = deliver_at_once([(phone, first, undos), (phone, second, undos)])
        assert [status for status, _, _ in answers] == [200, 200]
    data = stored(shared_database, user_id)
    live_calls = [c for c in data["calls"] if c.undone_at is None]
    assert len(live_calls) == 40 - 2 * ROUNDS
    assert sum(day.dials for day in data["days"]) == len(live_calls) == data["lifetime_dials"]
    assert data["xp"] == sum(c.points for c in live_calls)
