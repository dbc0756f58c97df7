"""What the machine is, how busy it is, and waiting for it to go quiet before measuring."""

from __future__ import annotations

import os
import platform
import sqlite3
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
