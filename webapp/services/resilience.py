"""Resilience coaching: reviews, tough calls, resets, closer-to-yes. (Grows with that feature.)"""

from __future__ import annotations

from webapp.models import Call, User


def on_call_change(user: User, call: Call, sign: int) -> None:
    """Called inside the write path after every tap or undo, in its transaction."""


def main_screen_context(user: User, last_call: Call | None) -> dict:
    """What the main screen shows after a call (review offer, closer-to-yes meter)."""
    return {}
