"""Where a call came from, and which of those a board marks as logged by a dialer.

A tap in the app is the rep's own hand; a call sent with a personal API token
("api") or by a dialer's disposition URL ("dialer") was logged by a machine,
and a board says so beside the rep's number, so a team compares like with
like. A rep's own export read back in ("import") is their app history moved
from another server, not a dialer's work, so it is not marked.
"""

from __future__ import annotations

APP = "app"
API = "api"
DIALER = "dialer"
IMPORT = "import"

# The sources counted in ``daily_totals.dialer_calls`` (the migration that added it lists them too).
DIALER_SOURCES = frozenset({API, DIALER})


def logged_by_dialer(source: str | None) -> bool:
    """Whether a call of this source was logged by a dialer or through the API, not tapped in the app."""
    return source in DIALER_SOURCES
