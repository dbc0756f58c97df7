"""The baseline for the tap benchmark: Flask with one route and nothing else.

Served by gunicorn with exactly the settings Closer gets in ``tap_throughput.py``,
so "tap rps / bare rps" measures what Closer's own work costs per request.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "ok"
