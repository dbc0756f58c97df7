"""``flask --app webapp backup``: a consistent copy of a SQLite database, taken while the app runs.

SQLite's online backup API copies page by page under the database's own
locks, so the copy is a snapshot even with writers at work (a plain file
copy of a WAL database is not). PostgreSQL has ``pg_dump`` for that; the
command says how to use it instead.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

from sqlalchemy.engine import make_url

PG_DUMP_ADVICE = (
    "This server runs on PostgreSQL: back it up with pg_dump, which takes a consistent snapshot while Closer runs:\n"
    '  pg_dump --format=custom --file=closer-$(date +%F).dump "$DATABASE_URL"\n'
    "Restore with pg_restore --clean --dbname=... closer-YYYY-MM-DD.dump. See the README."
)


class BackupRefused(RuntimeError):
    """No copy was written; the message says why."""


def default_destination(instance_path: str, now: datetime | None = None) -> str:
    """``instance/backups/closer-<UTC time>.db``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return os.path.join(instance_path, "backups", f"closer-{stamp}.db")


def backup_sqlite(database_url: str, destination: str) -> str:
    """Copy the SQLite database at ``database_url`` to ``destination`` (a new file); its path."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(PG_DUMP_ADVICE if url.get_backend_name() == "postgresql" else "Only SQLite is copied here.")
    source_path = url.database
    if not source_path or source_path == ":memory:" or not os.path.exists(source_path):
        raise BackupRefused(f"There is no database file at {source_path!r}.")
    if os.path.exists(destination):
        raise BackupRefused(f"{destination} exists already; choose a new file.")
    os.makedirs(os.path.dirname(os.path.abspath(destination)), exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination
