#!/usr/bin/env python
"""Leaderboard render time: a team of 200 reps over 10,000 and over 1,000,000 calls.

    .venv/bin/python bench/leaderboard.py [--db sqlite|postgresql|both] [--runs 50] [--sizes 10000,1000000]
        [--no-write]

For each database and each size: build a fresh database (SQLite in a temp
directory; PostgreSQL: ``<database of TEST_DATABASE_URL>_teams`` on that server,
one schema per size, dropped afterwards), bulk-insert 200
reps in one team and the calls (50 per rep per working day, going back from
today as far as the size needs: 1 day for 10,000 calls, 100 working days for
1,000,000; every fourth rep's calls logged by a dialer, so boards carry the
mark), then build ``daily_totals`` and ``player_totals`` (the best day kept as
a tap today leaves it) from those calls with one GROUP BY each, so the
aggregates match the calls exactly. Then time, through the Flask test
client as the logged-in coach, the median of ``--runs`` renders of:

- the board fragment the team page polls (this week, points): the headline;
- the same fragment for this month by "% of own goal" (the heaviest metric);
- the JSON board; and the whole team page (board, feed, challenge bar).

Nothing here reads the calls table at render time; the point of the 1.5x
ratio check is to show that. Prints a markdown table and writes the
"## Leaderboard" section of BENCHMARKS.md (only that section).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from harness import ROOT, report, snapshot
from harness.databases import Database, dispose, in_process_app, postgres_database
from harness.machine import describe

snapshot.use_code(ROOT)

from sqlalchemy import func, select, text  # noqa: E402

from webapp.domain.outcomes import OUTCOME_CODES, points_for  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Call, DailyTotal, Team, TeamMember, User  # noqa: E402
from webapp.services.accounts import hash_password  # noqa: E402

SECTION = "## Leaderboard"
REPS = 200
CALLS_PER_DAY = 50
SIZES = (10_000, 1_000_000)
PASSWORD = "bench phrase, long enough"
BUDGET_MS = 15.0
MAX_RATIO = 1.5
WEIGHTS = {
    "no_answer": 40,
    "voicemail": 22,
    "gatekeeper": 12,
    "not_interested": 12,
    "conversation": 8,
    "follow_up": 3,
    "meeting": 2,
    "sale": 1,
}


def make_app(url: str, schema: str | None = None):
    """The app on ``url`` (on PostgreSQL, inside ``schema``)."""
    options = {"pool_pre_ping": True}
    if schema:
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return in_process_app(url, SQLALCHEMY_ENGINE_OPTIONS=options, WTF_CSRF_ENABLED=False)


# ---------------------------------------------------------------- data


def working_days_back(today: date, count: int) -> list[date]:
    """The last ``count`` weekdays up to today."""
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def source_of(uid: int) -> str:
    """Every fourth rep dials through a dialer, which logs their calls; the others tap."""
    return "dialer" if uid % 4 == 0 else "app"


def generate_calls(user_ids: list[int], total: int, today: date, seed: int = 11):
    """(user_id, client_id hex, outcome, occurred_at, local_date, points), 50 per rep per working day."""
    rng = random.Random(seed)
    per_rep = total // len(user_ids)
    days = working_days_back(today, -(-per_rep // CALLS_PER_DAY))
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    points = {code: points_for(code) for code in OUTCOME_CODES}
    for uid in user_ids:
        outcomes = rng.choices(codes, weights, k=per_rep)
        for n, outcome in enumerate(outcomes):
            day = days[n // CALLS_PER_DAY]
            when = datetime(day.year, day.month, day.day, 9, 0) + timedelta(seconds=(n % CALLS_PER_DAY) * 500)
            yield uid, uuid.UUID(int=rng.getrandbits(128)), outcome, when, day, points[outcome]


def build(url: str, total: int, today: date, schema: str | None = None):
    """A fresh database with the team, its reps and ``total`` calls; returns (app, team id, seconds)."""
    started = time.perf_counter()
    app = make_app(url, schema)
    with app.app_context():
        db.create_all()
        password = hash_password(PASSWORD)
        users = [
            User(
                email=f"rep{n:03}@bench.test",
                display_name=f"Rep {n:03}",
                password_hash=password,
                timezone="UTC",
                goal_dials=30 + (n % 5) * 10,
            )
            for n in range(REPS)
        ]
        db.session.add_all(users)
        team = Team(name="Bench Team", timezone="UTC", version=0)
        db.session.add(team)
        db.session.flush()
        db.session.add_all(
            TeamMember(user_id=u.id, team_id=team.id, role="coach" if n == 0 else "member", private_mode=False)
            for n, u in enumerate(users)
        )
        db.session.commit()
        rows = generate_calls([u.id for u in users], total, today)
        if db.engine.dialect.name == "postgresql":
            copy_calls_pg(rows)
        else:
            insert_calls_sqlite(rows)
        aggregate_days(today)
        team_id = team.id
    return app, team_id, time.perf_counter() - started


def insert_calls_sqlite(rows) -> None:
    """Plain executemany in batches, values already in SQLite's stored form."""
    conn = db.engine.raw_connection()
    try:
        cursor = conn.cursor()
        sql = (
            "INSERT INTO calls (user_id, client_id, outcome, occurred_at, local_date, points, bounce_back, created_at,"
            " source) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)"
        )
        batch = []
        for uid, cid, outcome, when, day, pts in rows:
            stamp = when.isoformat(" ", "microseconds")
            batch.append((uid, cid.hex, outcome, stamp, day.isoformat(), pts, stamp, source_of(uid)))
            if len(batch) >= 50_000:
                cursor.executemany(sql, batch)
                batch.clear()
        cursor.executemany(sql, batch)
        conn.commit()
    finally:
        conn.close()


def copy_calls_pg(rows) -> None:
    """COPY, the fast path into PostgreSQL."""
    conn = db.engine.raw_connection()
    try:
        with conn.cursor() as cursor:
            cols = "(user_id, client_id, outcome, occurred_at, local_date, points, bounce_back, created_at, source)"
            with cursor.copy(f"COPY calls {cols} FROM STDIN") as copy:
                for uid, cid, outcome, when, day, pts in rows:
                    copy.write_row((uid, cid, outcome, when, day, pts, False, when, source_of(uid)))
        conn.commit()
    finally:
        conn.close()


def aggregate_days(today: date) -> None:
    """``daily_totals`` from the calls, and ``player_totals`` from those, with one GROUP BY each: the aggregates
    match the calls by construction, and each rep's best day before today is kept as of today, as a tap leaves it."""
    per_outcome = ", ".join(f"SUM(CASE WHEN outcome = '{code}' THEN 1 ELSE 0 END)" for code in OUTCOME_CODES)
    by_dialer = "SUM(CASE WHEN source IN ('api', 'dialer') THEN 1 ELSE 0 END)"
    db.session.execute(
        text(
            f"INSERT INTO daily_totals (user_id, local_date, dials, points, {', '.join(OUTCOME_CODES)}, bounce_backs,"
            " dialer_calls, first_call_minute, dial_target, goal_met, counted)"
            f" SELECT user_id, local_date, COUNT(*), SUM(points), {per_outcome}, 0, {by_dialer}, 540, 40,"
            " COUNT(*) >= 40, TRUE FROM calls GROUP BY user_id, local_date"
        )
    )
    outcomes = ", ".join(f"SUM({code})" for code in OUTCOME_CODES)
    db.session.execute(
        text(
            f"INSERT INTO player_totals (user_id, dials, {', '.join(OUTCOME_CODES)}, bounce_backs, goal_days, reviews,"
            " resets, high_fives_given, messages_posted, challenges_reached, best_day_dials, best_day_as_of)"
            f" SELECT user_id, SUM(dials), {outcomes}, 0, SUM(CASE WHEN goal_met THEN 1 ELSE 0 END), 0, 0, 0, 0, 0,"
            " COALESCE(MAX(CASE WHEN local_date < :today THEN dials END), 0), :today"
            " FROM daily_totals GROUP BY user_id"
        ),
        {"today": today},
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


# ---------------------------------------------------------------- timing


ENDPOINTS = {
    "board": "/teams/{team}/board?period=week&metric=points",
    "goal_month": "/teams/{team}/board?period=month&metric=goal",
    "json": "/api/v1/teams/{team}/leaderboard?period=week&metric=points",
    "page": "/teams/{team}?period=week&metric=points",
}


def timed_get(client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request.

    CPU time (this thread's) is the server's own work; wall-clock also counts
    waiting for a CPU, which on a shared machine can dominate.
    """
    started, started_cpu = time.perf_counter(), time.thread_time()
    response = client.get(url)
    cpu = (time.thread_time() - started_cpu) * 1000
    wall = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def coach_client(app, team_id: int):
    """A test client logged in as the coach, after checking the aggregates match the calls."""
    client = app.test_client()
    assert client.post("/login", data={"email": "rep000@bench.test", "password": PASSWORD}).status_code == 303
    with app.app_context():
        calls = db.session.scalar(select(func.count()).select_from(Call))
        day_rows = db.session.scalar(select(func.count()).select_from(DailyTotal))
        assert db.session.scalar(select(func.sum(DailyTotal.dials))) == calls
    html = client.get(ENDPOINTS["board"].format(team=team_id), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.count('<li class="board__row') >= 10
    assert 'class="board__dialer"' in html  # the dialer's reps carry the mark
    return client, calls, day_rows


def measure(builds: list, runs: int, backend: str) -> list[dict]:
    """Time every page on every size, interleaved request by request, so load on the machine hits all alike."""
    setups = []
    for size, app, team_id, build_s in builds:
        client, calls, day_rows = coach_client(app, team_id)
        urls = {name: url.format(team=team_id) for name, url in ENDPOINTS.items()}
        setups.append((size, client, urls, {"calls": calls, "day_rows": day_rows, "build_s": build_s}))
    samples = {(size, name): [] for size, *_ in setups for name in ENDPOINTS}
    for round_ in range(runs + 5):
        for size, client, urls, _ in setups:
            for name, url in urls.items():
                sample = timed_get(client, url)
                if round_ >= 5:  # the first five rounds warm up
                    samples[size, name].append(sample)
    results = []
    for size, _client, _urls, info in setups:
        figures = {
            name: (
                statistics.median(w for w, _ in samples[size, name]),
                statistics.median(c for _, c in samples[size, name]),
            )
            for name in ENDPOINTS
        }
        results.append({**info, **figures, "backend": backend, "size": size, "load": os.getloadavg()[0]})
        print(
            f"{backend:10} {size:>9,} calls: board {ms(figures['board'])}, month/goal "
            f"{ms(figures['goal_month'])}, json {ms(figures['json'])}, page {ms(figures['page'])} "
            f"({info['day_rows']:,} day rows; load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return results


def run_backend(backend: str, runs: int, today: date, sizes: tuple[int, ...]) -> list[dict]:
    """Build one database per size (PostgreSQL: one schema per size), then measure them side by side."""
    tmp = tempfile.mkdtemp(prefix="closer-bench-teams-")
    builds = []
    pg: Database | None = None
    try:
        if backend == "postgresql":
            pg = postgres_database("teams", schemas=tuple(f"calls_{size}" for size in sizes))
        for size in sizes:
            if pg is not None:
                app, team_id, build_s = build(pg.url, size, today, schema=f"calls_{size}")
            else:
                app, team_id, build_s = build("sqlite:///" + os.path.join(tmp, f"bench-{size}.db"), size, today)
            print(f"{backend:10} {size:>9,} calls built in {build_s:.0f} s", flush=True)
            builds.append((size, app, team_id, build_s))
        return measure(builds, runs, backend)
    finally:
        for _, app, _, _ in builds:
            dispose(app)
        if pg is not None:
            pg.drop()
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- report


def ms(pair: tuple[float, float]) -> str:
    """A (wall, CPU) pair as the table shows it."""
    return f"{pair[0]:.2f} / {pair[1]:.2f} ms"


def within_budget(small: dict, large: dict) -> bool:
    """The board fragment's CPU time: within budget at the largest size, and barely above its smallest-size time."""
    return large["board"][1] <= BUDGET_MS and large["board"][1] / small["board"][1] <= MAX_RATIO


def days_of(size: int) -> str:
    days = -(-size // REPS // CALLS_PER_DAY)
    return f"{size:,} calls = {days} working day{'s' if days > 1 else ''}"


def section(results: list[dict], runs: int, sizes: tuple[int, ...]) -> str:
    small_size, large_size = sizes[0], sizes[-1]
    lines = [
        SECTION,
        "",
        f"A team of {REPS} reps; {CALLS_PER_DAY} calls per rep per working day going back from today "
        f"({'; '.join(days_of(size) for size in sizes)} of history). Server time through the Flask "
        f"test client, logged in as the coach, median of {runs} renders after 5 warm-ups "
        "(the sizes and pages interleaved request by request), as "
        "**wall-clock / CPU** milliseconds (CPU: the request thread's own time, which a busy shared machine "
        f"does not inflate; the 1-minute load average was {max(r['load'] for r in results):.1f} at worst "
        f"during these runs, on {os.cpu_count()} CPUs). The board reads "
        "`daily_totals` only (one query: per member, a sum over an index range of the period's dates); "
        "the calls table is never "
        f"touched at render time. Budget (on CPU time): the board fragment within {BUDGET_MS:.0f} ms, and at "
        f"most {MAX_RATIO}x its {small_size:,}-call time at {large_size:,} calls.",
        "",
        "| database | calls | day rows | board fragment (week, points) | month, % of goal | JSON board "
        "| whole team page | build |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['calls']:,} | {r['day_rows']:,} | {ms(r['board'])} | "
            f"{ms(r['goal_month'])} | {ms(r['json'])} | {ms(r['page'])} | {r['build_s']:.0f} s |"
        )
    lines.append("")
    for backend in dict.fromkeys(r["backend"] for r in results):
        small, large = (
            next(r for r in results if r["backend"] == backend and r["size"] == s) for s in (small_size, large_size)
        )
        ratio = large["board"][1] / small["board"][1]
        verdict = "within budget" if within_budget(small, large) else "OVER BUDGET"
        lines.append(
            f"- {backend}: board CPU time at {large_size:,} calls {large['board'][1]:.2f} ms, "
            f"{ratio:.2f}x its time at {small_size:,} (wall-clock {large['board'][0]:.2f} ms, "
            f"{large['board'][0] / small['board'][0]:.2f}x): {verdict}."
        )
    lines += [
        "",
        f"Machine: {describe(servers=False)}; {report.now_utc()}.",
        "",
        f"Command: `{report.command_line('leaderboard.py')}` (PostgreSQL: a database of its own, "
        "`<database of TEST_DATABASE_URL>_teams`, on that server, dropped afterwards). `--db sqlite` for SQLite "
        "only, `--runs N`, `--sizes 10000,1000000`, `--no-write` to print only.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="calls in the team, comma-separated (default %(default)s)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    sizes = tuple(sorted(int(size) for size in args.sizes.split(",")))
    today = datetime.now(UTC).date()
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = [r for backend in backends for r in run_backend(backend, args.runs, today, sizes)]
    report.publish(SECTION, section(results, args.runs, sizes), args.no_write)
    over = [r for r in results if r["board"][1] > BUDGET_MS]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
