#!/usr/bin/env python
"""Server time to apply one full outbox: ``POST /api/v1/sync`` with 1,000 queued taps.

    .venv/bin/python bench/offline_sync_batch.py [--items 1000] [--db sqlite|postgresql|both]

Runs the real app in-process (Flask test client, so the figure is handler time,
no network): a fresh database, one registered rep, then one batch of ``--items``
new taps, the same batch replayed (all duplicates, as after a lost answer), and a
batch of undos. PostgreSQL: a database of its own on the server of
``TEST_DATABASE_URL`` (``<its database>_sync``), dropped afterwards.
Prints a markdown table for the "Offline and sync" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

from harness import ROOT, snapshot
from harness.databases import dispose, in_process_app, postgres_database, sqlite_database

snapshot.use_code(ROOT)

OUTCOMES = ["no_answer", "voicemail", "gatekeeper", "not_interested", "conversation"]


def make_app(kind: str, workdir: str):
    """The app in process on a fresh database of ``kind``, its tables created; and that database."""
    from webapp.extensions import db as sqla

    database = sqlite_database(workdir) if kind == "sqlite" else postgres_database("sync")
    app = in_process_app(database.url)
    with app.app_context():
        sqla.create_all()
    return app, database


def timed_post(client, token, items) -> tuple[float, dict]:
    start = time.perf_counter()
    response = client.post("/api/v1/sync", json={"items": items}, headers={"X-CSRFToken": token})
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return elapsed, response.get_json()


def run(db: str, count: int) -> list[tuple[str, str, float, str]]:
    with tempfile.TemporaryDirectory() as workdir:
        app, database = make_app(db, workdir)
        client = app.test_client()
        token = client.get("/api/v1/csrf").get_json()["csrf_token"]
        client.post(
            "/register",
            data={
                "email": "bench@example.com",
                "display_name": "Bench",
                "password": "a long enough phrase",
                "timezone": "Europe/London",
            },
            headers={"X-CSRFToken": token},
        )
        # Registering ends on the login page; log in like a rep.
        token = client.get("/api/v1/csrf").get_json()["csrf_token"]
        login = {"email": "bench@example.com", "password": "a long enough phrase"}
        assert client.post("/login", data=login, headers={"X-CSRFToken": token}).status_code == 303
        token = client.get("/api/v1/csrf").get_json()["csrf_token"]
        now = datetime.now(UTC)
        taps = [
            {
                "client_id": str(uuid.uuid4()),
                "kind": "tap",
                "outcome": OUTCOMES[i % len(OUTCOMES)],
                "occurred_at": (now - timedelta(seconds=20 * (count - i))).isoformat(),
            }
            for i in range(count)
        ]
        rows = []
        for label, items in (
            ("new taps", taps),
            ("replay (all duplicates)", taps),
            ("undos", [{**t, "kind": "undo"} for t in taps]),
        ):
            elapsed, body = timed_post(client, token, items)
            statuses = {s: sum(1 for r in body["results"] if r["status"] == s) for s in ("accepted", "duplicate")}
            rows.append((db, label, elapsed, f"{statuses['accepted']} accepted, {statuses['duplicate']} duplicate"))
        dispose(app)
        database.drop()
        return rows


def main(argv=None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    lines = [f"| database | batch of {args.items} | server time | per item | result |", "|---|---|---:|---:|---|"]
    for db in dbs:
        for name, label, elapsed, result in run(db, args.items):
            lines.append(
                f"| {name} | {label} | {elapsed * 1000:.0f} ms | {elapsed / args.items * 1000:.2f} ms | {result} |"
            )
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(table)
    return table


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
