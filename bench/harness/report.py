"""Writing one benchmark's section of BENCHMARKS.md, and the small statistics the sections use."""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime

from harness import ROOT

BENCHMARKS_MD = os.path.join(ROOT, "BENCHMARKS.md")
HEADER = "# Benchmarks\n\nMeasured figures for Closer; each section says how to reproduce it.\n"


def write_section(title: str, section: str, path: str = BENCHMARKS_MD) -> None:
    """Replace the section headed ``title`` (a "## ..." line) with ``section``, or append it."""
    existing = ""
    if os.path.exists(path):
        with open(path) as fh:
            existing = fh.read()
    if not existing.strip():
        existing = HEADER
    pattern = re.compile(rf"^{re.escape(title)}\s*$.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    with open(path, "w") as fh:
        fh.write(updated.rstrip("\n") + "\n")


def publish(title: str, section: str, no_write: bool) -> None:
    """Print the section, and write it to BENCHMARKS.md unless ``no_write``."""
    print()
    print(section)
    if not no_write:
        write_section(title, section)
        print(f"(written to {BENCHMARKS_MD})")


def command_line(script: str, hidden: tuple[str, ...] = ("--no-write",)) -> str:
    """How this run was started, as a reader would type it (``--no-write`` left out)."""
    return " ".join([f".venv/bin/python bench/{script}", *(a for a in sys.argv[1:] if a not in hidden)])


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank on the sorted values); NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"
