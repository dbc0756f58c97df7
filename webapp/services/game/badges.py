"""The badges page and the badges a rep holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from webapp.domain.badges import BADGES, Badge, badge_by_code, badge_progress
from webapp.extensions import db
from webapp.models import EarnedBadge, User
from webapp.services import hot_sql, prepared
from webapp.services.game.stats import player_stats
from webapp.services.game.streak import live_streak
from webapp.services.game.totals import day_row, lifetime_of
from webapp.services.today import today_for


@dataclass(frozen=True)
class BadgeCard:
    """One badge on the badges page: earned or locked, with progress."""

    badge: Badge
    earned_on: date | None
    current: int
    target: int
    progress_hidden: bool = False  # a streak badge's count, for a rep who hides their streak

    @property
    def earned(self) -> bool:
        """Whether the rep holds this badge."""
        return self.earned_on is not None


def badge_board(user: User, now: datetime | None = None) -> list[BadgeCard]:
    """Every badge, earned ones with their date, locked ones with progress toward them (writes nothing)."""
    today = today_for(user, now)
    _, streak = live_streak(user, today)
    stats = player_stats(user, lifetime_of(user), day_row(user, today), streak, today)
    earned = dict(
        db.session.execute(select(EarnedBadge.code, EarnedBadge.local_date).where(EarnedBadge.user_id == user.id)).all()
    )
    cards = []
    for badge in BADGES:
        current, target = badge_progress(badge, stats)
        held = badge.code in earned
        hidden = streak.hidden and badge.metric == "streak" and not held
        cards.append(BadgeCard(badge, earned.get(badge.code), target if held else current, target, hidden))
    return cards


def earned_badges(user: User) -> list[tuple[str, str, date]]:
    """Badges the rep holds: (code, name, date earned), oldest first."""
    rows = db.session.execute(
        select(EarnedBadge.code, EarnedBadge.local_date)
        .where(EarnedBadge.user_id == user.id)
        .order_by(EarnedBadge.earned_at, EarnedBadge.id)
    ).all()
    return [(code, badge_by_code(code).name, day) for code, day in rows]


def held_badges(user_id: int) -> set[str]:
    """Codes of the badges the rep holds."""
    return {row.code for row in prepared.rows(hot_sql.BADGES_HELD, user_id=user_id)}
