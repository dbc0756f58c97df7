"""The bench library: what every benchmark in ``bench/`` shares, one purpose a module.

- ``snapshot``: a frozen copy of the app's code, and its fingerprint.
- ``databases``: a fresh database of either kind (never the one named in
  ``TEST_DATABASE_URL``), migrations, an in-process app.
- ``servers``: gunicorn on 127.0.0.1 on a free port, stopped by its own pid;
  its workers' RSS and CPU from /proc; its access log and stderr.
- ``web`` and ``reps``: plain HTTP to 127.0.0.1; reps registered and logged in,
  with their cookies and CSRF tokens.
- ``wrk``: running wrk and reading its output.
- ``loadgen``: an asyncio client for closed and open loops (latency from the
  scheduled send time).
- ``consistency``: do the aggregates equal the sums over the live calls?
- ``machine``: what the machine is, and waiting for it to go quiet.
- ``report``: writing one section of BENCHMARKS.md, percentiles.

Benchmarks run as ``.venv/bin/python bench/<name>.py`` from the project root,
so ``bench/`` is on ``sys.path`` and they ``import harness``.
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
PY = sys.executable
