"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from tests.conftest import reset_postgres_schema
from webapp.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_db_upgrade_on_an_empty_database_gives_exactly_the_models_schema(backend, tmp_path, app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if backend == "postgresql":
        reset_postgres_schema(url)
        import tests.conftest as shared

        shared._pg_schema_ready = False  # the next test rebuilds its tables
    else:
        url = "sqlite:///" + str(tmp_path / "migrated.db")
    env = {**os.environ, "CLOSER_ENV": "testing", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    finally:
        engine.dispose()
    assert differences == []
