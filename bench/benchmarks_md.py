"""Writing one benchmark's section of BENCHMARKS.md, leaving the other sections as they are."""

from __future__ import annotations

import os
import re

BENCHMARKS_MD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "BENCHMARKS.md")


def write_section(title: str, section: str) -> None:
    """Replace the section headed ``title`` (a "## ..." line) with ``section``, or append it."""
    existing = ""
    if os.path.exists(BENCHMARKS_MD):
        with open(BENCHMARKS_MD) as fh:
            existing = fh.read()
    if not existing.strip():
        existing = "# Benchmarks\n\nMeasured figures for Closer; each section says how to reproduce it.\n"
    pattern = re.compile(rf"^{re.escape(title)}\s*$.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    with open(BENCHMARKS_MD, "w") as fh:
        fh.write(updated.rstrip("\n") + "\n")
