"""``flask --app webapp backup``: a consistent SQLite copy; PostgreSQL is pointed at pg_dump."""

from __future__ import annotations

import sqlite3


def test_the_backup_is_a_readable_copy_with_every_row(app, rep, runner, backend, tmp_path):
    rep.tap("sale")
    target = tmp_path / "copies" / "closer-copy.db"
    result = runner.invoke(args=["backup", str(target)])
    if backend == "postgresql":
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT outcome FROM calls").fetchall() == [("sale",)]
        assert copy.execute("SELECT email FROM users").fetchall() == [("rep@example.com",)]
    finally:
        copy.close()
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output
