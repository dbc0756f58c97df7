"""The game as JSON, for ``GET /api/v1/me/summary``."""

from __future__ import annotations

from datetime import datetime

from webapp.models import User
from webapp.services.game.badges import earned_badges
from webapp.services.game.state import game_state


def summary_json(user: User, now: datetime | None = None) -> dict:
    """Level, XP, streak, today's goals and the badges held."""
    state = game_state(user, now)
    return {
        "level": state.level.level,
        "xp": state.level.xp,
        "xp_to_next_level": state.level.xp_to_next,
        "streak": {
            "current": state.streak.current,
            "longest": state.streak.longest,
            "freezes_banked": state.streak.freezes,
            "today_met": state.streak.today_met,
            "dials_to_keep": state.streak.dials_to_keep,
        },
        "goals": {ring.kind.value: {"done": ring.done, "target": ring.target, "met": ring.met} for ring in state.goals},
        "badges": [
            {"code": code, "name": name, "earned_on": day.isoformat()} for code, name, day in earned_badges(user)
        ],
    }
