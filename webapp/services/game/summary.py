"""The game as JSON, for ``GET /api/v1/me/summary``."""

from __future__ import annotations

from datetime import datetime

from webapp.domain.streaks import StreakView
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
            "minimum": state.streak.minimum,
            "working_today": state.streak.working_today,
            "time_off_today": state.streak.time_off_today,
            "hidden": state.streak.hidden,
            "repair": _repair_json(state.streak),
        },
        "goals": {ring.kind.value: {"done": ring.done, "target": ring.target, "met": ring.met} for ring in state.goals},
        "badges": [
            {"code": code, "name": name, "earned_on": day.isoformat()} for code, name, day in earned_badges(user)
        ],
    }


def _repair_json(streak: StreakView) -> dict | None:
    """The repair on offer (or made) today, or ``None``."""
    if streak.missed_on is None:
        return None
    return {
        "missed_on": streak.missed_on.isoformat(),
        "streak": streak.repair_streak,
        "dials": streak.repair_dials,
        "dials_needed": streak.repair_dials_needed,
        "repaired_today": streak.repaired_today,
    }
