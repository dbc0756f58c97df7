"""A fresh database of either kind for one benchmark, its migrations, and the app on it in process.

PostgreSQL: the server is the one ``TEST_DATABASE_URL`` names (127.0.0.1 by
default). A benchmark never touches the database that URL names (tests DROP its
schema, and CI's is ``test``): it creates its own, named after it with a suffix
(``closer_bench_helper`` gives ``closer_bench_helper_tap``), drops it first if a
crashed run left it, and drops it at the end.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from harness import PY, ROOT

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/closer_bench"
# Never created, dropped or written by a benchmark, whatever the environment says.
PROTECTED = frozenset({"test", "postgres", "template0", "template1"})


@dataclass
class Database:
    """A database made for one run: ``url`` as the app's DATABASE_URL, dropped by ``drop()``."""

    kind: str  # "sqlite" | "postgresql"
    url: str
    version: str = ""
    cleanup: list[Callable[[], None]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """ "SQLite 3.40.1" or "PostgreSQL 15.2", as a report names it."""
        return f"{'SQLite' if self.kind == 'sqlite' else 'PostgreSQL'} {self.version}"

    def sqlalchemy_url(self) -> str:
        """The URL with the psycopg 3 driver named, as the app itself would use it."""
        return driver_url(self.url)

    def query(self, sql: str) -> list[tuple]:
        """Rows of one read-only statement, on a connection of its own."""
        with self.snapshot() as read:
            return read(sql)

    @contextmanager
    def snapshot(self):
        """A function running read-only statements in one transaction (PostgreSQL: one snapshot of the data)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.sqlalchemy_url())
        try:
            with engine.connect() as conn:
                if self.kind == "postgresql":
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    yield lambda sql: [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def drop(self) -> None:
        """Remove the database; a failure is printed, never raised (it must not hide results)."""
        for step in self.cleanup:
            try:
                step()
            except Exception as error:  # noqa: BLE001
                print(f"  (cleanup of {self.kind} failed: {error})")


def driver_url(url: str) -> str:
    """``postgresql://`` as ``postgresql+psycopg://`` (the app's own rule, without importing the app)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def server_url():
    """The PostgreSQL server's URL (a SQLAlchemy ``URL``), from ``TEST_DATABASE_URL`` or the default."""
    from sqlalchemy.engine import make_url

    return make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER).set(drivername="postgresql")


def bench_database_name(suffix: str) -> str:
    """``<database of TEST_DATABASE_URL>_<suffix>``; refuses any name a benchmark must not touch."""
    base = server_url().database or "closer_bench"
    name = re.sub(r"[^a-z0-9_]", "_", f"{base}_{suffix}".lower())
    if name in PROTECTED or not suffix:
        raise ValueError(f"refusing to use the database {name!r} for a benchmark")
    return name


def sqlite_database(workdir: str, name: str = "closer-bench") -> Database:
    """A SQLite file under ``workdir`` (gone with it)."""
    return Database("sqlite", "sqlite:///" + os.path.join(workdir, f"{name}.db"), version=sqlite3.sqlite_version)


def postgres_database(suffix: str, schemas: tuple[str, ...] = ()) -> Database:
    """A fresh database ``bench_database_name(suffix)`` on the server, with ``schemas`` created in it."""
    import psycopg
    from psycopg import sql

    name = bench_database_name(suffix)
    base = server_url()
    admin_dsn = base.set(database="postgres").render_as_string(hide_password=False)
    url = base.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = conn.execute("SHOW server_version").fetchone()[0]
    if schemas:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            for schema in schemas:
                conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))

    def drop() -> None:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    return Database("postgresql", url, version=version.split(" (")[0], cleanup=[drop])


def fresh_database(kind: str, workdir: str, suffix: str) -> Database:
    """A fresh database of ``kind`` ("sqlite" or "postgresql") for the benchmark named by ``suffix``."""
    if kind == "sqlite":
        return sqlite_database(workdir, f"closer-{suffix}")
    return postgres_database(suffix)


def app_env(db: Database, code_root: str = ROOT, **extra: str) -> dict:
    """The environment a Closer server (or ``flask``) runs with on ``db``: testing, no rate limits."""
    return {
        **os.environ,
        "CLOSER_ENV": "testing",
        "SECRET_KEY": "bench-secret",
        "DATABASE_URL": db.url,
        "RATELIMIT_ENABLED": "false",
        "PYTHONPATH": code_root,
        **extra,
    }


def migrate(db: Database, code_root: str = ROOT) -> None:
    """``flask db upgrade`` on ``db`` with the code at ``code_root``."""
    flask = os.path.join(os.path.dirname(PY), "flask")
    cmd = [flask] if os.path.exists(flask) else [PY, "-m", "flask"]
    done = subprocess.run(
        [*cmd, "--app", "webapp", "db", "upgrade"],
        cwd=code_root,
        env=app_env(db, code_root),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migration failed:\n{done.stdout}\n{done.stderr}")


def in_process_app(url: str, **config):
    """Closer in this process on ``url`` (SQLAlchemy form), for benchmarks through the Flask test client."""
    from webapp import create_app

    return create_app(
        {
            "CLOSER_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": driver_url(url),
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            **config,
        }
    )


def dispose(app) -> None:
    """Close the in-process app's connections (before its database is dropped)."""
    from webapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
