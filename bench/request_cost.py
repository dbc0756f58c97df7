#!/usr/bin/env python
"""Request cost: Python function calls and CPU per request, in process, for Today and a tap.

    .venv/bin/python bench/request_cost.py [--requests 300] [--against DIR] [--no-write]

Closer runs in this process through the Flask test client on a fresh SQLite
file: one rep registers, taps 30 times, then sends ``--requests`` of each
request while cProfile counts the Python function calls (a figure that does not
move with other load on the machine) and, in a second pass without the
profiler, ``time.process_time`` gives the CPU per request (which does).

``--against DIR`` (repeatable) measures another checkout of Closer the same way, in its own
process, side by side (for example ``git worktree add /tmp/before <commit>``),
so a change is judged on one machine in one run. Writes the
"## Request cost (in process)" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
import uuid

from harness import ROOT, report, snapshot
from harness.machine import describe

TITLE = "## Request cost (in process)"
OUTCOMES = ["no_answer", "voicemail", "gatekeeper", "not_interested", "conversation", "follow_up"]


def _measure(requests: int) -> dict:
    """Run inside the process whose ``sys.path`` starts with the code to measure."""
    from webapp import create_app
    from webapp.extensions import db

    workdir = tempfile.mkdtemp(prefix="closer-request-cost-")
    app = create_app(
        {
            "CLOSER_ENV": "testing",
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(workdir, "cost.db"),
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "PASSWORD_HASH": "scrypt:1024:8:1",
            "TASK_QUEUE_IMMEDIATE": False,
        }
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()

    def token() -> str:
        return client.get("/api/v1/csrf").get_json()["csrf_token"]

    form = {"email": "cost@example.com", "display_name": "Cost", "password": "a long bench password"}
    client.post("/register", data={**form, "timezone": "Europe/London"}, headers={"X-CSRFToken": token()})
    client.post("/login", data={"email": form["email"], "password": form["password"]}, headers={"X-CSRFToken": token()})
    headers = {"X-CSRFToken": token(), "HX-Request": "true"}
    rng = random.Random(7)

    def tap():
        data = {"outcome": rng.choice(OUTCOMES), "client_id": str(uuid.uuid4())}
        return client.post("/calls", data=data, headers=headers)

    def today():
        return client.get("/")

    for _ in range(30):
        assert tap().status_code == 200
    results = {}
    for name, send in (("GET / (Today)", today), ("POST /calls (tap, htmx)", tap)):
        for _ in range(20):
            answer = send()
        assert answer.status_code == 200, (name, answer.status_code)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            send()
        profiler.disable()
        calls = pstats.Stats(profiler).total_calls
        started = time.process_time()
        for _ in range(requests):
            answer = send()
        cpu_ms = (time.process_time() - started) * 1000 / requests
        results[name] = {"calls": calls / requests, "cpu_ms": cpu_ms, "bytes": len(answer.get_data())}
    return results


def _run(code_root: str, requests: int) -> dict:
    return snapshot.run_json_in(code_root, [os.path.abspath(__file__), "--inner", "--requests", str(requests)], 900)


def _commit(code_root: str) -> str:
    done = subprocess.run(["git", "-C", code_root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind (default 300)")
    parser.add_argument(
        "--against", metavar="DIR", action="append", default=[], help="another checkout to measure beside (repeatable)"
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    if args.inner:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(_measure(args.requests)))
        return 0
    roots = [("this checkout", ROOT)] + [("against", os.path.abspath(other)) for other in args.against]
    measured = [(label, root, _run(root, args.requests)) for label, root in roots]
    lines = [
        TITLE,
        "",
        f"Command: `{report.command_line('request_cost.py')}`",
        "",
        f"- Date: {report.now_utc()}",
        f"- Machine: {describe(servers=False)}.",
        "- In process, through the Flask test client, on a fresh SQLite file; one rep with 30 calls. Python "
        "function calls per request (cProfile) do not move with other load; CPU per request does.",
        "",
        "| code | request | Python calls | CPU | bytes |",
        "|---|---|---:|---:|---:|",
    ]
    for label, root, results in measured:
        for name, figures in results.items():
            lines.append(
                f"| {label} (`{_commit(root)}`) | {name} | {figures['calls']:,.0f} | {figures['cpu_ms']:.2f} ms "
                f"| {figures['bytes']:,} |"
            )
    report.publish(TITLE, "\n".join(lines) + "\n", args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
