"""wrk: run it, read its output, and charge the run's worker CPU to the requests it made."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

from harness import BENCH

WRK_THREADS, WRK_CONNECTIONS = 2, 10
TAP_SCRIPT = os.path.join(BENCH, "tap.lua")


def wrk_args(seconds: int) -> list[str]:
    return [f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency"]


@dataclass
class WrkResult:
    """What one wrk run measured, plus the server's side of it."""

    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non2xx: int = 0
    socket_errors: int = 0
    socket_detail: str = "none"
    statuses: dict = field(default_factory=dict)  # from the server's access log
    cpu_ms_per_request: float = 0.0  # gunicorn workers' CPU time / requests they answered
    raw: str = ""


def require_wrk() -> bool:
    """True when wrk is installed; otherwise say how to install it."""
    if shutil.which("wrk"):
        return True
    print(
        "ERROR: wrk is not installed, and this benchmark needs it.\n"
        "Install it with:  apt-get install -y wrk   (sudo if not root), then run again.",
        file=sys.stderr,
    )
    return False


def wrk_version() -> str:
    if not shutil.which("wrk"):
        return ""
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout + out.stderr).split("[")[0].strip()


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match.group(2)]


def parse_wrk(out: str) -> WrkResult:
    """rps, p50, p99, request count, non-2xx/3xx and socket errors from wrk's ``--latency`` output."""
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


def run_wrk(url: str, seconds: int, script_args: list[str] | None = None, script: str = TAP_SCRIPT) -> WrkResult:
    """One wrk run against ``url``; with ``script_args``, through ``script`` (``tap.lua``) with those arguments."""
    cmd = ["wrk", *wrk_args(seconds)]
    cmd += ["-s", script, url, "--", *script_args] if script_args is not None else [url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse_wrk(done.stdout)


def measure(server, url: str, seconds: int, script_args: list[str] | None = None) -> WrkResult:
    """One wrk run, plus the statuses the server logged and its workers' CPU per request.

    Worker CPU time is far less disturbed by other load on the machine than rps.
    """
    offset, cpu0 = server.access_size(), server.worker_cpu_seconds()
    result = run_wrk(url, seconds, script_args)
    server.wait_for_idle_log()
    result.statuses = server.statuses_since(offset)
    answered = sum(result.statuses.values())
    if answered:
        result.cpu_ms_per_request = (server.worker_cpu_seconds() - cpu0) * 1000 / answered
    return result
