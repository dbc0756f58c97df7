"""gunicorn on 127.0.0.1 on a free port, started and stopped by its own pid, and what /proc says of it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections import Counter

from harness import PY, ROOT
from harness.web import local_http

WORKERS = 2
# The same for Closer, the floor and the bare app. The access log line is
# "status method path microseconds", read back by ``statuses_since`` and ``timings_since``.
GUNICORN_ARGS = ["--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "60"]
# What the README's deployment runs: threaded workers keep a connection alive between requests.
# gunicorn's sync worker instead drains each connection for up to 2 s after its answer, serving
# nobody meanwhile, so a client that keeps connections open (a browser, a phone) stalls it.
THREADED_ARGS = ["--workers", str(WORKERS), "--worker-class", "gthread", "--threads", "4", "--timeout", "60"]
ACCESS_FORMAT = "%(s)s %(m)s %(U)s %(D)s"


def free_port() -> int:
    """A port nobody listens on right now, on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master with ``WORKERS`` sync workers, serving ``app_spec`` from ``code_root``."""

    def __init__(
        self,
        name: str,
        app_spec: str,
        env: dict,
        logdir: str,
        *,
        code_root: str = ROOT,
        chdir: str | None = None,
        ready_path: str = "/login",
        worker_args: list[str] = GUNICORN_ARGS,
    ):
        self.name = name
        self.app_spec = app_spec
        self.env = env
        self.code_root = code_root
        self.chdir = chdir
        self.ready_path = ready_path
        self.worker_args = worker_args
        self.port = free_port()
        self.access_log = os.path.join(logdir, f"{name}.access.log")
        self.error_log = os.path.join(logdir, f"{name}.stderr.log")
        self.process: subprocess.Popen | None = None
        self._stderr = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Server:
        """Start, and return once ``ready_path`` answers and every worker is up."""
        cmd = [PY, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", *self.worker_args]
        cmd += ["--access-logformat", ACCESS_FORMAT, "--access-logfile", self.access_log, "--error-logfile", "-"]
        if self.chdir:
            cmd += ["--chdir", self.chdir]
        cmd.append(self.app_spec)
        self._stderr = open(self.error_log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(cmd, cwd=self.code_root, env=self.env, stdout=self._stderr, stderr=self._stderr)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting; see {self.error_log}:\n{self.tail()}")
            try:
                local_http(self.port, "GET", self.ready_path, timeout=2)
                if len(self.worker_pids()) >= WORKERS:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start within {timeout:.0f} s; see {self.error_log}")

    def stop(self) -> None:
        """SIGTERM to the master (its own pid), SIGKILL if it lingers."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._stderr:
            self._stderr.close()
            self._stderr = None
        self.process = None

    # ------------------------------------------------------------ /proc

    def worker_pids(self) -> list[int]:
        """The master's children: the workers."""
        pid = self.process.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as fh:
                return [int(p) for p in fh.read().split()]
        except OSError:
            return [child for child in _all_pids() if _parent_of(child) == pid]

    def worker_rss_kib(self) -> dict[int, int]:
        """VmRSS of each worker, in KiB."""
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

    # ------------------------------------------------------------ logs

    def access_size(self) -> int:
        """Bytes in the access log so far: an offset for ``statuses_since``."""
        return os.path.getsize(self.access_log) if os.path.exists(self.access_log) else 0

    def wait_for_idle_log(self, quiet: float = 1.5, limit: float = 15.0) -> None:
        """Wait until the access log has not grown for ``quiet`` s (at most ``limit`` s)."""
        deadline = time.monotonic() + limit
        size, since = self.access_size(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.25)
            if self.access_size() != size:
                size, since = self.access_size(), time.monotonic()

    def access_lines(self, offset: int = 0) -> list[list[str]]:
        """The access log's lines after ``offset``, split into status, method, path, microseconds."""
        if not os.path.exists(self.access_log):
            return []
        with open(self.access_log, "rb") as fh:
            fh.seek(offset)
            return [line.decode("utf-8", "replace").split() for line in fh if line[:1].isdigit()]

    def statuses_since(self, offset: int = 0) -> dict[int, int]:
        """How many answers of each status the log has after ``offset``."""
        return dict(Counter(int(fields[0]) for fields in self.access_lines(offset)))

    def timings_since(self, offset: int = 0) -> dict[str, list[float]]:
        """Server-side milliseconds per "METHOD route" after ``offset`` (ids in paths folded to ``<id>``)."""
        timings: dict[str, list[float]] = {}
        for fields in self.access_lines(offset):
            if len(fields) >= 4 and fields[3].isdigit():
                timings.setdefault(f"{fields[1]} {route_of(fields[2])}", []).append(int(fields[3]) / 1000)
        return timings

    def stderr_count(self, needle: str) -> int:
        """How often ``needle`` appears in gunicorn's stderr (tracebacks, "database is locked")."""
        with open(self.error_log, "rb") as fh:
            return fh.read().decode("utf-8", "replace").count(needle)

    def tail(self, lines: int = 25) -> str:
        """The last lines of gunicorn's stderr."""
        if not os.path.exists(self.error_log):
            return ""
        with open(self.error_log, "rb") as fh:
            return "\n".join(fh.read().decode("utf-8", "replace").splitlines()[-lines:])


def route_of(path: str) -> str:
    """``/calls/1b4e.../undo`` as ``/calls/<id>/undo``, ``/teams/3/board`` as ``/teams/<id>/board``."""
    parts = path.split("?", 1)[0].split("/")
    return "/".join("<id>" if part.isdigit() or (len(part) >= 32 and "-" in part) else part for part in parts)


def _all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
