"""Teams: membership, boards, feed, challenges. (Grows with the teams feature.)"""

from __future__ import annotations

from webapp.models import Call, User


def on_call_change(user: User, call: Call, sign: int) -> None:
    """Called inside the write path after every tap or undo, in its transaction."""


def main_screen_context(user: User) -> dict:
    """What the main screen shows of the rep's team (the challenge bar)."""
    return {}
