#!/usr/bin/env python
"""What loading the rep costs on every request: by user id (before) and by device session (now).

    .venv/bin/python bench/user_loader.py [--loads 2000] [--rounds 5] [--db sqlite|postgresql|both]

In-process, no HTTP: a fresh database with one rep and one device session,
then ``--rounds`` rounds of ``--loads`` loads each way, alternating. Each load
starts like a request does (an empty session, a fresh transaction) and runs
one statement built once: the old ``SELECT users WHERE id`` and today's
``SELECT users JOIN device_sessions WHERE token_hash`` (plus the token's
sha256). PostgreSQL: a database of its own on the server of
``TEST_DATABASE_URL`` (``<its database>_users``), dropped afterwards.
Prints the median round per load, in microseconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from harness import ROOT, snapshot
from harness.databases import dispose, in_process_app, postgres_database, sqlite_database

snapshot.use_code(ROOT)


def run(db: str, loads: int, rounds: int) -> tuple[float, float]:
    from sqlalchemy import bindparam, select

    from webapp.extensions import db as sqla
    from webapp.models import User
    from webapp.services import accounts, device_sessions

    by_id = select(User).where(User.id == bindparam("user_id"))  # the loader before device sessions

    def old(user_id: int, _token: str) -> None:
        sqla.session.execute(by_id, {"user_id": user_id}).scalar_one_or_none()

    def new(_user_id: int, token: str) -> None:
        device_sessions.user_for(token)

    with tempfile.TemporaryDirectory() as workdir:
        database = sqlite_database(workdir) if db == "sqlite" else postgres_database("users")
        app = in_process_app(database.url)
        with app.app_context():
            sqla.create_all()
            user = accounts.register("bench@example.com", "Bench", "a long enough phrase", "UTC")
            token = device_sessions.start(user, "bench")
            user_id = user.id
            timings: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(rounds):
                for name, load in (("old", old), ("new", new)):
                    start = time.perf_counter()
                    for _ in range(loads):
                        sqla.session.rollback()
                        sqla.session.expunge_all()
                        load(user_id, token)
                    timings[name].append((time.perf_counter() - start) / loads * 1e6)
        dispose(app)
        database.drop()
    return statistics.median(timings["old"]), statistics.median(timings["new"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print("| db | by user id (before) | by device session (now) | difference |")
    print("|---|---:|---:|---:|")
    for kind in kinds:
        old, new = run(kind, args.loads, args.rounds)
        print(f"| {kind} | {old:.0f} µs | {new:.0f} µs | {new - old:+.0f} µs |")


if __name__ == "__main__":
    main()
