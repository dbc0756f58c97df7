#!/usr/bin/env python
"""Run every benchmark in turn (``make bench``); each writes its own section of BENCHMARKS.md or prints a table.

Run it on an otherwise idle machine: the figures are only comparable between quiet runs.
"""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = [
    "game_tap.py",
    "offline_sync_batch.py",
    "user_loader.py",
    "leaderboard.py",
    "insights.py",
    "buddy_line.py",
    "request_cost.py",
    "tap_throughput.py",
    "load.py",
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n## {script}\n", flush=True)
        if subprocess.run([sys.executable, os.path.join(HERE, script)], cwd=os.path.dirname(HERE)).returncode:
            failed.append(script)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
