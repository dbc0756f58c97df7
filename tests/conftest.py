"""Fixtures shared by every tier: the app on each database, clients that carry CSRF tokens."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.extensions import db


def _own_databases_per_worker() -> None:
    """Under ``pytest -n`` each worker gets a PostgreSQL database and a Redis database of its own.

    Worker ``gwN`` uses ``<database>_gwN`` on the same server (created when missing) and,
    for N > 0, Redis database ``16 - N``: tests truncate and flush what they use, so two
    workers must never share one. Set before any test module reads the environment.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith(("postgresql", "postgres:")):
        url = make_url(base)
        name = f"{url.database}_{worker}"
        server = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        server.dispose()
        os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    index = int(worker.removeprefix("gw") or 0)
    if redis_url and index:
        os.environ["TEST_REDIS_URL"] = urlsplit(redis_url)._replace(path=f"/{16 - index}").geturl()


_own_databases_per_worker()
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
PASSWORD = "a long enough phrase"


def pytest_report_header(config):
    if TEST_DATABASE_URL:
        return f"databases: SQLite and PostgreSQL ({make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)})"
    return "databases: SQLite only; PostgreSQL tests SKIPPED (set TEST_DATABASE_URL to run them)"


def pytest_terminal_summary(terminalreporter):
    if not TEST_DATABASE_URL:
        terminalreporter.write_line(
            "NOTE: integration tests ran on SQLite only; set TEST_DATABASE_URL=postgresql://... "
            "to run them on PostgreSQL too.",
            yellow=True,
        )


def postgres_url() -> str:
    """The PostgreSQL URL for tests, in the driver form the app uses."""
    from webapp.config import database_url

    return database_url(TEST_DATABASE_URL, "")


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the public schema so each test starts empty."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


_pg_schema_ready = False


def _test_config(backend: str, tmp_path) -> dict:
    if backend == "postgresql":
        url = postgres_url()
    else:
        url = "sqlite:///" + str(tmp_path / "closer-test.db")
    return {
        "CLOSER_ENV": "testing",
        "TESTING": True,
        "PASSWORD_HASH": "scrypt:1024:8:1",  # cheap: the suite registers thousands of reps
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        # Queued tasks run at once, in memory; the worker's own tests bind a real queue.
        "TASK_QUEUE_IMMEDIATE": True,
    }


def _empty_postgres() -> None:
    """Empty every table a test filled and restart every sequence: cheaper than truncating them all."""
    tables = list(reversed(db.metadata.sorted_tables))  # children before parents
    probe = " UNION ALL ".join(
        f'SELECT {i} FROM (SELECT 1 FROM "{table.name}" LIMIT 1) AS t{i}' for i, table in enumerate(tables)
    )
    filled = {row[0] for row in db.session.execute(text(probe))}
    for i, table in enumerate(tables):
        if i in filled:
            db.session.execute(text(f'DELETE FROM "{table.name}"'))
    db.session.execute(
        text(
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = 'public'"
        )
    )
    db.session.commit()


_sqlite_template: Path | None = None


def _copy_empty_sqlite(app, tmp_path) -> None:
    """Give the test a copy of an empty database made once per process, not a ``create_all`` of its own."""
    global _sqlite_template
    target = tmp_path / "closer-test.db"
    if app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite:///" + str(target):
        db.create_all()  # a test that chose its own database file
        return
    if _sqlite_template is None:
        db.create_all()
        db.engine.dispose()  # the last connection closes: the WAL is folded into the file
        _sqlite_template = Path(tempfile.mkdtemp(prefix="closer-template-")) / "empty.db"
        shutil.copyfile(target, _sqlite_template)
        return
    db.engine.dispose()
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(_sqlite_template, target)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Each integration test runs once per database in ``BACKENDS``."""
    return request.param


@pytest.fixture
def extra_config() -> dict:
    """Settings a test module adds to the app's (override this fixture there, as the email tests do)."""
    return {}


@pytest.fixture
def mailbox():
    """A real SMTP server on 127.0.0.1 that keeps the emails it receives."""
    from tests.mailbox import Mailbox

    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def app(backend, tmp_path, extra_config):
    """A fresh app on an empty database of the chosen kind."""
    global _pg_schema_ready
    app = create_app({**_test_config(backend, tmp_path), **extra_config})
    with app.app_context():
        if backend == "postgresql":
            if not _pg_schema_ready:
                reset_postgres_schema(app.config["SQLALCHEMY_DATABASE_URI"])
                db.create_all()
                _pg_schema_ready = True
            _empty_postgres()
        else:
            _copy_empty_sqlite(app, tmp_path)
    # Tests push their own contexts: one held open here would share ``g`` (and
    # Flask-Login's cached user) between requests of different clients.
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Visitor:
    """A test client that sends the page's CSRF token with every state change, like htmx does."""

    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def refresh_token(self) -> str:
        self.token = self.client.get("/api/v1/csrf").get_json()["csrf_token"]
        return self.token

    def post(self, url, *, htmx: bool = False, csrf: bool = True, headers=None, **kwargs):
        headers = dict(headers or {})
        if csrf:
            headers["X-CSRFToken"] = self.token or self.refresh_token()
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, headers=headers, **kwargs)

    def register(
        self, email="rep@example.com", name="Rita Rep", password=PASSWORD, tz="Europe/London", *, log_in=True, **extra
    ):
        """Fill in the registration form; then, like a rep sent to the login page, log in (unless ``log_in``)."""
        data = {"email": email, "display_name": name, "password": password, "timezone": tz, **extra}
        response = self.post("/register", data=data)
        self.token = None  # the session changed; fetch a fresh token next time
        if log_in and response.status_code == 303:
            return self.login(email, password)
        return response

    def login(self, email="rep@example.com", password=PASSWORD):
        response = self.post("/login", data={"email": email, "password": password})
        self.token = None
        return response

    def tap(self, outcome: str, client_id: str | None = None, htmx: bool = True):
        return self.post("/calls", htmx=htmx, data={"outcome": outcome, "client_id": client_id or str(uuid.uuid4())})


@pytest.fixture
def visitor(app) -> Visitor:
    """Someone with a browser and no session yet."""
    return Visitor(app.test_client())


@pytest.fixture
def rep(app) -> Visitor:
    """A registered, logged-in rep (timezone Europe/London)."""
    visitor = Visitor(app.test_client())
    assert visitor.register().status_code == 303
    return visitor


@pytest.fixture
def runner(app):
    """The Flask CLI runner."""
    return app.test_cli_runner()
