#!/usr/bin/env python
"""Today's buddy line: server time for a pair of 30 days and of 3 years.

    .venv/bin/python bench/buddy_line.py [--db sqlite|postgresql|both] [--runs 50] [--days 30,1095] [--no-write]

For each database: a fresh one (SQLite in a temporary folder; PostgreSQL
``<database of TEST_DATABASE_URL>_buddies`` on that server, dropped
afterwards) and, for each age, a team with two reps paired as buddies that
many days ago, with a day row for each of them for every day since (both
showed up), so the buddy streak is as long as the pair. Then ``/today/buddy``
(the fragment Today loads and refreshes every 60 seconds) is requested
through the Flask test client as one buddy of each pair: the first request
(which settles the pair's checkpoint once), a few warm-up requests, then
``--runs`` timed ones, the pairs taking turns request by request; the median
and the 95th percentile are reported. Each response is checked for the
streak ("together N days") first. Beside it, the old way of reading the
buddy streak (replaying every day from the pair's first, two queries per
buddy over the whole span) is timed in process, for comparison. The target:
the oldest pair's median at most 1.5 times the youngest's.
Writes the "## Buddy line" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta

from harness import ROOT, report, snapshot
from harness.databases import Database, dispose, in_process_app, postgres_database, sqlite_database
from harness.machine import describe, loadavg

snapshot.use_code(ROOT)

from sqlalchemy import insert  # noqa: E402

from webapp.domain.buddies import buddy_streak, pair_today  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import BuddyPair, BuddySeat, DailyTotal, Team, TeamMember, User  # noqa: E402
from webapp.services.accounts import hash_password  # noqa: E402
from webapp.services.teams import buddies  # noqa: E402
from webapp.services.today import today_for  # noqa: E402

SECTION = "## Buddy line"
PASSWORD = "bench phrase, long enough"


def emails(days: int) -> tuple[str, str]:
    """The two buddies of the pair that is ``days`` days old."""
    return (f"ana{days}@bench.test", f"ben{days}@bench.test")


AGES = (30, 1095)
WARMUP = 5
MAX_RATIO = 1.5


def load(app, days: int) -> None:
    """A team of two buddies of ``days`` days, both showing up every day before today."""
    with app.app_context():
        users = [
            User(email=email, display_name=email.split("@")[0].title(), password_hash=hash_password(PASSWORD))
            for email in emails(days)
        ]
        db.session.add_all(users)
        team = Team(name=f"Bench Team {days}", timezone="UTC", version=0)
        db.session.add(team)
        db.session.flush()
        db.session.add_all(
            TeamMember(user_id=u.id, team_id=team.id, role="coach" if n == 0 else "member", private_mode=False)
            for n, u in enumerate(users)
        )
        today = pair_today(today_for(users[0]), today_for(users[1]))
        first = today - timedelta(days=days)
        pair = BuddyPair(team_id=team.id, inviter_id=users[0].id, invitee_id=users[1].id, status="active")
        pair.started_on = first
        db.session.add(pair)
        db.session.flush()
        db.session.add_all(BuddySeat(user_id=u.id, pair_id=pair.id) for u in users)
        rows = [
            {
                "user_id": u.id,
                "local_date": first + timedelta(days=n),
                "dials": 12,
                "dial_target": 40,
                "min_dials": 10,
                "counted": True,
                "showed_up": True,
                "goal_met": False,
            }
            for u in users
            for n in range(days)
        ]
        db.session.execute(insert(DailyTotal), rows)
        db.session.commit()


def old_replay(app, runs: int, days: int) -> list[float]:
    """The buddy streak as it was read before the checkpoint: every day from the pair's first, each time."""
    samples = []
    with app.app_context():
        a, b = (db.session.query(User).filter_by(email=e).one() for e in emails(days))
        pair = buddies.pair_of(a.id)
        assert pair is not None and pair.started_on is not None
        for n in range(WARMUP + runs):
            started = time.perf_counter()
            today = pair_today(today_for(a), today_for(b))
            days_a = buddies._rep_days(a, pair.started_on, today)
            days_b = buddies._rep_days(b, pair.started_on, today)
            buddy_streak(pair.started_on, days_a, days_b, today)
            if n >= WARMUP:
                samples.append((time.perf_counter() - started) * 1000)
            db.session.expire_all()
    return samples


def time_lines(app, runs: int, ages: list[int]) -> dict[int, list[float]]:
    """Timings (ms) of each pair's line, the pairs taking turns request by request (the machine's drift hits all)."""
    clients = {}
    for days in ages:
        client = app.test_client()
        assert client.post("/login", data={"email": emails(days)[0], "password": PASSWORD}).status_code == 303
        html = client.get("/today/buddy").get_data(as_text=True)  # the first read settles the checkpoint
        assert f"together {days} days" in html, html[:2000]
        for _ in range(WARMUP):
            client.get("/today/buddy")
        clients[days] = client
    samples: dict[int, list[float]] = {days: [] for days in ages}
    for _ in range(runs):
        for days, client in clients.items():
            started = time.perf_counter()
            response = client.get("/today/buddy")
            response.get_data()
            samples[days].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return samples


def run(db_: Database, ages: list[int], runs: int) -> list[dict]:
    """Both pairs in one database, timed in turns; the database is dropped afterwards."""
    app = in_process_app(db_.url, WTF_CSRF_ENABLED=False, TESTING=False)
    try:
        with app.app_context():
            db.create_all()
        for days in ages:
            load(app, days)
        lines = time_lines(app, runs, ages)
        return [
            {"db": db_.label, "days": days, "line": lines[days], "old": old_replay(app, runs, days)} for days in ages
        ]
    finally:
        dispose(app)
        db_.drop()


def section(results: list[dict], runs: int) -> tuple[str, bool]:
    lines = [
        SECTION,
        "",
        "Server time of `/today/buddy` (the buddy line Today loads and refreshes every 60 s) for a pair "
        "whose buddy streak is as old as the pair, through the Flask test client in process: median and "
        f"95th percentile of {runs} requests after the first and {WARMUP} warm-up requests, both pairs in one "
        "database and taking turns request by request, so the machine's drift hits both alike. The buddy "
        "streak keeps a checkpoint on the pair (like the rep's own streak), so a read replays about a week "
        'whatever the pair\'s age. "Old replay" is the buddy streak alone read the way it was before the '
        "checkpoint (every day since the pair's first, on each read), for comparison. Target: the line's "
        f"median for the oldest pair at most {MAX_RATIO} times the youngest's.",
        "",
        "```",
        report.command_line("buddy_line.py"),
        "```",
        "",
        "| database | pair age (days) | line median ms | line p95 ms | old replay median ms |",
        "|---|---:|---:|---:|---:|",
    ]
    ok = True
    by_db: dict[str, list[dict]] = {}
    for result in results:
        by_db.setdefault(result["db"], []).append(result)
        lines.append(
            f"| {result['db']} | {result['days']:,} | {statistics.median(result['line']):.1f} | "
            f"{report.percentile(result['line'], 95):.1f} | {statistics.median(result['old']):.1f} |"
        )
    for rows in by_db.values():
        young, old = min(rows, key=lambda r: r["days"]), max(rows, key=lambda r: r["days"])
        ok = ok and statistics.median(old["line"]) <= MAX_RATIO * statistics.median(young["line"])
    lines += [
        "",
        f"Within target: {'yes' if ok else 'NO'}. Machine: {describe(servers=False)}. Measured "
        f"{report.now_utc()}, load average {loadavg()} at the end (on a shared machine, figures taken while "
        "other work runs are upper bounds).",
        "",
    ]
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per pair (default 50)")
    parser.add_argument("--days", default=",".join(map(str, AGES)), help="pair ages in days (default 30,1095)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    ages = [int(d) for d in args.days.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="closer-bench-buddies-") as workdir:
        if args.db in ("sqlite", "both"):
            results += run(sqlite_database(workdir, "buddies"), ages, args.runs)
        if args.db in ("postgresql", "both"):
            results += run(postgres_database("buddies"), ages, args.runs)
    text, ok = section(results, args.runs)
    report.publish(SECTION, text, args.no_write)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
