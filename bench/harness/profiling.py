"""Where the workers' time goes: py-spy on each gunicorn worker during a run, summed up.

py-spy is not a dependency of Closer: ``.venv/bin/pip install py-spy==0.4.3`` (it samples
the workers from outside, so the app needs no change; it needs ptrace, which root has).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter

from harness import PY

# Where a sample's innermost frame was: groups a reader can act on. The first match wins.
AREAS = (
    ("the database (SQL running or awaited, commits)", ("psycopg/", "do_execute", "do_commit", "statements.py")),
    ("Jinja templates", ("jinja2/", "templates/", ".html")),
    ("SQLAlchemy (ORM, statements, results)", ("sqlalchemy/",)),
    ("Flask, Werkzeug, Flask-Login, CSRF, sessions", ("flask", "werkzeug/", "itsdangerous/")),
    ("the app's own Python", ("webapp/",)),
    ("gunicorn, logging, the rest", ("",)),
)


def py_spy() -> str | None:
    """The py-spy executable beside this Python, or on PATH."""
    beside = os.path.join(os.path.dirname(PY), "py-spy")
    return beside if os.path.exists(beside) else shutil.which("py-spy")


def start(pids: list[int], seconds: float, outdir: str, label: str) -> list[tuple[subprocess.Popen, str]]:
    """Start one ``py-spy record`` per worker (collapsed stacks, 100 Hz, idle frames left out)."""
    tool = py_spy()
    if tool is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy==0.4.3")
    os.makedirs(outdir, exist_ok=True)
    runs = []
    for pid in pids:
        out = os.path.join(outdir, f"{label}-{pid}.txt")
        cmd = [tool, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "100"]
        cmd += ["--format", "raw", "--output", out, "--nonblocking"]
        runs.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out))
    return runs


def finish(runs: list[tuple[subprocess.Popen, str]], timeout: float = 60.0) -> list[str]:
    """Wait for the recordings; the files that were written."""
    for process, _ in runs:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=10)
    return [out for _, out in runs if os.path.exists(out)]


def _stacks(files: list[str]):
    for path in files:
        with open(path) as fh:
            for line in fh:
                stack, _, count = line.rstrip("\n").rpartition(" ")
                if stack and count.isdigit():
                    yield stack.split(";"), int(count)


def summarize(files: list[str], top: int = 12) -> dict:
    """Samples in total; share per view (inclusive), per area (by the innermost frame), per app function."""
    total, views, areas, app = 0, Counter(), Counter(), Counter()
    for frames, count in _stacks(files):
        total += count
        view = next((f for f in frames if "webapp/views/" in f), None)
        views[_name(view) if view else "(outside a view: gunicorn, Flask, middleware)"] += count
        areas[next(area for area, needles in AREAS if any(n in frames[-1] for n in needles))] += count
        for name in {_name(f) for f in frames if "webapp/" in f and "webapp/views/" not in f}:
            app[name] += count
    share = (lambda c: {k: v / total for k, v in c.most_common(top)}) if total else (lambda c: {})
    return {"samples": total, "views": share(views), "areas": share(areas), "functions": share(app)}


def _name(frame: str) -> str:
    """``tap (webapp/views/calls.py:57)`` as ``views/calls.py:tap``."""
    match = re.match(r"(.+?) \((?:.*/)?webapp/(.+?):\d+\)", frame)
    return f"{match.group(2)}:{match.group(1)}" if match else frame
