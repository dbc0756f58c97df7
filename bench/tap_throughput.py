#!/usr/bin/env python
"""Tap throughput: how many logged taps per second Closer serves, against bare Flask.

    .venv/bin/python bench/tap_throughput.py [--taps 10000] [--db sqlite|postgresql|both] [--rounds 3]

For each database: migrate a fresh one, register reps, start Closer under gunicorn
(2 sync workers), a one-route Flask app and the floor (``floor_app.py``: Closer with
a minimal tap, on a database of its own) under the same settings, load them with
wrk (2 threads, 10 connections, 10 s) in alternating rounds and report the round
with the median ratio, then send ``--taps`` more taps with a small
Python client and read the workers' RSS after each half. Prints a markdown table
and writes the "## Tap throughput (foundation)" section of BENCHMARKS.md.

Everything listens on and talks to 127.0.0.1 only. Every wait is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
# The app is served from a frozen copy of these, taken at the start of the run, so edits
# made to the working tree while the benchmark runs cannot change what is measured.
CODE_PARTS = ("webapp", "templates", "static", "migrations", "manifest.json")
CODE_ROOT = ROOT  # set to the snapshot by main()
sys.path.insert(0, os.path.join(ROOT, "bench"))

from benchmarks_md import write_section  # noqa: E402

PY = sys.executable
BENCHMARKS_MD = os.path.join(ROOT, "BENCHMARKS.md")
SECTION = "## Tap throughput (foundation)"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DB = "closer_bench"
FLOOR_DB = "closer_bench_floor"

USERS = 10
PASSWORD = "bench phrase, long enough"
USER_AGENT = "closer-bench/1"  # the same for login and load: Flask-Login hashes it into the session
WRK_DURATION = 10
WARMUP_SECONDS = 3
WRK_ARGS = ["-t2", "-c10", f"-d{WRK_DURATION}s", "--latency"]
# Identical for Closer and the bare app.
GUNICORN_ARGS = [
    "--workers",
    "2",
    "--worker-class",
    "sync",
    "--timeout",
    "60",
    "--access-logformat",
    "%(s)s %(m)s %(U)s",
    "--error-logfile",
    "-",
]
TARGET_RATIO = 0.20
FLAT_MEMORY_KIB = 2048  # growth of all workers together still counted as "flat"
QUIET_BUSY_PCT = 15.0  # background CPU use (our servers stopped) above which a run is flagged


# ---------------------------------------------------------------- small helpers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local_http(
    port: int, method: str, path: str, headers: dict | None = None, body: str | None = None, timeout: float = 10
) -> tuple[int, dict, bytes]:
    """One request to 127.0.0.1:port; (status, lower-cased headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        if body is not None:
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def session_cookie(headers: dict, current: str | None) -> str | None:
    """The ``session=...`` pair from a Set-Cookie header, or the current one."""
    raw = headers.get("set-cookie")
    if not raw:
        return current
    match = re.search(r"(?:^|[,\s])(session=[^;]*)", raw)
    return match.group(1) if match else current


def form(**fields) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


def machine_info() -> dict:
    mem_kib = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    wrk_version = ""
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
        wrk_version = (out.stdout + out.stderr).split("[")[0].strip()
    import gunicorn

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_gib": mem_kib / 1024 / 1024,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": gunicorn.__version__,
        "wrk": wrk_version,
        "kernel": platform.release(),
        "code": code_fingerprint(CODE_ROOT),
    }


def cpu_busy(seconds: float = 3.0) -> float:
    """Machine-wide CPU busy % over ``seconds`` (from /proc/stat)."""

    def read() -> tuple[int, int]:
        with open("/proc/stat") as fh:
            values = [int(v) for v in fh.readline().split()[1:9]]
        return sum(values), values[3] + values[4]

    total0, idle0 = read()
    time.sleep(seconds)
    total1, idle1 = read()
    return 100.0 * (1 - (idle1 - idle0) / (total1 - total0)) if total1 > total0 else 0.0


def wait_for_quiet(label: str, limit: float = 60.0, threshold: float = QUIET_BUSY_PCT) -> float:
    """Wait (at most ``limit`` s) until other processes leave the CPUs mostly idle; return busy %."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        print(f"[{label}] the machine is {busy:.0f}% busy before we start; waiting for it to calm down")
        busy = cpu_busy()
    return busy


def code_files(root: str) -> list[str]:
    """The app's files under ``root`` (code, templates, static files, migrations), sorted."""
    paths = []
    for part in CODE_PARTS:
        top = os.path.join(root, part)
        if os.path.isfile(top):
            paths.append(top)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            paths += [os.path.join(dirpath, n) for n in sorted(filenames) if not n.endswith((".pyc", ".pyo"))]
    return paths


def code_fingerprint(root: str) -> tuple[str, str]:
    """sha256 (12 hex) over the app's files, and the newest modification time among them.

    The app changes between commits; this names the exact tree a figure was measured on.
    """
    import hashlib

    digest, newest = hashlib.sha256(), 0.0
    for path in code_files(root):
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(fh.read())
        newest = max(newest, os.path.getmtime(path))
    when = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return digest.hexdigest()[:12], when


def snapshot_code(workdir: str, settle: float = 60.0, limit: float = 600.0) -> str:
    """Copy the app into ``workdir`` once nobody has edited it for ``settle`` s (waiting ≤ ``limit`` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        newest = max(os.path.getmtime(p) for p in code_files(ROOT))
        quiet_for = time.time() - newest
        if quiet_for >= settle:
            break
        print(f"[code] the app was edited {quiet_for:.0f} s ago; waiting for {settle:.0f} s without edits")
        time.sleep(min(settle - quiet_for + 1, max(0.0, deadline - time.monotonic())))
    else:
        print(f"[code] the app kept changing for {limit:.0f} s; taking the snapshot anyway")
    target = os.path.join(workdir, "code")
    os.makedirs(target)
    for part in CODE_PARTS:
        source = os.path.join(ROOT, part)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(target, part), ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif os.path.isfile(source):
            shutil.copy2(source, os.path.join(target, part))
    return target


# ---------------------------------------------------------------- databases


@dataclass
class Database:
    kind: str  # "sqlite" | "postgresql"
    url: str  # as DATABASE_URL for the app
    version: str = ""
    cleanup: list = field(default_factory=list)

    def sqlalchemy_url(self) -> str:
        from webapp.config import database_url

        return database_url(self.url, "")

    def query(self, sql: str) -> list[tuple]:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.sqlalchemy_url())
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def drop(self) -> None:
        for step in self.cleanup:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - cleanup must not hide the results
                print(f"  (cleanup of {self.kind} failed: {error})")


def sqlite_database(workdir: str, name: str = "closer-bench") -> Database:
    path = os.path.join(workdir, f"{name}.db")
    return Database("sqlite", "sqlite:///" + path, version=sqlite3.sqlite_version)


def postgres_database(name: str = BENCH_DB) -> Database:
    """A fresh database ``name`` on the server of TEST_DATABASE_URL (dropped first)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
    admin = base.set(drivername="postgresql", database="postgres")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
        version = conn.execute("SHOW server_version").fetchone()[0]
    url = base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return Database("postgresql", url, version=version, cleanup=[drop])


def app_env(db: Database) -> dict:
    return {
        **os.environ,
        "CLOSER_ENV": "testing",
        "SECRET_KEY": "x",
        "DATABASE_URL": db.url,
        "RATELIMIT_ENABLED": "false",
        "PYTHONPATH": CODE_ROOT,
    }


def migrate(db: Database) -> None:
    flask = os.path.join(os.path.dirname(PY), "flask")
    cmd = [flask] if os.path.exists(flask) else [PY, "-m", "flask"]
    done = subprocess.run(
        cmd + ["--app", "webapp", "db", "upgrade"],
        cwd=CODE_ROOT,
        env=app_env(db),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migration failed:\n{done.stdout}\n{done.stderr}")


def register_users(db: Database) -> list[str]:
    """Create the reps through the app's own service, inside an app context."""
    import webapp
    from webapp import create_app
    from webapp.extensions import db as sqla

    if not os.path.abspath(webapp.__file__).startswith(CODE_ROOT + os.sep):
        raise RuntimeError(f"webapp was imported from {webapp.__file__}, not from the snapshot")
    from webapp.services.accounts import register

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db.sqlalchemy_url(),
            "SECRET_KEY": "x",
            "CLOSER_ENV": "testing",
            "RATELIMIT_ENABLED": False,
        }
    )
    emails = []
    zones = ["UTC", "Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo"]
    with app.app_context():
        for i in range(USERS):
            email = f"rep{i:02d}@bench.test"
            register(email, f"Bench Rep {i:02d}", PASSWORD, zones[i % len(zones)])
            emails.append(email)
        sqla.session.remove()
        sqla.engine.dispose()
    return emails


# ---------------------------------------------------------------- servers


class Server:
    """gunicorn on 127.0.0.1, started and stopped by its own pid."""

    def __init__(
        self, name: str, app_spec: str, env: dict, logdir: str, chdir: str | None = None, ready_path: str = "/"
    ):
        self.name = name
        self.app_spec = app_spec
        self.env = env
        self.chdir = chdir
        self.ready_path = ready_path
        self.port = free_port()
        self.access_log = os.path.join(logdir, f"{name}.access.log")
        self.error_log = os.path.join(logdir, f"{name}.stderr.log")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            PY,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            *GUNICORN_ARGS,
            "--access-logfile",
            self.access_log,
        ]
        if self.chdir:
            cmd += ["--chdir", self.chdir]
        cmd.append(self.app_spec)
        self._stderr = open(self.error_log, "ab")
        self.process = subprocess.Popen(cmd, cwd=CODE_ROOT, env=self.env, stdout=self._stderr, stderr=self._stderr)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting; see {self.error_log}")
            try:
                local_http(self.port, "GET", self.ready_path, timeout=2)
                if len(self.worker_pids()) >= 2:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start within 30 s; see {self.error_log}")

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as fh:
                return [int(p) for p in fh.read().split()]
        except OSError:
            kids = []
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as fh:
                            stat = fh.read()
                        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                            kids.append(int(entry))
                    except (OSError, ValueError, IndexError):
                        continue
            return kids

    def worker_rss_kib(self) -> dict[int, int]:
        rss = {}
        for pid in self.worker_pids():
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            rss[pid] = int(line.split()[1])
            except OSError:
                continue
        return rss

    def worker_cpu_seconds(self) -> float:
        """User + system CPU the workers have used so far (from /proc/<pid>/stat)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, ValueError, IndexError):
                continue
        return total / ticks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "_stderr", None):
            self._stderr.close()
        self.process = None

    def access_size(self) -> int:
        return os.path.getsize(self.access_log) if os.path.exists(self.access_log) else 0

    def wait_for_idle_log(self, quiet: float = 1.5, limit: float = 15.0) -> None:
        """Wait until the access log has not grown for ``quiet`` s (at most ``limit`` s)."""
        deadline = time.monotonic() + limit
        size, since = self.access_size(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.25)
            if self.access_size() != size:
                size, since = self.access_size(), time.monotonic()

    def statuses_since(self, offset: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        if not os.path.exists(self.access_log):
            return counts
        with open(self.access_log, "rb") as fh:
            fh.seek(offset)
            for line in fh:
                head = line.split(b" ", 1)[0]
                if head.isdigit():
                    counts[int(head)] = counts.get(int(head), 0) + 1
        return counts

    def stderr_count(self, needle: str) -> int:
        with open(self.error_log, "rb") as fh:
            return fh.read().decode("utf-8", "replace").count(needle)


# ---------------------------------------------------------------- sessions


@dataclass
class RepSession:
    cookie: str  # the whole Cookie header value, "session=..."
    token: str  # X-CSRFToken for that session


def log_in(port: int, email: str) -> RepSession:
    """Log in over HTTP like a browser: token, POST /login, token for the logged-in session."""
    status, headers, body = local_http(port, "GET", "/api/v1/csrf")
    cookie = session_cookie(headers, None)
    token = __import__("json").loads(body)["csrf_token"]
    status, headers, _ = local_http(
        port, "POST", "/login", {"Cookie": cookie, "X-CSRFToken": token}, form(email=email, password=PASSWORD)
    )
    if status != 303:
        raise RuntimeError(f"login of {email} answered {status}")
    cookie = session_cookie(headers, cookie)
    status, headers, body = local_http(port, "GET", "/api/v1/csrf", {"Cookie": cookie})
    cookie = session_cookie(headers, cookie)
    answer = __import__("json").loads(body)
    if not answer.get("authenticated"):
        raise RuntimeError(f"{email} is not logged in after POST /login")
    # The cookie must be stable from now on, or wrk would send a stale one.
    _, headers, _ = local_http(port, "GET", "/api/v1/csrf", {"Cookie": cookie})
    if session_cookie(headers, cookie) != cookie:
        raise RuntimeError("the session cookie keeps changing; wrk cannot replay it")
    return RepSession(cookie, answer["csrf_token"])


def tap(port: int, rep: RepSession, outcome: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    return local_http(
        port,
        "POST",
        "/calls",
        {"Cookie": rep.cookie, "X-CSRFToken": rep.token, "HX-Request": "true"},
        form(outcome=outcome, client_id=str(uuid.uuid4())),
        timeout=timeout,
    )


def sessions_for(
    server: Server, emails: list[str], outcomes: list[str], path: str
) -> tuple[list[RepSession], list[str]]:
    """Log every rep in on ``server``, check a tap works, and write the sessions file for tap.lua.

    Returns the sessions and tap.lua's arguments (before the seed).
    """
    reps = [log_in(server.port, email) for email in emails]
    check_taps_work(server.port, reps, outcomes)
    with open(path, "w") as fh:
        for rep in reps:
            fh.write(f"{rep.cookie}\t{rep.token}\n")
    return reps, [path, ",".join(outcomes)]


def check_taps_work(port: int, reps: list[RepSession], outcomes: list[str]) -> None:
    for rep in reps:
        status, headers, body = tap(port, rep, outcomes[0])
        if status != 200 or b"Logged:" not in body or "hx-redirect" in headers:
            raise RuntimeError(f"a test tap was not logged (HTTP {status}): {body[:200]!r}")


# ---------------------------------------------------------------- load


@dataclass
class WrkResult:
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non2xx: int = 0
    socket_errors: int = 0
    socket_detail: str = "none"
    statuses: dict = field(default_factory=dict)
    cpu_ms_per_request: float = 0.0  # gunicorn workers' CPU time / requests they answered
    raw: str = ""


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return float("nan")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> WrkResult:
    result = WrkResult(raw=out)
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result.p50_ms = _ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result.p99_ms = _ms(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        result.requests = int(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result.non2xx = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        parts = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True))
        result.socket_errors = sum(parts.values())
        result.socket_detail = ", ".join(f"{k} {v}" for k, v in parts.items() if v) or "none"
    return result


def measure(server: Server, url: str, seconds: int, script_args: list[str] | None = None) -> WrkResult:
    """One wrk run, plus the workers' CPU per request it cost (robust to other load)."""
    offset, cpu0 = server.access_size(), server.worker_cpu_seconds()
    result = run_wrk(url, seconds, script_args)
    server.wait_for_idle_log()
    result.statuses = server.statuses_since(offset)
    answered = sum(result.statuses.values())
    if answered:
        result.cpu_ms_per_request = (server.worker_cpu_seconds() - cpu0) * 1000 / answered
    return result


def run_wrk(url: str, seconds: int, script_args: list[str] | None = None) -> WrkResult:
    args = [a if not a.startswith("-d") else f"-d{seconds}s" for a in WRK_ARGS]
    cmd = ["wrk", *args]
    if script_args is not None:
        cmd += ["-s", os.path.join(BENCH, "tap.lua"), url, "--", *script_args]
    else:
        cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse_wrk(done.stdout)


def send_taps(
    port: int, reps: list[RepSession], outcomes: list[str], count: int, concurrency: int = 10, time_limit: float = 600
) -> dict:
    """Exactly ``count`` taps (unless ``time_limit`` runs out) from ``concurrency`` threads."""
    lock = threading.Lock()
    state = {"next": 0, "statuses": {}, "errors": 0}
    deadline = time.monotonic() + time_limit

    def worker(offset: int) -> None:
        rng = random.Random(offset * 104729 + time.time_ns())
        while time.monotonic() < deadline:
            with lock:
                n = state["next"]
                if n >= count:
                    return
                state["next"] = n + 1
            try:
                status, _, _ = tap(port, reps[(n + offset) % len(reps)], rng.choice(outcomes))
            except OSError:
                with lock:
                    state["errors"] += 1
                continue
            with lock:
                state["statuses"][status] = state["statuses"].get(status, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic() + 5))
    sent = sum(state["statuses"].values()) + state["errors"]
    return {
        "sent": sent,
        "statuses": state["statuses"],
        "errors": state["errors"],
        "seconds": time.monotonic() - started,
        "complete": sent >= count,
    }


# ---------------------------------------------------------------- one database


@dataclass
class DbRun:
    db: str
    version: str = ""
    tap: WrkResult | None = None
    bare: WrkResult | None = None
    floor: WrkResult | None = None  # the minimal tap on the same stack (bench/floor_app.py)
    locked: int = 0
    tracebacks: int = 0
    fivexx_log: int = 0
    tap_statuses: dict = field(default_factory=dict)
    rounds: list = field(default_factory=list)  # (tap, bare, floor) wrk results, in the order run
    calls_written: int = 0
    mem_base: dict = field(default_factory=dict)
    mem_first: dict = field(default_factory=dict)
    mem_last: dict = field(default_factory=dict)
    mem_phase: list = field(default_factory=list)
    consistency: dict = field(default_factory=dict)
    skipped: str = ""
    background_busy: float = 0.0
    loadavg: str = ""

    @property
    def ratio(self) -> float:
        return self.tap.rps / self.bare.rps if self.tap and self.bare and self.bare.rps else 0.0


def count_calls(db: Database) -> int:
    return int(db.query("SELECT COUNT(*) FROM calls")[0][0])


def consistency(db: Database) -> dict:
    """Do the running sums agree with the calls? (xp on users, dials/points in daily_totals)."""
    xp_rows = db.query(
        "SELECT u.id, u.xp, COALESCE(SUM(CASE WHEN c.undone_at IS NULL THEN c.points END), 0) "
        "FROM users u LEFT JOIN calls c ON c.user_id = u.id GROUP BY u.id, u.xp"
    )
    xp_off = [(uid, xp, pts) for uid, xp, pts in xp_rows if (xp or 0) != pts]
    day_rows = db.query(
        "SELECT d.user_id, d.local_date, d.dials, "
        "(SELECT COUNT(*) FROM calls c WHERE c.user_id = d.user_id AND c.local_date = d.local_date "
        " AND c.undone_at IS NULL) FROM daily_totals d"
    )
    days_off = [row for row in day_rows if row[2] != row[3]]
    return {
        "users_xp_off": len(xp_off),
        "xp_lost": sum(pts - (xp or 0) for _, xp, pts in xp_off),
        "xp_total": sum(pts for _, _, pts in xp_rows),
        "days_off": len(days_off),
    }


def run_database(kind: str, taps: int, workdir: str, seed: int, quiet_wait: float, rounds: int) -> DbRun:
    run = DbRun(kind)
    try:
        db = sqlite_database(workdir) if kind == "sqlite" else postgres_database()
    except Exception as error:  # noqa: BLE001
        run.skipped = f"{type(error).__name__}: {error}".strip()
        print(f"[{kind}] SKIPPED: cannot create the database ({run.skipped})")
        return run
    run.version = db.version
    run.background_busy = wait_for_quiet(kind, quiet_wait)
    with open("/proc/loadavg") as fh:
        run.loadavg = " ".join(fh.read().split()[:3])
    print(f"[{kind}] background CPU busy {run.background_busy:.0f}%, load average {run.loadavg}")
    logdir = os.path.join(workdir, kind)
    os.makedirs(logdir, exist_ok=True)
    servers: list[Server] = []
    databases: list[Database] = [db]
    try:
        print(f"[{kind}] migrating {db.url.split('@')[-1]}")
        migrate(db)
        print(f"[{kind}] registering {USERS} reps")
        emails = register_users(db)
        from webapp.domain.outcomes import OUTCOME_CODES

        outcomes = list(OUTCOME_CODES)
        closer = Server("closer", "webapp:create_app()", app_env(db), logdir, ready_path="/login")
        bare = Server("bare", "bare_app:app", app_env(db), logdir, chdir=BENCH)
        # The floor writes calls of its own, so it gets a database of its own: the
        # consistency checks below stay about Closer's tap.
        floor_db = sqlite_database(workdir, "closer-floor") if kind == "sqlite" else postgres_database(FLOOR_DB)
        databases.append(floor_db)
        migrate(floor_db)
        register_users(floor_db)
        floor = Server("floor", "floor_app:app", app_env(floor_db), logdir, chdir=BENCH, ready_path="/login")
        servers = [closer, bare, floor]
        for server in servers:
            server.start()
        print(
            f"[{kind}] closer on 127.0.0.1:{closer.port} (workers {closer.worker_pids()}), "
            f"bare on 127.0.0.1:{bare.port}, floor on 127.0.0.1:{floor.port}"
        )

        reps, tap_args = sessions_for(closer, emails, outcomes, os.path.join(workdir, f"{kind}.sessions.tsv"))
        _, floor_args = sessions_for(floor, emails, outcomes, os.path.join(workdir, f"{kind}.floor-sessions.tsv"))
        tap_url = f"http://127.0.0.1:{closer.port}/calls"
        floor_url = f"http://127.0.0.1:{floor.port}/calls"
        bare_url = f"http://127.0.0.1:{bare.port}/"

        print(f"[{kind}] warm-up: {WARMUP_SECONDS} s of wrk on each server")
        run_wrk(tap_url, WARMUP_SECONDS, tap_args + [str(seed)])
        run_wrk(floor_url, WARMUP_SECONDS, floor_args + [str(seed)])
        run_wrk(bare_url, WARMUP_SECONDS)

        # This machine's speed drifts by 10% and more within minutes: the servers are
        # measured in alternating rounds, and the round with the median ratio is reported.
        before_calls = count_calls(db)
        for number in range(1, rounds + 1):
            print(
                f"[{kind}] round {number}/{rounds}: wrk {' '.join(WRK_ARGS)} on the bare app, "
                "the floor, then POST /calls"
            )
            bare_result = measure(bare, bare_url, WRK_DURATION)
            floor_result = measure(floor, floor_url, WRK_DURATION, floor_args + [str(seed + number)])
            tap_result = measure(closer, tap_url, WRK_DURATION, tap_args + [str(seed + number)])
            run.rounds.append((tap_result, bare_result, floor_result))
            for status, count in tap_result.statuses.items():
                run.tap_statuses[status] = run.tap_statuses.get(status, 0) + count
            print(
                f"[{kind}]   tap {tap_result.rps:.0f} rps, floor {floor_result.rps:.0f} rps, "
                f"bare {bare_result.rps:.0f} rps, ratio {tap_result.rps / bare_result.rps:.1%} "
                f"(floor {floor_result.rps / bare_result.rps:.1%}); worker CPU per request "
                f"tap {tap_result.cpu_ms_per_request:.2f} ms, floor {floor_result.cpu_ms_per_request:.2f} ms, "
                f"bare {bare_result.cpu_ms_per_request:.2f} ms"
            )
        run.calls_written = count_calls(db) - before_calls
        run.tap, run.bare, run.floor = sorted(run.rounds, key=lambda r: r[0].rps / r[1].rps)[len(run.rounds) // 2]

        half = taps // 2
        run.mem_base = closer.worker_rss_kib()
        for label in ("first", "last"):
            n = half if label == "first" else taps - half
            print(f"[{kind}] memory: sending the {label} {n} taps")
            phase = send_taps(closer.port, reps, outcomes, n)
            run.mem_phase.append(phase)
            rss = closer.worker_rss_kib()
            setattr(run, f"mem_{label}", rss)
            rate = phase["sent"] / phase["seconds"] if phase["seconds"] else 0
            print(
                f"[{kind}]   {phase['sent']} taps in {phase['seconds']:.1f} s ({rate:.0f}/s), "
                f"statuses {phase['statuses']}, RSS KiB {rss}"
            )

        closer.wait_for_idle_log()
        run.locked = closer.stderr_count("database is locked")
        run.tracebacks = closer.stderr_count("Traceback")
        run.fivexx_log = sum(v for k, v in closer.statuses_since(0).items() if k >= 500)
        run.consistency = consistency(db)
    except Exception as error:  # noqa: BLE001
        run.skipped = f"failed: {error}"
        print(f"[{kind}] FAILED: {error}")
        if servers and os.path.exists(servers[0].error_log):
            with open(servers[0].error_log, "rb") as fh:
                tail = fh.read().decode("utf-8", "replace").splitlines()[-25:]
            print(f"[{kind}] last lines of Closer's gunicorn stderr:\n  " + "\n  ".join(tail))
    finally:
        for server in servers:
            server.stop()
        for database in databases:
            database.drop()
    return run


# ---------------------------------------------------------------- report


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def table(runs: list[DbRun]) -> str:
    lines = [
        "| db | endpoint | rps | p50 | p99 | errors | ratio | worker CPU / request |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for run in runs:
        if run.skipped:
            lines.append(f"| {run.db} | - | - | - | - | {run.skipped} | - | - |")
            continue
        rows = [
            ("POST /calls (tap)", run.tap),
            ("POST /calls, minimal tap (floor)", run.floor),
            ("GET / (bare Flask)", run.bare),
        ]
        for name, res in rows:
            if res is None:
                continue
            errors = f"non-2xx/3xx {res.non2xx}, socket {res.socket_detail}"
            if res is run.tap:
                fivexx = sum(v for k, v in run.tap_statuses.items() if k >= 500)
                errors += f", 5xx {fivexx}, locked {run.locked}"
            ratio = f"{res.rps / run.bare.rps:.1%}" if run.bare.rps else "-"
            lines.append(
                f"| {run.db} | {name} | {res.rps:.0f} | {res.p50_ms:.1f} ms | "
                f"{res.p99_ms:.1f} ms | {errors} | {ratio} | {res.cpu_ms_per_request:.2f} ms |"
            )
    return "\n".join(lines)


def memory_lines(runs: list[DbRun], taps: int) -> str:
    half = taps // 2
    out = []
    for run in runs:
        if run.skipped or not run.mem_first:
            continue
        first, last, base = (sum(run.mem_first.values()), sum(run.mem_last.values()), sum(run.mem_base.values()))
        per_worker = ", ".join(
            f"{mib(run.mem_first.get(pid, 0))} → {mib(run.mem_last.get(pid, 0))}" for pid in sorted(run.mem_first)
        )
        phases = "; ".join(
            f"{p['sent']} taps in {p['seconds']:.0f} s, statuses {dict(sorted(p['statuses'].items()))}"
            + (f", {p['errors']} connection errors" if p["errors"] else "")
            for p in run.mem_phase
        )
        out.append(
            f"- **{run.db}**: both workers together {mib(base)} after warm-up and wrk, "
            f"**{mib(first)} after the first {half:,} taps, {mib(last)} after the last "
            f"{taps - half:,}: growth {last - first:+,} KiB** (per worker {per_worker}). "
            f"Python client, 10 threads: {phases}."
        )
    return "\n".join(out)


def consistency_lines(runs: list[DbRun]) -> str:
    out = []
    for run in runs:
        c = run.consistency
        if run.skipped or not c:
            continue
        out.append(
            f"- **{run.db}**: {run.calls_written:,} calls written during the {len(run.rounds)} tap runs of wrk "
            f"(access log: {dict(sorted(run.tap_statuses.items()))}); "
            f"daily_totals rows disagreeing with calls: {c['days_off']}; users whose xp "
            f"≠ sum of their calls' points: {c['users_xp_off']} of {USERS} "
            f"({c['xp_lost']:+,} points lost out of {c['xp_total']:,}); "
            f"tracebacks in gunicorn stderr: {run.tracebacks}."
        )
    return "\n".join(out)


def reading(runs: list[DbRun], taps: int) -> str:
    done = [r for r in runs if not r.skipped]
    if not done:
        return "No database could be benchmarked; see the table."
    parts = []
    for run in done:
        verdict = "meets" if run.ratio >= TARGET_RATIO else "misses"
        parts.append(
            f"on {run.db} the tap serves {run.tap.rps:.0f} rps, {run.ratio:.1%} of bare "
            f"Flask's {run.bare.rps:.0f} rps, so it {verdict} the ≥ 20% target "
            f"(p50 {run.tap.p50_ms:.0f} ms, p99 {run.tap.p99_ms:.0f} ms)"
        )
    text = "Against the targets: " + "; ".join(parts) + ". "
    floors = [r for r in done if r.floor and r.bare.rps]
    if floors:
        text += (
            "For scale, the minimal tap on the same stack (the floor: Flask-Login's user lookup, "
            "CSRF, one insert, one upsert, a one-line template) reaches "
            + "; ".join(
                f"{r.floor.rps / r.bare.rps:.1%} on {r.db} ({r.floor.cpu_ms_per_request:.2f} ms of "
                f"worker CPU against the tap's {r.tap.cpu_ms_per_request:.2f} ms)"
                for r in floors
            )
            + ", so the tap's streak, badges, goals, team, after-call panel and list row cost "
            + "; ".join(f"{r.tap.cpu_ms_per_request - r.floor.cpu_ms_per_request:.2f} ms on {r.db}" for r in floors)
            + " above it. "
        )
    cpu = [r for r in done if r.tap.cpu_ms_per_request and r.bare.cpu_ms_per_request]
    if cpu:
        text += (
            "Measured by the workers' own CPU time, which depends far less on other load than "
            "rps does, a tap costs "
            + "; ".join(
                f"{r.tap.cpu_ms_per_request:.1f} ms on {r.db} "
                f"({r.bare.cpu_ms_per_request / r.tap.cpu_ms_per_request:.1%} of the bare request's "
                f"{r.bare.cpu_ms_per_request:.2f} ms)"
                for r in cpu
            )
            + ", which puts the ceiling at roughly 2 cores ÷ that, "
            + ", ".join(f"~{2000 / r.tap.cpu_ms_per_request:.0f} taps/s on {r.db}" for r in cpu)
            + (" before PostgreSQL's own CPU" if any(r.db == "postgresql" for r in cpu) else "")
            + ". "
        )
    errs = [r for r in done if r.tap.non2xx or r.tap.socket_errors or r.fivexx_log]
    if errs:
        text += (
            "Errors: "
            + "; ".join(
                f"{r.db} had {r.tap.non2xx} non-2xx/3xx and {r.tap.socket_errors} socket errors "
                f"under wrk and {r.fivexx_log} 5xx in the access log"
                for r in errs
            )
            + ". "
        )
    else:
        text += "There were no errors: no non-2xx responses, no socket errors, no 5xx. "
    locked = [r for r in done if r.locked]
    text += (
        ('"database is locked" appeared ' + ", ".join(f"{r.locked}× on {r.db}" for r in locked) + ". ")
        if locked
        else '"database is locked" never appeared. '
    )
    mem = []
    for r in done:
        if r.mem_first and r.mem_last:
            growth = sum(r.mem_last.values()) - sum(r.mem_first.values())
            flat = "flat" if growth <= FLAT_MEMORY_KIB else "NOT flat"
            mem.append(f"{r.db} {growth:+,} KiB ({flat})")
    if mem:
        text += (
            f"Worker memory between the first and last {taps // 2:,} taps: "
            + ", ".join(mem)
            + f' — "flat" meaning at most {FLAT_MEMORY_KIB // 1024} MiB for both workers. '
        )
    lost = [r for r in done if r.consistency.get("users_xp_off")]
    if lost:
        text += (
            "Not a throughput target but found on the way: users.xp drifted from the calls "
            "under concurrent taps ("
            + ", ".join(
                f"{r.db}: {r.consistency['xp_lost']:+,} points on {r.consistency['users_xp_off']} reps" for r in lost
            )
            + "), a lost update in the read-modify-write of xp. "
        )
    noisy = [r for r in done if r.background_busy > QUIET_BUSY_PCT]
    if noisy:
        text += (
            "Other processes were using the CPUs when "
            + ", ".join(f"{r.db} ({r.background_busy:.0f}% busy)" for r in noisy)
            + " started, so those figures are low by an unknown amount. "
        )
    text += (
        "Caveat: the machine has only 2 cores, shared by wrk, the 2 gunicorn workers and the "
        "database, so absolute numbers are low and both rps figures (and the ratio) are "
        "CPU-bound on the same cores; compare runs only on the same machine."
    )
    return text


def render_section(runs: list[DbRun], taps: int, command: str, info: dict, when: str) -> str:
    versions = []
    for run in runs:
        if run.db == "sqlite":
            versions.append(f"SQLite {info['sqlite']}")
        elif run.version:
            versions.append(f"PostgreSQL {run.version}")
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{command}`",
            "",
            f"- Date: {when}",
            f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['mem_gib']:.1f} GiB RAM, "
            f"Linux {info['kernel']}; Python {info['python']}, {', '.join(versions) or 'no database'}, "
            f"gunicorn {info['gunicorn']}, {info['wrk']}.",
            f"- Servers: gunicorn `{' '.join(GUNICORN_ARGS[:6])}` with an access log, on 127.0.0.1, "
            "for Closer (`webapp:create_app()`), the floor and `bench/bare_app.py` alike. "
            f"Load: `wrk {' '.join(WRK_ARGS)}` after a {WARMUP_SECONDS} s warm-up, in "
            f"{max((len(r.rounds) for r in runs), default=0)} alternating rounds (bare app, floor, tap); the tap uses "
            f"`bench/tap.lua` (POST /calls, random outcome, fresh UUID v4 client_id, the session "
            f"cookie and CSRF token of one of {USERS} logged-in reps, `HX-Request: true`); the bare "
            "app is a GET of a one-line route; the floor is `bench/floor_app.py`, Closer with the tap cut down "
            "to one insert, one upsert and a one-line template, on a database of its own, loaded with the same script.",
            "- wrk, both gunicorn workers and the database share the machine's 2 cores.",
            "- Background load just before each database's run (our servers stopped; other work on "
            "this shared machine): "
            + ", ".join(
                f"{r.db} {r.background_busy:.0f}% CPU busy over 3 s, load average {r.loadavg}"
                for r in runs
                if r.loadavg
            )
            + ".",
            f"- Code measured: a copy of the working tree taken when the run started (so later edits "
            f"cannot leak in); sha256 `{info['code'][0]}` over {', '.join(f'`{p}`' for p in CODE_PARTS)} "
            f"(newest file modified {info['code'][1]}).",
            "",
            table(runs),
            "",
            "Errors: wrk's non-2xx/3xx and socket errors; for the tap also 5xx counted in the access "
            'log and "database is locked" lines in gunicorn\'s stderr over the whole run. '
            "Rounds (tap/bare ratio of each, in the order run; the table shows the median round): "
            + "; ".join(
                f"{r.db} " + ", ".join(f"{t.rps / b.rps:.1%} (floor {f.rps / b.rps:.1%})" for t, b, f in r.rounds)
                for r in runs
                if r.rounds
            )
            + ". "
            "Worker CPU / request: user + system CPU time of the gunicorn workers during the wrk run "
            "(from /proc), divided by the requests in the access log; it excludes wrk and the "
            "PostgreSQL server processes.",
            "",
            f"Memory (VmRSS of the gunicorn workers, children of the master pid; {taps:,} taps sent "
            "after the warm-up and the wrk runs):",
            "",
            memory_lines(runs, taps),
            "",
            "Consistency after the run:",
            "",
            consistency_lines(runs),
            "",
            reading(runs, taps),
            "",
        ]
    )


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)  # so servers and the bench database are cleaned up
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--taps", type=int, default=10000, help="taps for the memory check, read after each half (default 10000)"
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternating wrk rounds of the bare app and the tap (default 3; the median is reported)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="seconds to wait at most for other CPU load to settle before each database",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=60.0,
        help="seconds the app's files must be unedited before they are copied (default 60)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    if args.taps < 2:
        parser.error("--taps must be at least 2")

    if not shutil.which("wrk"):
        print(
            "ERROR: wrk is not installed, and this benchmark needs it.\n"
            "Install it with:  apt-get install -y wrk   (sudo if not root), then run again.",
            file=sys.stderr,
        )
        return 2

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join([".venv/bin/python bench/tap_throughput.py", *(a for a in sys.argv[1:] if a != "--no-write")])
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    seed = random.SystemRandom().randrange(1, 2**31)

    runs = []
    with tempfile.TemporaryDirectory(prefix="closer-bench-") as workdir:
        global CODE_ROOT
        CODE_ROOT = snapshot_code(workdir, args.settle)
        sys.path.insert(0, CODE_ROOT)  # webapp is imported (to register reps) from the snapshot
        info = machine_info()
        print(f"[code] serving a frozen copy of the app, sha256 {info['code'][0]} (newest file {info['code'][1]})")
        for kind in kinds:
            runs.append(run_database(kind, args.taps, workdir, seed, args.quiet_wait, args.rounds))

    section = render_section(runs, args.taps, command, info, when)
    print()
    print(section)
    if not args.no_write:
        write_section(SECTION, section)
        print(f"(written to {BENCHMARKS_MD})")
    return 0 if all(not r.skipped for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
