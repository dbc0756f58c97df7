#!/usr/bin/env python
"""Tap throughput: how many logged taps per second Closer serves, against bare Flask.

    .venv/bin/python bench/tap_throughput.py [--taps 10000] [--db sqlite|postgresql|both] [--rounds 3]
        [--sql-modes prepared,plain] [--quiet-wait 120] [--settle 60] [--no-write]

For each database: migrate a fresh one, register reps, start Closer under gunicorn
(2 sync workers), a one-route Flask app and the floor (``floor_app.py``: Closer with
a minimal tap, on a database of its own) under the same settings, load them with
wrk (2 threads, 10 connections, 10 s) in alternating rounds and report the round
with the median ratio, then send ``--taps`` more taps with a small Python client
and read the workers' RSS after each half. Prints a markdown table and writes the
"## Tap throughput (foundation)" section of BENCHMARKS.md.

``--sql-modes prepared,plain`` serves Closer twice on the same database, once as
is and once with ``CLOSER_PLAIN_SQL=1`` (the hot path's prepared statements run
through ``db.session.execute``), measures both taps in every round and reports
each one's worker CPU per tap and the difference.

Everything listens on and talks to 127.0.0.1 only. Every wait is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
from dataclasses import dataclass, field

from harness import BENCH, report, snapshot
from harness.consistency import consistency, describe
from harness.databases import Database, app_env, fresh_database, migrate
from harness.machine import QUIET_BUSY_PCT, loadavg, machine_info, wait_for_quiet
from harness.machine import describe as describe_machine
from harness.reps import check_taps_work, log_in, register_in_process, send_taps, write_sessions_file
from harness.servers import GUNICORN_ARGS, Server
from harness.wrk import WrkResult, measure, require_wrk, run_wrk, wrk_args

SECTION = "## Tap throughput (foundation)"
USERS = 10
WRK_DURATION = 10
WARMUP_SECONDS = 3
TARGET_RATIO = 0.20
FLAT_MEMORY_KIB = 2048  # growth of all workers together still counted as "flat"
# How Closer is served in each SQL mode: the environment added to its own.
SQL_MODES = {"prepared": {}, "plain": {"CLOSER_PLAIN_SQL": "1"}}


@dataclass
class Round:
    bare: WrkResult
    floor: WrkResult
    taps: dict[str, WrkResult]  # per SQL mode, in the order measured


@dataclass
class DbRun:
    db: str
    modes: list[str]
    version: str = ""
    rounds: list[Round] = field(default_factory=list)
    locked: int = 0
    tracebacks: int = 0
    fivexx_log: int = 0
    tap_statuses: dict = field(default_factory=dict)
    calls_written: int = 0
    mem_base: dict = field(default_factory=dict)
    mem: list = field(default_factory=list)  # (RSS per worker, the phase's client figures) after each half
    consistency: dict = field(default_factory=dict)
    skipped: str = ""
    background_busy: float = 0.0
    loadavg: str = ""

    @property
    def median(self) -> Round:
        """The round with the median tap/bare ratio (first SQL mode)."""
        ranked = sorted(self.rounds, key=lambda r: r.taps[self.modes[0]].rps / r.bare.rps)
        return ranked[len(ranked) // 2]

    @property
    def ratio(self) -> float:
        return self.median.taps[self.modes[0]].rps / self.median.bare.rps if self.rounds else 0.0

    def cpu_per_tap(self, mode: str) -> float:
        """Median over the rounds of the workers' CPU per tap in ``mode``, in ms."""
        return statistics.median(r.taps[mode].cpu_ms_per_request for r in self.rounds)


def count_calls(db: Database) -> int:
    return int(db.query("SELECT COUNT(*) FROM calls")[0][0])


def prepared_database(kind: str, workdir: str, suffix: str, code: str) -> Database:
    db = fresh_database(kind, workdir, suffix)
    migrate(db, code)
    register_in_process(db.sqlalchemy_url(), USERS)
    return db


def run_database(kind: str, args, workdir: str, code: str, seed: int) -> DbRun:
    run = DbRun(kind, args.sql_modes)
    run.background_busy = wait_for_quiet(kind, args.quiet_wait)
    run.loadavg = loadavg()
    print(f"[{kind}] background CPU busy {run.background_busy:.0f}%, load average {run.loadavg}")
    logdir = os.path.join(workdir, kind)
    os.makedirs(logdir, exist_ok=True)
    servers: list[Server] = []
    databases: list[Database] = []
    try:
        from webapp.domain.outcomes import OUTCOME_CODES

        outcomes = list(OUTCOME_CODES)
        print(f"[{kind}] migrating and registering {USERS} reps, for Closer and for the floor")
        db = prepared_database(kind, workdir, "tap", code)
        # The floor writes calls of its own, so it gets a database of its own: the
        # consistency checks below stay about Closer's tap.
        floor_db = prepared_database(kind, workdir, "floor", code)
        databases += [db, floor_db]
        run.version = db.version
        closers = {
            mode: Server(
                f"closer-{mode}", "webapp:create_app()", app_env(db, code, **SQL_MODES[mode]), logdir, code_root=code
            )
            for mode in args.sql_modes
        }
        bare = Server("bare", "bare_app:app", app_env(db, code), logdir, code_root=code, chdir=BENCH, ready_path="/")
        floor = Server("floor", "floor_app:app", app_env(floor_db, code), logdir, code_root=code, chdir=BENCH)
        servers = [*closers.values(), bare, floor]
        for server in servers:
            server.start()
        print(f"[{kind}] " + ", ".join(f"{s.name} on 127.0.0.1:{s.port}" for s in servers))

        def sessions(server: Server) -> tuple[list, list[str]]:
            reps = [log_in(server.port, email) for email in (f"rep{i:02d}@bench.test" for i in range(USERS))]
            check_taps_work(server.port, reps, outcomes[0])
            path = write_sessions_file(reps, os.path.join(workdir, f"{kind}.{server.name}.sessions.tsv"))
            return reps, [path, ",".join(outcomes)]

        logged_in = {name: sessions(server) for name, server in {**closers, "floor": floor}.items()}
        targets = {name: (closers.get(name) or floor) for name in logged_in}
        urls = {name: f"{server.url}/calls" for name, server in targets.items()}
        print(f"[{kind}] warm-up: {WARMUP_SECONDS} s of wrk on each server")

        # Every run gets a seed of its own: tap.lua's client ids follow from it, and a repeated
        # id is a replay (a duplicate, cheaper than a new tap), not a new tap.
        def script(name: str, number: int) -> list[str]:
            return logged_in[name][1] + [str(seed + 1000 * number + list(logged_in).index(name))]

        for name in logged_in:
            run_wrk(urls[name], WARMUP_SECONDS, script(name, 0))
        run_wrk(bare.url + "/", WARMUP_SECONDS)

        # This machine's speed drifts by 10% and more within minutes: the servers are
        # measured in alternating rounds, and the round with the median ratio is reported.
        before_calls = count_calls(db)
        for number in range(1, args.rounds + 1):
            print(f"[{kind}] round {number}/{args.rounds}: the bare app, the floor, then the tap in each SQL mode")
            bare_result = measure(bare, bare.url + "/", WRK_DURATION)
            floor_result = measure(floor, urls["floor"], WRK_DURATION, script("floor", number))
            # The SQL modes take turns going first, so a drift within a round favours neither.
            order = args.sql_modes if number % 2 else args.sql_modes[::-1]
            taps = {mode: measure(closers[mode], urls[mode], WRK_DURATION, script(mode, number)) for mode in order}
            run.rounds.append(Round(bare_result, floor_result, {mode: taps[mode] for mode in args.sql_modes}))
            for result in taps.values():
                for status, count in result.statuses.items():
                    run.tap_statuses[status] = run.tap_statuses.get(status, 0) + count
            print(
                f"[{kind}]   bare {bare_result.rps:.0f} rps, floor {floor_result.rps:.0f} rps "
                f"({floor_result.cpu_ms_per_request:.2f} ms CPU); "
                + "; ".join(
                    f"tap[{m}] {r.rps:.0f} rps, {r.rps / bare_result.rps:.1%}, {r.cpu_ms_per_request:.2f} ms CPU"
                    for m, r in taps.items()
                )
            )
        run.calls_written = count_calls(db) - before_calls

        closer = closers[args.sql_modes[0]]
        reps = logged_in[args.sql_modes[0]][0]
        run.mem_base = closer.worker_rss_kib()
        for label, n in (("first", args.taps // 2), ("last", args.taps - args.taps // 2)):
            print(f"[{kind}] memory: sending the {label} {n} taps")
            phase = send_taps(closer.port, reps, outcomes, n)
            run.mem.append((closer.worker_rss_kib(), phase))
            print(
                f"[{kind}]   {phase['sent']} taps in {phase['seconds']:.1f} s, statuses {phase['statuses']}, "
                f"RSS KiB {run.mem[-1][0]}"
            )

        for server in closers.values():
            server.wait_for_idle_log()
            run.locked += server.stderr_count("database is locked")
            run.tracebacks += server.stderr_count("Traceback")
            run.fivexx_log += sum(v for k, v in server.statuses_since(0).items() if k >= 500)
        run.consistency = consistency(db)
    except Exception as error:  # noqa: BLE001 - a failed database is reported, the other still runs
        run.skipped = f"failed: {error}"
        print(f"[{kind}] FAILED: {error}")
        if servers:
            print(f"[{kind}] last lines of {servers[0].name}'s stderr:\n{servers[0].tail()}")
    finally:
        for server in servers:
            server.stop()
        for database in databases:
            database.drop()
    return run


# ---------------------------------------------------------------- report


def tap_label(run: DbRun, mode: str) -> str:
    return "POST /calls (tap)" if len(run.modes) == 1 else f"POST /calls (tap, {mode} SQL)"


def table(runs: list[DbRun]) -> str:
    lines = [
        "| db | endpoint | rps | p50 | p99 | errors | ratio | worker CPU / request |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for run in runs:
        if run.skipped:
            lines.append(f"| {run.db} | - | - | - | - | {run.skipped} | - | - |")
            continue
        middle = run.median
        rows = [(tap_label(run, m), r, True) for m, r in middle.taps.items()]
        rows += [("POST /calls, minimal tap (floor)", middle.floor, False), ("GET / (bare Flask)", middle.bare, False)]
        for name, res, is_tap in rows:
            errors = f"non-2xx/3xx {res.non2xx}, socket {res.socket_detail}"
            if is_tap:
                errors += f", 5xx {sum(v for k, v in res.statuses.items() if k >= 500)}, locked {run.locked}"
            lines.append(
                f"| {run.db} | {name} | {res.rps:.0f} | {res.p50_ms:.1f} ms | {res.p99_ms:.1f} ms | {errors} | "
                f"{res.rps / middle.bare.rps:.1%} | {res.cpu_ms_per_request:.2f} ms |"
            )
    return "\n".join(lines)


def memory_lines(runs: list[DbRun], taps: int) -> str:
    out = []
    for run in (r for r in runs if not r.skipped and r.mem):
        (first, phase1), (last, phase2) = run.mem
        per_worker = ", ".join(f"{report.mib(first[pid])} → {report.mib(last.get(pid, 0))}" for pid in sorted(first))
        phases = "; ".join(
            f"{p['sent']} taps in {p['seconds']:.0f} s, statuses {dict(sorted(p['statuses'].items()))}"
            + (f", {p['errors']} connection errors" if p["errors"] else "")
            for p in (phase1, phase2)
        )
        growth = sum(last.values()) - sum(first.values())
        out.append(
            f"- **{run.db}**: both workers together {report.mib(sum(run.mem_base.values()))} after warm-up and wrk, "
            f"**{report.mib(sum(first.values()))} after the first {taps // 2:,} taps, "
            f"{report.mib(sum(last.values()))} after the last {taps - taps // 2:,}: growth {growth:+,} KiB** "
            f"(per worker {per_worker}). Python client, 10 threads: {phases}."
        )
    return "\n".join(out)


def sql_mode_lines(runs: list[DbRun]) -> str:
    out = []
    for run in (r for r in runs if not r.skipped and len(r.modes) > 1):
        base, other = run.modes[0], run.modes[1]
        a, b = run.cpu_per_tap(base), run.cpu_per_tap(other)
        rounds = ", ".join(" / ".join(f"{r.taps[m].cpu_ms_per_request:.2f}" for m in run.modes) for r in run.rounds)
        out.append(
            f"- **{run.db}**: worker CPU per tap, median of {len(run.rounds)} rounds: {base} {a:.2f} ms, "
            f"{other} {b:.2f} ms: {other} costs **{(b - a) / a:+.1%}** against {base} "
            f"(each round, {' / '.join(run.modes)}: {rounds} ms)."
        )
    return "\n".join(out)


def reading(runs: list[DbRun], taps: int) -> str:
    done = [r for r in runs if not r.skipped]
    if not done:
        return "No database could be benchmarked; see the table."
    text = (
        "Against the targets: "
        + "; ".join(
            f"on {r.db} the tap serves {r.median.taps[r.modes[0]].rps:.0f} rps, {r.ratio:.1%} of bare Flask's "
            f"{r.median.bare.rps:.0f} rps, so it {'meets' if r.ratio >= TARGET_RATIO else 'misses'} the ≥ 20% target"
            for r in done
        )
        + ". "
    )
    text += (
        "For scale, the minimal tap on the same stack (the floor: Flask-Login's user lookup, CSRF, one insert, "
        "one upsert, a one-line template) costs "
        + "; ".join(
            f"{r.median.floor.cpu_ms_per_request:.2f} ms of worker CPU on {r.db} against the tap's "
            f"{r.cpu_per_tap(r.modes[0]):.2f} ms ({r.median.floor.rps / r.median.bare.rps:.1%} of bare)"
            for r in done
        )
        + "; the difference is what the tap's streak, badges, goals, team, after-call panel and list row cost. "
        "A tap's worker CPU puts the ceiling at roughly 2 cores ÷ that: "
        + ", ".join(f"~{2000 / r.cpu_per_tap(r.modes[0]):.0f} taps/s on {r.db}" for r in done)
        + ". "
    )
    errors = [
        r
        for r in done
        if r.fivexx_log or r.locked or any(t.non2xx or t.socket_errors for x in r.rounds for t in x.taps.values())
    ]
    text += "Errors: see the table and the consistency lines. " if errors else "There were no errors. "
    growth = {r.db: sum(r.mem[1][0].values()) - sum(r.mem[0][0].values()) for r in done if r.mem}
    if growth:
        text += (
            "Worker memory between the halves: "
            + ", ".join(
                f"{db} {g:+,} KiB ({'flat' if g <= FLAT_MEMORY_KIB else 'NOT flat'})" for db, g in growth.items()
            )
            + f' ("flat": at most {FLAT_MEMORY_KIB // 1024} MiB for both workers). '
        )
    noisy = [r for r in done if r.background_busy > QUIET_BUSY_PCT]
    if noisy:
        text += (
            "Other processes were using the CPUs when "
            + ", ".join(f"{r.db} ({r.background_busy:.0f}% busy)" for r in noisy)
            + " started, so those figures are low by an unknown amount. "
        )
    return text + (
        "Caveat: wrk, the gunicorn workers and the database share the machine's 2 cores, so rps (and the "
        "ratio) are CPU-bound on the same cores; compare runs only on the same machine."
    )


def render_section(runs: list[DbRun], args, info: dict, fingerprint: tuple[str, str]) -> str:
    databases = [f"SQLite {info['sqlite']}" if r.db == "sqlite" else f"PostgreSQL {r.version}" for r in runs]
    modes = runs[0].modes if runs else ["prepared"]
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{report.command_line('tap_throughput.py')}`",
            "",
            f"- Date: {report.now_utc()}",
            f"- Machine: {describe_machine(info, databases)}.",
            f"- Servers: gunicorn `{' '.join(GUNICORN_ARGS)}` with an access log, on 127.0.0.1, for Closer "
            "(`webapp:create_app()`"
            + (f", once per SQL mode: {', '.join(modes)}, `plain` with `CLOSER_PLAIN_SQL=1`" if len(modes) > 1 else "")
            + "), the floor and `bench/bare_app.py` alike. "
            f"Load: `wrk {' '.join(wrk_args(WRK_DURATION))}` after a {WARMUP_SECONDS} s warm-up, in "
            f"{args.rounds} alternating rounds (bare app, floor, tap); the tap uses `bench/tap.lua` (POST /calls, "
            f"random outcome, fresh UUID v4 client_id, the session cookie and CSRF token of one of {USERS} "
            "logged-in reps, `HX-Request: true`); the floor is `bench/floor_app.py` on a database of its own.",
            "- Background load just before each database's run (our servers stopped): "
            + ", ".join(f"{r.db} {r.background_busy:.0f}% CPU busy, load average {r.loadavg}" for r in runs)
            + ".",
            f"- Code measured: a frozen copy taken when the run started; sha256 `{fingerprint[0]}` over "
            f"{', '.join(f'`{p}`' for p in snapshot.CODE_PARTS)} (newest file modified {fingerprint[1]}).",
            "",
            table(runs),
            "",
            "Errors: wrk's non-2xx/3xx and socket errors; for the tap also 5xx counted in the access log and "
            '"database is locked" lines in gunicorn\'s stderr over the whole run. Rounds (tap/bare ratio, in the '
            "order run; the table shows the median round): "
            + "; ".join(
                f"{r.db} "
                + ", ".join(
                    f"{x.taps[r.modes[0]].rps / x.bare.rps:.1%} (floor {x.floor.rps / x.bare.rps:.1%})"
                    for x in r.rounds
                )
                for r in runs
                if r.rounds
            )
            + ". Worker CPU / request: user + system CPU of the gunicorn workers during the wrk run (from /proc), "
            "divided by the requests in the access log; it excludes wrk and PostgreSQL.",
            *(["", "SQL modes:", "", sql_mode_lines(runs)] if len(modes) > 1 else []),
            "",
            f"Memory (VmRSS of the gunicorn workers; {args.taps:,} taps sent after the wrk runs):",
            "",
            memory_lines(runs, args.taps),
            "",
            "Consistency after the run:",
            "",
            "\n".join(
                f"- **{r.db}**: {r.calls_written:,} calls written during the wrk runs (access log: "
                f"{dict(sorted(r.tap_statuses.items()))}); {describe(r.consistency)}; tracebacks in gunicorn "
                f"stderr: {r.tracebacks}."
                for r in runs
                if r.consistency
            ),
            "",
            reading(runs, args.taps),
            "",
        ]
    )


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taps", type=int, default=10000, help="taps for the memory check (default 10000)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk rounds (default 3; median reported)")
    parser.add_argument(
        "--sql-modes",
        default="prepared",
        help="comma-separated SQL modes of the tap to measure side by side: prepared, plain (default prepared)",
    )
    parser.add_argument("--quiet-wait", type=float, default=120.0, help="seconds to wait at most for a quiet CPU")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds the app must be unedited before the copy")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    args.sql_modes = [m.strip() for m in args.sql_modes.split(",") if m.strip()]
    if (
        not args.sql_modes
        or any(m not in SQL_MODES for m in args.sql_modes)
        or len(set(args.sql_modes)) != len(args.sql_modes)
    ):
        parser.error(f"--sql-modes takes distinct modes among {', '.join(SQL_MODES)}")
    if args.taps < 2 or args.rounds < 1:
        parser.error("--taps must be at least 2 and --rounds at least 1")
    return args


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)  # so servers and the bench databases are cleaned up
    args = parse_args()
    if not require_wrk():
        return 2
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    seed = random.SystemRandom().randrange(1, 2**31)
    with tempfile.TemporaryDirectory(prefix="closer-bench-") as workdir:
        code = snapshot.snapshot_code(workdir, args.settle)
        snapshot.use_code(code)  # reps are registered through the snapshot's own service
        fingerprint = snapshot.code_fingerprint(code)
        print(f"[code] serving a frozen copy of the app, sha256 {fingerprint[0]} (newest file {fingerprint[1]})")
        runs = [run_database(kind, args, workdir, code, seed) for kind in kinds]
    report.publish(SECTION, render_section(runs, args, machine_info(), fingerprint), args.no_write)
    return 0 if all(not r.skipped for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
