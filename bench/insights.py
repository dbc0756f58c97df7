#!/usr/bin/env python
"""Insights and bigger picture: server time to render both pages for a rep with two years of calls.

    .venv/bin/python bench/insights.py [--calls 100000] [--runs 30] [--db sqlite|postgresql|both] [--no-write]

For each database: a fresh one (a file under a temporary folder for SQLite; for
PostgreSQL ``<database of TEST_DATABASE_URL>_insights`` on that server, dropped
afterwards), one rep with about ``--calls`` calls
spread over the last 730 days, bulk-inserted in SQL together with the
aggregates the write path would have kept (day totals, lifetime totals, the
hour-of-week table), plus reviews of a fifth of the no's (and their weekly
aggregate), tough calls and finished resets. Then both pages are requested
through the Flask test client, in process: a few warm-up requests, then
``--runs`` timed ones each; the median and the 95th percentile are reported.
Every page is checked for the rep's lifetime dial count first, so a page that
renders the wrong numbers fast cannot pass. The target is a median of at most
50 ms. Writes the "## Insights and bigger picture" section of BENCHMARKS.md.

Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from harness import ROOT, report, snapshot
from harness.databases import Database, dispose, in_process_app, postgres_database, sqlite_database
from harness.machine import describe, loadavg

snapshot.use_code(ROOT)

SECTION = "## Insights and bigger picture"
TARGET_MS = 50.0
DAYS = 730
TZ = "Europe/London"
EMAIL = "bench@closer.test"
PASSWORD = "bench phrase, long enough"
WARMUP = 3
OUTCOME_WEIGHTS = (
    ("no_answer", 44),
    ("voicemail", 22),
    ("gatekeeper", 10),
    ("not_interested", 13),
    ("conversation", 6),
    ("follow_up", 3),
    ("meeting", 1.5),
    ("sale", 0.5),
)
REVIEW_SHARE = 0.2
TOUGH_SHARE = 0.1  # of the reviewed no's


# ---------------------------------------------------------------- the data


def build_history(user_id: int, calls_wanted: int, today: date, seed: int = 11) -> dict[str, list[dict]]:
    """Rows for every table, consistent with each other, as the write path would have left them."""
    from webapp.domain.insights import week_start
    from webapp.domain.outcomes import CONVERSATIONS, points_for
    from webapp.domain.resilience import BOUNCE_BACK_POINTS, is_bounce_back
    from webapp.domain.reviews import OBJECTIONS, REVIEW_POINTS

    rng = random.Random(seed)
    tz = ZoneInfo(TZ)
    codes = [c for c, _ in OUTCOME_WEIGHTS]
    weights = [w for _, w in OUTCOME_WEIGHTS]
    talks = {o.value for o in CONVERSATIONS}
    # Weekdays, and one weekend day in five: the calling days of two years.
    calling_days = [today - timedelta(days=back) for back in range(DAYS, 0, -1)]
    calling_days = [d for d in calling_days if d.weekday() < 5 or rng.random() < 0.2]
    per_day = calls_wanted / len(calling_days)
    calls, reviews, tough = [], [], []
    days: dict[date, dict] = {}
    hourly: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    weeks: dict[date, dict] = defaultdict(lambda: defaultdict(int))
    previous = None
    call_id = 0
    for day in calling_days:
        count = max(0, round(rng.gauss(per_day, per_day * 0.15)))
        moment = datetime.combine(day, datetime.min.time().replace(hour=9), tz).astimezone(UTC)
        for _ in range(count):
            moment += timedelta(seconds=rng.randint(20, 200))
            outcome = rng.choices(codes, weights)[0]
            bounce = previous is not None and is_bounce_back(previous[0], previous[1], moment)
            call_id += 1
            points = points_for(outcome) + (BOUNCE_BACK_POINTS if bounce else 0)
            local = moment.astimezone(tz)
            calls.append(
                {
                    "id": call_id,
                    "user_id": user_id,
                    "client_id": uuid.UUID(int=rng.getrandbits(128)),
                    "outcome": outcome,
                    "occurred_at": moment,
                    "local_date": day,
                    "points": points,
                    "bounce_back": bounce,
                    "created_at": moment,
                    "undone_at": None,
                }
            )
            row = days.setdefault(
                day,
                {
                    "dials": 0,
                    "points": 0,
                    "bounce_backs": 0,
                    "first": local.hour * 60 + local.minute,
                    **{c: 0 for c in codes},
                },
            )
            row["dials"] += 1
            row["points"] += points
            row[outcome] += 1
            row["bounce_backs"] += bounce
            slot = hourly[(local.weekday(), local.hour)]
            slot[0] += 1
            slot[1] += outcome in talks
            if outcome == "not_interested" and rng.random() < REVIEW_SHARE:
                objection = rng.choice(OBJECTIONS)[0]
                answers = {
                    t: rng.choice((True, True, False, None))
                    for t in ("asked_right_questions", "listened_actively", "timing_right")
                }
                reviews.append(
                    {
                        "user_id": user_id,
                        "call_id": call_id,
                        "week_start": week_start(day),
                        "objection": objection,
                        "next_time": "Ask about timing first",
                        "points": REVIEW_POINTS,
                        "created_at": moment,
                        "updated_at": moment,
                        **answers,
                    }
                )
                week = weeks[week_start(day)]
                week["reviews"] += 1
                week[objection] += 1
                for toggle, answer in answers.items():
                    if answer is not None:
                        week[f"{toggle}_answered"] += 1
                        week[f"{toggle}_yes"] += answer
                row["points"] += REVIEW_POINTS
                if rng.random() < TOUGH_SHARE:
                    tough.append({"user_id": user_id, "call_id": call_id, "marked_at": moment, "shared_at": None})
            previous = (outcome, moment)

    week_columns = [
        "reviews",
        "no_budget",
        "bad_timing",
        "too_busy",
        "not_decision_maker",
        "happy_with_provider",
        "other",
    ] + [
        f"{t}_{p}" for t in ("asked_right_questions", "listened_actively", "timing_right") for p in ("yes", "answered")
    ]
    totals = {c: sum(r[c] for r in days.values()) for c in codes}
    lifetime = {
        "user_id": user_id,
        "dials": len(calls),
        **totals,
        "bounce_backs": sum(r["bounce_backs"] for r in days.values()),
        "goal_days": 0,
        "reviews": len(reviews),
        "resets": 0,
        "high_fives_given": 0,
        "messages_posted": 0,
        "challenges_reached": 0,
        "best_day_dials": max(r["dials"] for r in days.values()),
        "best_day_as_of": today,
    }
    return {
        "calls": calls,
        "daily_totals": [
            {
                "user_id": user_id,
                "local_date": d,
                "dials": r["dials"],
                "points": r["points"],
                "bounce_backs": r["bounce_backs"],
                "first_call_minute": r["first"],
                "dial_target": 40,
                "goal_met": r["dials"] >= 40,
                "counted": d.weekday() < 5,
                **{c: r[c] for c in codes},
            }
            for d, r in days.items()
        ],
        "player_totals": [lifetime],
        "hourly_activity": [
            {"user_id": user_id, "weekday": wd, "hour": h, "dials": v[0], "conversations": v[1]}
            for (wd, h), v in hourly.items()
        ],
        "call_reviews": reviews,
        "review_weeks": [
            {"user_id": user_id, "week_start": w, **{c: counts.get(c, 0) for c in week_columns}}
            for w, counts in weeks.items()
        ],
        "tough_calls": tough,
    }


def load(app, calls_wanted: int) -> tuple[int, int]:
    """Create the rep and bulk-insert the history; returns (calls, reviews)."""
    from sqlalchemy import insert, select, update

    from webapp.extensions import db
    from webapp.models import User
    from webapp.services.accounts import hash_password
    from webapp.services.today import today_for

    with app.app_context():
        db.create_all()
        user = User(email=EMAIL, display_name="Bench Rep", password_hash=hash_password(PASSWORD), timezone=TZ)
        db.session.add(user)
        db.session.commit()
        data = build_history(user.id, calls_wanted, today_for(user))
        tables = db.metadata.tables
        for name in (
            "calls",
            "daily_totals",
            "player_totals",
            "hourly_activity",
            "call_reviews",
            "review_weeks",
            "tough_calls",
        ):
            rows = data[name]
            for start in range(0, len(rows), 5000):
                db.session.execute(insert(tables[name]), rows[start : start + 5000])
        xp = sum(r["points"] for r in data["daily_totals"])
        db.session.execute(update(User).where(User.id == user.id).values(xp=xp))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        assert db.session.scalar(select(User.xp).where(User.id == user.id)) == xp
        return len(data["calls"]), len(data["call_reviews"])


# ---------------------------------------------------------------- timing


def time_pages(app, runs: int, dials: int) -> dict[str, list[float]]:
    """Median-ready timings (ms) of both pages through the test client, after a check of their numbers."""
    client = app.test_client()
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD}, headers={"X-CSRFToken": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    expected = f"{dials:,}"
    timings: dict[str, list[float]] = {}
    for path in ("/insights", "/big-picture"):
        html = client.get(path).get_data(as_text=True)
        assert f'<td class="num">{expected}</td>' in html, f"{path} does not show {expected} dials"
        for _ in range(WARMUP):
            client.get(path)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings[path] = samples
    return timings


def p95(samples: list[float]) -> float:
    return report.percentile(samples, 95)


def run_database(db: Database, calls: int, runs: int) -> dict:
    """Load the history into ``db`` and time both pages; the database is dropped afterwards."""
    # TESTING off: the pages render as in production (errors are not propagated as exceptions).
    app = in_process_app(db.url, TESTING=False)
    try:
        made, reviews = load(app, calls)
        return {"db": db.label, "calls": made, "reviews": reviews, "timings": time_pages(app, runs, made)}
    finally:
        dispose(app)
        db.drop()


def section(results: list[dict], runs: int, calls: int) -> str:
    lines = [
        SECTION,
        "",
        f"Server time to render each page for one rep with two years of daily calling "
        f"(about {calls:,} calls), through the Flask test client in process: median and 95th percentile "
        f"of {runs} requests after {WARMUP} warm-up requests. Target: median at most {TARGET_MS:.0f} ms. "
        "Both pages read aggregates only (day totals, lifetime totals, the hour-of-week table and the weekly "
        "review table), never the calls.",
        "",
        "```",
        report.command_line("insights.py"),
        "```",
        "",
        "| database | calls | reviews | page | median ms | p95 ms | within target |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for result in results:
        for path, samples in result["timings"].items():
            median = statistics.median(samples)
            lines.append(
                f"| {result['db']} | {result['calls']:,} | {result['reviews']:,} | `{path}` | "
                f"{median:.1f} | {p95(samples):.1f} | {'yes' if median <= TARGET_MS else 'NO'} |"
            )
    lines += [
        "",
        f"Machine: {describe(servers=False)}. Measured {report.now_utc()}, load average {loadavg()} at the end "
        "(on a shared machine, figures taken while other work runs are upper bounds).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100_000, help="calls over two years (default 100000)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG_URL"),
        help="a URL on the PostgreSQL server to use instead of TEST_DATABASE_URL's; the benchmark makes "
        "its own database there, <that URL's database>_insights",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    if args.pg:
        os.environ["TEST_DATABASE_URL"] = args.pg
    results = []
    with tempfile.TemporaryDirectory(prefix="closer-bench-insights-") as workdir:
        if args.db in ("sqlite", "both"):
            results.append(run_database(sqlite_database(workdir), args.calls, args.runs))
        if args.db in ("postgresql", "both"):
            results.append(run_database(postgres_database("insights"), args.calls, args.runs))
    report.publish(SECTION, section(results, args.runs, args.calls), args.no_write)
    worst = max(statistics.median(s) for r in results for s in r["timings"].values())
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
