#!/usr/bin/env python
"""Load: 50 reps at once against Closer under gunicorn (2 sync workers), on SQLite and on PostgreSQL.

    .venv/bin/python bench/load.py [--db sqlite|postgresql|both] [--reps 50] [--seconds 60] [--rate 100]
        [--profile DIR] [--quiet-wait 60] [--settle 60] [--no-write]

For each database: a fresh one, migrated; Closer served from a frozen copy of the
code; ``--reps`` reps registered and logged in over HTTP, the first starting a
team that the others join through an invite link. The traffic is a mix: taps
(``POST /calls`` as htmx, a random outcome, a fresh client UUID, the CSRF
header), about one request in ten a board poll (``GET /teams/<id>/board``,
sending the ETag back as ``If-None-Match`` like a browser), one in ten a page
load (``GET /``), and one in twenty an undo of one of that rep's own acknowledged
taps. Two runs:

1. closed loop: each rep sends as soon as its last answer came, ``--seconds``: the capacity;
2. open loop: ``--rate`` requests per second at fixed intervals, whatever the answers,
   latency measured from each request's scheduled time (``harness/loadgen.py``).

After each run: errors (answers other than 2xx and 304, socket errors, 5xx in the
access log, "database is locked" in gunicorn's stderr) and the consistency of the
aggregates with the live calls. ``--profile DIR`` samples the workers with py-spy
during each run and adds where their time went. Writes "## Load: 50 reps".
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import uuid
from collections import deque
from dataclasses import dataclass, field

from harness import consistency, loadgen, profiling, report, snapshot
from harness.databases import app_env, fresh_database, migrate
from harness.machine import Monitor, describe, loadavg, machine_info, wait_for_quiet
from harness.reps import RepSession, register_over_http, start_team
from harness.servers import THREADED_ARGS, Server
from harness.web import form

SECTION = "## Load: 50 reps"
MIX = (("tap", 75), ("board", 10), ("page", 10), ("undo", 5))
GOAL_P99_MS = 100.0
BOARD = "/teams/{team}/board?period=today&metric=points"


class Mix:
    """What each rep sends next, and what it remembers from the answers (ETags, its acknowledged taps)."""

    def __init__(self, reps: list[RepSession], team_id: int, outcomes: list[str], seed: int):
        self.reps, self.team_id, self.outcomes = reps, team_id, outcomes
        self.rng = random.Random(seed)
        self.etags: dict[int, str] = {}
        self.taps: list[deque] = [deque(maxlen=8) for _ in reps]  # acknowledged client ids, newest last
        self.kinds, self.weights = [k for k, _ in MIX], [w for _, w in MIX]

    def next_request(self, actor: int) -> loadgen.Request:
        rep = self.reps[actor]
        kind = self.rng.choices(self.kinds, self.weights)[0]
        if kind == "undo" and not self.taps[actor]:
            kind = "tap"
        if kind == "tap":
            client_id = str(uuid.uuid4())
            body = form(outcome=self.rng.choice(self.outcomes), client_id=client_id).encode()
            return loadgen.Request("tap", "POST", "/calls", rep.headers(htmx=True), body, client_id)
        if kind == "undo":  # taken off the list now, so no two undos of one call are in flight
            client_id = self.taps[actor].pop()
            return loadgen.Request("undo", "POST", f"/calls/{client_id}/undo", rep.headers(htmx=True), b"")
        if kind == "board":
            headers = {"Cookie": rep.cookie, "HX-Request": "true"}
            if actor in self.etags:
                headers["If-None-Match"] = self.etags[actor]
            return loadgen.Request("board", "GET", BOARD.format(team=self.team_id), headers)
        return loadgen.Request("page", "GET", "/", {"Cookie": rep.cookie})

    def record(self, actor: int, request: loadgen.Request, response: loadgen.Response) -> None:
        if request.kind == "tap" and response.status == 200:
            self.taps[actor].append(request.context)
        elif request.kind == "board" and response.status == 200 and "etag" in response.headers:
            self.etags[actor] = response.headers["etag"]


@dataclass
class Run:
    """One loop against one database: what the client saw, what the server logged, what the data says."""

    db: str
    mode: str
    version: str = ""  # "SQLite 3.40.1", "PostgreSQL 15.2"
    result: loadgen.LoopResult | None = None
    log_statuses: dict = field(default_factory=dict)
    server_ms: dict = field(default_factory=dict)  # "METHOD route" -> server-side milliseconds
    locked: int = 0
    tracebacks: int = 0
    worker_cpu_ms: float = 0.0  # per request
    background_busy: float = 0.0
    loadavg: str = ""
    check: dict = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    monitor: Monitor | None = None
    failed: str = ""

    @property
    def fivexx(self) -> int:
        return sum(n for status, n in self.log_statuses.items() if status >= 500)

    @property
    def errors(self) -> int:
        r = self.result
        return r.bad_answers() + sum(r.socket_errors().values()) + self.fivexx + self.locked if r else 0


def one_run(mode: str, kind: str, server: Server, db, scenario: Mix, args, profile_dir: str | None) -> Run:
    run = Run(kind, mode, db.label)
    run.background_busy = wait_for_quiet(f"{kind} {mode}", args.quiet_wait)
    run.loadavg = loadavg()
    offset, cpu0 = server.access_size(), server.worker_cpu_seconds()
    locked0, tracebacks0 = server.stderr_count("database is locked"), server.stderr_count("Traceback")
    spies = profiling.start(server.worker_pids(), args.seconds, profile_dir, f"{kind}-{mode}") if profile_dir else []
    print(f"[{kind}] {mode} loop for {args.seconds} s" + (f" at {args.rate} requests/s" if mode == "open" else ""))
    with Monitor(server.worker_pids()) as run.monitor:
        if mode == "closed":
            run.result = loadgen.closed_loop(server.port, scenario, len(scenario.reps), args.seconds)
        else:
            run.result = loadgen.open_loop(server.port, scenario, len(scenario.reps), args.rate, args.seconds)
    if spies:
        run.profile = profiling.summarize(profiling.finish(spies))
    # Requests the client gave up on may still be queued: the check waits until the server has drained.
    server.wait_for_idle_log(quiet=3.0, limit=180.0)
    run.log_statuses = server.statuses_since(offset)
    run.server_ms = server.timings_since(offset)
    answered = sum(run.log_statuses.values())
    run.worker_cpu_ms = (server.worker_cpu_seconds() - cpu0) * 1000 / answered if answered else 0.0
    run.locked = server.stderr_count("database is locked") - locked0
    run.tracebacks = server.stderr_count("Traceback") - tracebacks0
    run.check = consistency.consistency(db)
    r = run.result
    print(
        f"[{kind}]   {len(r.samples)} requests, {r.rps:.0f} rps, p50 {r.p(50):.0f} ms, p99 {r.p(99):.0f} ms, "
        f"errors {run.errors}; {consistency.describe(run.check)}"
    )
    return run


def run_database(kind: str, args, workdir: str, code: str, seed: int) -> list[Run]:
    logdir = os.path.join(workdir, kind)
    os.makedirs(logdir, exist_ok=True)
    db = server = None
    try:
        db = fresh_database(kind, workdir, "load")
        migrate(db, code)
        server = Server(
            "closer", "webapp:create_app()", app_env(db, code), logdir, code_root=code, worker_args=THREADED_ARGS
        ).start()
        print(f"[{kind}] Closer on {server.url}; registering {args.reps} reps over HTTP")
        reps = [
            register_over_http(server.port, f"load{i:02d}@bench.test", f"Load Rep {i:02d}") for i in range(args.reps)
        ]
        team_id = start_team(server.port, reps[0], reps[1:])
        from webapp.domain.outcomes import OUTCOME_CODES

        scenario = Mix(reps, team_id, list(OUTCOME_CODES), seed)
        return [one_run(mode, kind, server, db, scenario, args, args.profile) for mode in ("closed", "open")]
    except Exception as error:  # noqa: BLE001 - a failed database is reported, the other still runs
        print(f"[{kind}] FAILED: {error}\n{server.tail() if server else ''}")
        return [Run(kind, "closed", failed=f"{type(error).__name__}: {error}")]
    finally:
        if server:
            server.stop()
        if db:
            db.drop()


# ---------------------------------------------------------------- report


def run_label(run: Run, rate: float) -> str:
    return "closed loop (capacity)" if run.mode == "closed" else f"open loop, {rate:.0f} requests/s offered"


def summary_table(runs: list[Run], rate: float) -> str:
    lines = [
        "| database | run | requests | rps | p50 | p99 | errors | aggregates |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for run in runs:
        if run.failed:
            lines.append(f"| {run.db} | - | - | - | - | - | {run.failed} | - |")
            continue
        r = run.result
        socket = ", ".join(f"{k} {v}" for k, v in sorted(r.socket_errors().items())) or "0"
        lines.append(
            f"| {run.db} | {run_label(run, rate)} | {len(r.samples):,} | {r.rps:.0f} | {r.p(50):.0f} ms | "
            f"{r.p(99):.0f} ms | non-2xx/304 {r.bad_answers()}, socket {socket}, 5xx in log {run.fivexx}, "
            f"locked {run.locked} | {'exact' if consistency.exact(run.check) else 'NOT exact'} |"
        )
    return "\n".join(lines)


ROUTES = {"tap": "POST /calls", "undo": "POST /calls/<id>/undo", "board": "GET /teams/<id>/board", "page": "GET /"}


def endpoint_table(runs: list[Run]) -> str:
    lines = [
        "| database | run | endpoint | requests | statuses | p50 | p99 | server p50 | server p99 | server max |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in (r for r in runs if not r.failed):
        for kind in run.result.kinds():
            server = run.server_ms.get(ROUTES[kind], [])
            statuses = ", ".join(f"{s}: {n}" for s, n in sorted(run.result.statuses(kind).items()))
            count = sum(1 for s in run.result.samples if s.kind == kind)
            lines.append(
                f"| {run.db} | {run.mode} | `{ROUTES[kind]}` | {count:,} "
                f"| {statuses} | {run.result.p(50, kind):.0f} ms | {run.result.p(99, kind):.0f} ms | "
                f"{report.percentile(server, 50):.0f} ms | {report.percentile(server, 99):.0f} ms | "
                f"{max(server, default=float('nan')):.0f} ms |"
            )
    return "\n".join(lines)


def goal_line(runs: list[Run], rate: float) -> str:
    done = [r for r in runs if not r.failed]
    verdicts = []
    for db in dict.fromkeys(r.db for r in runs):
        mine = [r for r in done if r.db == db]
        open_run = next((r for r in mine if r.mode == "open"), None)
        met = (
            len(mine) == 2
            and all(r.errors == 0 and consistency.exact(r.check) for r in mine)
            and open_run.result.p(99) < GOAL_P99_MS
        )
        detail = f"p99 at {rate:.0f}/s {open_run.result.p(99):.0f} ms" if open_run else "did not run"
        verdicts.append(f"{db} **{'meets' if met else 'misses'}** it ({detail})")
    return "Against the goal: " + "; ".join(verdicts) + "."


def run_notes(runs: list[Run]) -> str:
    notes = []
    for run in (r for r in runs if not r.failed):
        r = run.result
        lag = [s.lag * 1000 for s in r.samples]
        line = (
            f"- {run.db}, {run.mode}: {consistency.describe(run.check)}; tracebacks {run.tracebacks}; worker CPU "
            f"{run.worker_cpu_ms:.2f} ms per request; load generator {r.client_cpu / r.seconds:.0%} of a core"
        )
        if run.mode == "open":
            line += f", sending late by p99 {report.percentile(lag, 99):.1f} ms, at most {max(lag, default=0):.1f} ms"
        line += f"; background CPU {run.background_busy:.0f}% busy before it, load {run.loadavg}"
        slow = []
        for second, count, worst in r.slow_seconds(GOAL_P99_MS):
            seen = run.monitor.around(r.started + second + 0.5) if run.monitor else None
            where = f", machine {seen[0]:.0f}% busy, workers {seen[1]:.0f}% of a core" if seen else ""
            slow.append(f"second {second}: {count} over {GOAL_P99_MS:.0f} ms, worst {worst:,.0f} ms{where}")
        if slow:
            line += ". Seconds with the most slow requests: " + "; ".join(slow)
        notes.append(line + ".")
    return "\n".join(notes)


def profile_lines(runs: list[Run]) -> str:
    out = []
    for run in (r for r in runs if r.profile.get("samples")):
        p = run.profile
        share = lambda d: ", ".join(f"{k} {v:.0%}" for k, v in d.items())  # noqa: E731
        out.append(
            f"- {run.db}, {run.mode} ({p['samples']:,} samples of both workers, idle left out): by view: "
            f"{share(p['views'])}. By where the innermost frame was: {share(p['areas'])}. "
            f"Busiest functions of the app (inclusive): {share(dict(list(p['functions'].items())[:8]))}."
        )
    return "\n".join(out)


def render_section(runs: list[Run], args, info: dict, fingerprint: tuple[str, str], versions: list[str]) -> str:
    parts = [
        SECTION,
        "",
        f"Command: `{report.command_line('load.py')}`",
        "",
        f"- Date: {report.now_utc()}",
        f"- Machine: {describe(info, versions)}; the load generator, both workers and the database share the 2 cores.",
        f"- Server: Closer under gunicorn `{' '.join(THREADED_ARGS)}` on 127.0.0.1, from a frozen copy of the "
        f"code (sha256 `{fingerprint[0]}`, newest file {fingerprint[1]}), rate limits off.",
        f"- Reps: {args.reps}, registered and logged in over HTTP, in one team. Mix: "
        + ", ".join(f"{w}% {k}" for k, w in MIX)
        + " (tap: `POST /calls` as htmx with a random outcome, a fresh client UUID and the CSRF header; board: "
        f"`GET {BOARD}` as htmx with `If-None-Match`; page: `GET /`; undo: `POST /calls/<client_id>/undo` of one of "
        "the rep's own acknowledged taps).",
        f"- Runs: a closed loop of {args.seconds} s (each rep sends when its last answer came; the capacity), then an "
        f"open loop of {args.seconds} s at {args.rate:.0f} requests/s at fixed intervals (about "
        f"{args.rate * 60:,.0f} reps tapping once a minute), latency from each request's scheduled time "
        "(`bench/harness/loadgen.py`, so queueing is not hidden).",
        f"- Goal: 0 errors in both runs, p99 under {GOAL_P99_MS:.0f} ms at the fixed rate, on SQLite and PostgreSQL.",
        "",
        summary_table(runs, args.rate),
        "",
        "Errors: answers other than 2xx and 304 (a redirect to the login page counts), socket errors, 5xx in the "
        'access log, "database is locked" in gunicorn\'s stderr. Aggregates: after each run, every daily_totals row '
        "against the sums over that rep's live calls, each rep's xp against their live calls' points (plus review "
        "and reset points), player_totals against the live calls, and nothing negative.",
        "",
        "Per endpoint (client latency; server time from the access log, which leaves out the wait for a worker):",
        "",
        endpoint_table(runs),
        "",
        run_notes(runs),
        "",
        goal_line(runs, args.rate),
        "",
    ]
    if any(r.profile for r in runs):
        parts += ["Where the workers' time went (py-spy, 100 Hz, during the same runs):", "", profile_lines(runs), ""]
    return "\n".join(parts)


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)  # so the server and the bench database are cleaned up
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reps", type=int, default=50, help="reps sending at once (default 50)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each run (default 60)")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second of the open loop (default 100)")
    parser.add_argument("--profile", metavar="DIR", help="sample the workers with py-spy, raw stacks into DIR")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="seconds to wait at most for a quiet CPU")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds the app must be unedited before the copy")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    if args.reps < 2:
        parser.error("--reps must be at least 2 (a coach and a member)")
    if args.profile and profiling.py_spy() is None:
        parser.error("--profile needs py-spy: .venv/bin/pip install py-spy==0.4.3")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    seed = random.SystemRandom().randrange(1, 2**31)
    with tempfile.TemporaryDirectory(prefix="closer-load-") as workdir:
        code = snapshot.snapshot_code(workdir, args.settle)
        snapshot.use_code(code)
        fingerprint = snapshot.code_fingerprint(code)
        runs = [run for kind in kinds for run in run_database(kind, args, workdir, code, seed)]
    versions = list(dict.fromkeys(r.version for r in runs if r.version))
    report.publish(SECTION, render_section(runs, args, machine_info(), fingerprint, versions), args.no_write)
    return 0 if all(not r.failed for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
