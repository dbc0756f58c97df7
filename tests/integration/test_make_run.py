"""`make run` starts the worker beside the server, and stops it by its pid when the server stops."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its command line, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                try:
                    found[child] = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_the_app_with_the_worker_and_stops_the_worker_with_the_server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "CLOSER_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "TASK_QUEUE_FILE": str(tmp_path / "tasks.db"),
        "RATELIMIT_ENABLED": "false",
    }
    env.pop("REDIS_URL", None)
    log = open(tmp_path / "make-run.log", "w")  # noqa: SIM115 (closed below)
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:

        def serving() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).status == 200
            except OSError:
                return False

        assert wait_until(serving, 300), (tmp_path / "make-run.log").read_text()[-2000:]
        tree = descendants(make.pid)
        pythons = {pid: cmd for pid, cmd in tree.items() if "python" in cmd.split(" ", 1)[0]}
        workers = [pid for pid, cmd in pythons.items() if cmd.rstrip().endswith("flask --app webapp worker")]
        servers = [pid for pid, cmd in pythons.items() if " run " in cmd]
        assert len(workers) == 1 and len(servers) == 1, tree
        (worker,), (server,) = workers, servers
        assert wait_until(lambda: (tmp_path / "tasks.db").exists(), 30)  # the worker opened its queue
        os.kill(server, signal.SIGTERM)
        assert wait_until(lambda: not alive(worker), 30), "the worker outlived the server"
        assert make.wait(timeout=30) is not None
        assert f"worker running as pid {worker}" in (tmp_path / "make-run.log").read_text()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(timeout=30)
        log.close()
