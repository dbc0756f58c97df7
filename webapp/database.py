"""Per-database connection settings: SQLite gets WAL and a busy timeout."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from webapp.extensions import db


def init_app(app: Flask) -> None:
    """Tune every new SQLite connection; PostgreSQL needs nothing here."""
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(timeout_ms))


def _sqlite_pragmas(timeout_ms: int):
    def on_connect(dbapi_connection, _record) -> None:
        # WAL lets readers run beside the one writer; the busy timeout makes a
        # second writer wait for the lock instead of failing "database is locked".
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect
