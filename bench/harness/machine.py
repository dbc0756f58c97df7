"""What the machine is, how busy it is, and waiting for it to go quiet before measuring."""

from __future__ import annotations

import os
import platform
import sqlite3
import threading
import time

QUIET_BUSY_PCT = 15.0  # background CPU use (our servers stopped) above which a run is flagged


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def machine_info() -> dict:
    """Cores, CPU, memory, kernel and the versions of what a figure depends on."""
    import gunicorn

    from harness.wrk import wrk_version

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "mem_gib": memory_gib(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": gunicorn.__version__,
        "wrk": wrk_version(),
        "kernel": platform.release(),
    }


def describe(info: dict | None = None, databases: list[str] = (), servers: bool = True) -> str:
    """One line: "2 cores (AMD EPYC), 23.5 GiB RAM, Linux ...; Python ..., SQLite ..., gunicorn ..."."""
    info = info or machine_info()
    parts = [f"Python {info['python']}", *databases]
    if servers:
        parts += [f"gunicorn {info['gunicorn']}", *([info["wrk"]] if info.get("wrk") else [])]
    return (
        f"{info['nproc']} cores ({info['cpu']}), {info['mem_gib']:.1f} GiB RAM, Linux {info['kernel']}; "
        + ", ".join(parts)
    )


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages, as text."""
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


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
    """Wait (at most ``limit`` s) until other processes leave the CPUs mostly idle; return the busy %."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        print(f"[{label}] the machine is {busy:.0f}% busy before we start; waiting for it to calm down")
        busy = cpu_busy()
    return busy


def _busy_ticks() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:9]]
    return sum(values), values[3] + values[4]


def _process_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total


class Monitor:
    """Once a second, in a thread: the machine's CPU busy % and the CPU % (of one core) of ``pids``.

    Read beside a run's slow seconds, it tells a stall of the whole machine (other
    work on the cores) from one of the server (its workers busy).
    """

    def __init__(self, pids: list[int], interval: float = 1.0):
        self.pids, self.interval = pids, interval
        self.samples: list[tuple[float, float, float]] = []  # (time.perf_counter(), machine %, workers %)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Monitor:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        total, idle = _busy_ticks()
        mine, then = _process_ticks(self.pids), time.perf_counter()
        while not self._stop.wait(self.interval):
            total2, idle2 = _busy_ticks()
            mine2, now = _process_ticks(self.pids), time.perf_counter()
            busy = 100.0 * (1 - (idle2 - idle) / (total2 - total)) if total2 > total else 0.0
            self.samples.append((now, busy, 100.0 * (mine2 - mine) / ticks / (now - then)))
            total, idle, mine, then = total2, idle2, mine2, now

    def around(self, moment: float) -> tuple[float, float] | None:
        """(machine busy %, workers' CPU %) of the interval that holds ``moment`` (a perf_counter time)."""
        for end, busy, workers in self.samples:
            if end - self.interval <= moment <= end:
                return busy, workers
        return None
