"""A frozen copy of the app, so edits made while a benchmark runs cannot change what it measures."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime

from harness import ROOT

# What the app is made of; a figure names the sha256 over these files.
CODE_PARTS = ("webapp", "templates", "static", "migrations", "manifest.json")


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
    digest, newest = hashlib.sha256(), 0.0
    for path in code_files(root):
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(fh.read())
        newest = max(newest, os.path.getmtime(path))
    when = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return digest.hexdigest()[:12], when


def snapshot_code(workdir: str, settle: float = 60.0, limit: float = 600.0) -> str:
    """Copy the app into ``workdir/code`` once nobody has edited it for ``settle`` s (waiting ≤ ``limit`` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        quiet_for = time.time() - max(os.path.getmtime(p) for p in code_files(ROOT))
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


def use_code(root: str) -> None:
    """Import ``webapp`` from ``root`` in this process (the snapshot, or the working tree)."""
    if "webapp" in sys.modules:
        raise RuntimeError("webapp was imported before use_code(); the benchmark would measure the wrong tree")
    sys.path.insert(0, root)
    import webapp

    if not os.path.abspath(webapp.__file__).startswith(os.path.abspath(root) + os.sep):
        raise RuntimeError(f"webapp was imported from {webapp.__file__}, not from {root}")


def run_json_in(root: str, args: list[str], timeout: float, env: dict | None = None) -> dict:
    """Run ``python *args`` with the code at ``root`` first on the path; the JSON of its last output line."""
    done = subprocess.run(
        [sys.executable, *args],
        env={**os.environ, "PYTHONPATH": root, **(env or {})},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"measuring the code at {root} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
