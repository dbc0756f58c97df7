#!/usr/bin/env python
"""CPU cost of one tap, with the game evaluated, against the foundation's tap and across history sizes.

    .venv/bin/python bench/game_tap.py [--taps 300] [--foundation 052934a]

Each measurement runs in its own process through the Flask test client on a
fresh SQLite file: register a rep, optionally give them N earlier calls
(bulk-inserted with matching aggregates, spread over past days), warm up,
then time ``--taps`` taps (POST /calls as htmx, with CSRF). It reports CPU
time per tap (``time.process_time``, which other processes on the machine
disturb far less than wall time) and the throughput that implies for one
core. The foundation is measured from a git worktree of its commit, the
current tap from a frozen copy of the working tree taken at the start.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile

from harness import ROOT
from harness.machine import describe
from harness.snapshot import code_fingerprint, run_json_in, snapshot_code

MEASURE = r"""
import json, os, random, sys, tempfile, time, uuid
from datetime import datetime, timedelta, timezone
sys.path.insert(0, os.environ["CLOSER_ROOT"])
os.environ["CLOSER_ENV"] = "testing"
from webapp import create_app
from webapp.extensions import db

history, taps = int(sys.argv[1]), int(sys.argv[2])
workdir = tempfile.mkdtemp()
app = create_app({"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(workdir, "bench.db")})
with app.app_context():
    db.create_all()
client = app.test_client()
token = client.get("/api/v1/csrf").get_json()["csrf_token"]
client.post("/register", data={"email": "b@example.com", "display_name": "Bench", "password": "a long enough phrase",
                               "timezone": "UTC"}, headers={"X-CSRFToken": token})
# Registering ends on the login page; log in like a rep.
client.post("/login", data={"email": "b@example.com", "password": "a long enough phrase"},
            headers={"X-CSRFToken": client.get("/api/v1/csrf").get_json()["csrf_token"]})
token = client.get("/api/v1/csrf").get_json()["csrf_token"]
headers = {"X-CSRFToken": token, "HX-Request": "true"}

if history:
    from sqlalchemy import insert
    from webapp.models import Call, DailyTotal, User
    try:
        from webapp.models import PlayerTotals
    except ImportError:
        PlayerTotals = None
    outcomes = [
        "no_answer", "voicemail", "gatekeeper", "not_interested", "conversation", "follow_up", "meeting", "sale"
    ]
    from webapp.domain.outcomes import points_for
    rng = random.Random(1)
    now = datetime.now(timezone.utc)
    per_day = 60
    days = max(1, history // per_day)
    rows, totals = [], {}
    for n in range(history):
        day = now.date() - timedelta(days=2 + n // per_day)
        when = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc) + timedelta(minutes=n % per_day * 7)
        outcome = rng.choice(outcomes)
        rows.append({"user_id": 1, "client_id": uuid.UUID(int=rng.getrandbits(128)), "outcome": outcome,
                     "occurred_at": when, "local_date": day, "points": points_for(outcome), "created_at": when})
        t = totals.setdefault(day, {o: 0 for o in outcomes} | {"dials": 0, "points": 0})
        t[outcome] += 1; t["dials"] += 1; t["points"] += points_for(outcome)
    with app.app_context():
        db.session.execute(insert(Call), rows)
        db.session.execute(insert(DailyTotal), [{"user_id": 1, "local_date": d, **t} for d, t in totals.items()])
        if PlayerTotals is not None:
            life = {o: sum(t[o] for t in totals.values()) for o in outcomes}
            db.session.execute(insert(PlayerTotals), [{"user_id": 1, "dials": history, **life}])
        db.session.get(User, 1).xp = sum(t["points"] for t in totals.values())
        db.session.commit()

outcomes = ["no_answer", "voicemail", "gatekeeper", "not_interested", "conversation"]
def tap(i):
    r = client.post("/calls", data={"outcome": outcomes[i % 5], "client_id": str(uuid.uuid4())}, headers=headers)
    assert r.status_code == 200, r.status_code
for i in range(30):
    tap(i)
cpu, wall = time.process_time(), time.perf_counter()
for i in range(taps):
    tap(i)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"cpu_ms": cpu / taps * 1000, "wall_ms": wall / taps * 1000}))
"""


def measure(root: str, history: int, taps: int) -> dict:
    """Run one measurement in a fresh process with the code at ``root``."""
    return run_json_in(root, ["-c", MEASURE, str(history), str(taps)], 1800, {"CLOSER_ROOT": root})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=300)
    parser.add_argument("--foundation", default="052934a", help="commit of the foundation's tap")
    parser.add_argument("--history", type=int, default=100_000, help="earlier calls of the long-history row")
    args = parser.parse_args()
    worktree = tempfile.mkdtemp(prefix="closer-foundation-")
    subprocess.run(
        ["git", "worktree", "add", "--detach", worktree, args.foundation], cwd=ROOT, check=True, capture_output=True
    )
    workdir = tempfile.TemporaryDirectory(prefix="closer-game-tap-")
    try:
        current = snapshot_code(workdir.name, settle=0)
        print(f"current code: sha256 {code_fingerprint(current)[0]}; machine: {describe(servers=False)}")
        runs = [
            ("foundation tap (" + args.foundation + ")", worktree, 100),
            ("tap with the game, 100 earlier calls", current, 100),
            (f"tap with the game, {args.history:,} earlier calls", current, args.history),
        ]
        results = [(label, measure(root, history, args.taps)) for label, root, history in runs]
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", worktree], cwd=ROOT, capture_output=True)
        workdir.cleanup()
    base = results[0][1]["cpu_ms"]
    print("| tap | CPU per tap | taps/s per core | vs foundation |")
    print("|---|---:|---:|---:|")
    for label, r in results:
        print(f"| {label} | {r['cpu_ms']:.2f} ms | {1000 / r['cpu_ms']:.0f} | {base / r['cpu_ms']:.0%} |")
    small, large = results[1][1]["cpu_ms"], results[2][1]["cpu_ms"]
    print(f"\n{args.history:,} vs 100 earlier calls: {large / small:.2f}x the CPU per tap")


if __name__ == "__main__":
    main()
