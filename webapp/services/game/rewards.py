"""Personal rewards a rep sets for themself, like "coffee at 40 dials"."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import delete, select

from webapp.domain import celebrations as cheer
from webapp.domain import inputs
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.i18n import translated
from webapp.models import Reward, User
from webapp.services import hot_sql, prepared
from webapp.services.game.settings import SettingsError
from webapp.services.transaction import transaction

LABEL_MAX = 80
THRESHOLD_MAX = 10_000


def add_reward(user: User, label: str, metric: str, threshold: str) -> Reward:
    """Create a personal reward, or raise ``SettingsError`` with a clear message."""
    errors = {}
    try:
        label = inputs.text(label, LABEL_MAX, N_("The reward's name"), required=True)
    except inputs.InputError as refused:
        hint = gettext('Name the reward in 1 to %(most)s characters, like "coffee".', most=LABEL_MAX)
        errors["reward_label"] = f"{translated(refused)} {hint}"
    if metric not in {m.value for m in cheer.RewardMetric}:
        errors["reward_metric"] = gettext("Choose dials, conversations, follow-ups or points.")
    try:
        count = inputs.whole_number(threshold, 1, THRESHOLD_MAX)
    except inputs.InputError as refused:
        errors["reward_threshold"] = translated(refused)
    if errors:
        raise SettingsError(errors)
    reward = Reward(user_id=user.id, label=label, metric=metric, threshold=count)
    with transaction():
        db.session.add(reward)
    return reward


def delete_reward(user: User, reward_id: int) -> bool:
    """Remove one of the rep's own rewards; False when there is no such reward of theirs."""
    with transaction():
        result = db.session.execute(delete(Reward).where(Reward.id == reward_id, Reward.user_id == user.id))
    return result.rowcount > 0


def rewards_of(user: User) -> list[Reward]:
    """The rep's personal rewards."""
    return list(db.session.scalars(select(Reward).where(Reward.user_id == user.id).order_by(Reward.id)))


def rewards_today(user: User, today: date) -> tuple[list[cheer.Reward], set[int]]:
    """The rep's rewards, and those already reached today."""
    rows = prepared.rows(hot_sql.REWARDS_AND_HITS, user_id=user.id, today=today)
    rewards = [cheer.Reward(r.id, r.label, r.metric, r.threshold) for r in rows]
    return rewards, {r.id for r in rows if r.local_date is not None}
