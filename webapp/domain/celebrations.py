"""Celebrations: what to cheer about after a tap, most important first.

The service takes a snapshot before and after recording a call (or a review,
a reset...) and asks ``celebrations_for_tap`` what changed. Order: a new
level, a streak milestone, then badges, then the rep's own rewards, then
micro-goals. ``big`` marks the moments worth the full screen: a first meeting,
a first sale, a level up, a streak milestone and a team challenge reached.
Every other win (a badge, a reward, a goal ring closed) is a small toast.
``moment_and_toasts`` picks the one big moment a screen shows and lists the
rest as toasts (the page still honours reduced-motion settings).

Badges are celebrated from the difference in *held* badge codes, and the
service fills ``after.earned_badges`` with ``badges.newly_earned``, which
never re-awards a code. So undoing a call and tapping it again can never
celebrate a badge twice. Goals and rewards have no memory: if an undo takes
a count back under its target, reaching it again is cheered again. Pass
``already_celebrated_rewards`` to silence rewards the rep has already had.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from webapp.domain.badges import BADGES
from webapp.domain.goals import (
    DEFAULT_TARGETS,
    DayCounts,
    GoalKind,
    GoalTargets,
    goals_newly_met,
)
from webapp.domain.levels import levels_crossed
from webapp.domain.wording import N_


class CelebrationKind(StrEnum):
    """What is being celebrated, in order of importance."""

    LEVEL = "level"
    STREAK = "streak"
    CHALLENGE = "challenge"
    BADGE = "badge"
    REWARD = "reward"
    GOAL = "goal"


# Badges that are big moments of their own; every other badge is a toast.
BIG_BADGES = frozenset({"first_meeting", "first_sale"})
# Streak lengths worth the full screen (the wins log keeps the same ones).
STREAK_MILESTONES = frozenset({3, 5, 10, 20, 30, 60, 100, 200})
# When one tap earns several big moments, the full screen shows the rarest.
_MOMENT_ORDER = (CelebrationKind.BADGE, CelebrationKind.CHALLENGE, CelebrationKind.STREAK, CelebrationKind.LEVEL)


class RewardMetric(StrEnum):
    """Today's numbers a personal reward can be tied to."""

    DIALS = "dials"
    CONVERSATIONS = "conversations"
    FOLLOW_UPS = "follow_ups"
    POINTS = "points"  # points from today's calls


@dataclass(frozen=True)
class Reward:
    """A reward the rep set for themself, e.g. "coffee at 40 dials"."""

    id: int | str
    label: str
    metric: RewardMetric | str
    threshold: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "metric", RewardMetric(self.metric))  # clear error on a typo
        if self.threshold < 1:
            raise ValueError(f"A reward needs a threshold of at least 1; got {self.threshold}.")


@dataclass(frozen=True)
class TapSnapshot:
    """The rep's game state on one side of a tap."""

    xp: int
    counts: DayCounts
    targets: GoalTargets = DEFAULT_TARGETS
    earned_badges: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Celebration:
    """One thing to cheer, with short, warm copy."""

    kind: CelebrationKind
    title: str
    message: str
    big: bool
    # The art a big moment shows: "badge:<code>", "level:<n>" or "streak:<n>" (see badge_art.moment_svg).
    art: str = ""
    # For the page in the rep's language: the N_-marked English of title and message, before the
    # words went in, and those words ("label" is the rep's own text and is never translated).
    patterns: tuple[str, str] = field(default=("", ""), compare=False)
    words: tuple[tuple[str, str | int], ...] = field(default=(), compare=False)


def _cheer(
    kind: CelebrationKind, title: str, message: str, *, big: bool, art: str = "", **words: str | int
) -> Celebration:
    """A celebration from N_-marked patterns and their words: English on it, the patterns kept to translate."""
    return Celebration(
        kind, title % words, message % words, big=big, art=art, patterns=(title, message), words=tuple(words.items())
    )


def reward_value(metric: RewardMetric | str, counts: DayCounts) -> int:
    """Today's value of a reward's metric."""
    metric = RewardMetric(metric)
    if metric is RewardMetric.POINTS:
        return counts.points
    return counts.value(GoalKind(metric.value))


def rewards_reached(
    rewards: Sequence[Reward],
    before_counts: DayCounts,
    after_counts: DayCounts,
    already_celebrated: Collection[int | str] = (),
) -> list[Reward]:
    """Rewards whose threshold this tap crossed (below before, at or above after)."""
    return [
        reward
        for reward in rewards
        if reward.id not in already_celebrated
        and reward_value(reward.metric, before_counts) < reward.threshold <= reward_value(reward.metric, after_counts)
    ]


# What a goal met is called, in a toast and in the team feed.
GOAL_TITLES = {
    GoalKind.DIALS: N_("Dial goal met"),
    GoalKind.CONVERSATIONS: N_("Conversation goal met"),
    GoalKind.FOLLOW_UPS: N_("Follow-up goal met"),
}


def celebrations_for_tap(
    before: TapSnapshot,
    after: TapSnapshot,
    rewards: Sequence[Reward] = (),
    already_celebrated_rewards: Collection[int | str] = (),
    *,
    streak_reached: int | None = None,
) -> list[Celebration]:
    """Everything this tap earned, most important first: level, streak, badges, rewards, goals.

    ``streak_reached`` is the streak this tap made today count for (the caller
    knows: today's dials crossed the daily minimum); a milestone length is a
    big moment.
    """
    cheers: list[Celebration] = []

    crossed = levels_crossed(before.xp, after.xp)
    if crossed:
        # One cheer for the highest level reached, even if a big win crossed two.
        cheers.append(
            _cheer(
                CelebrationKind.LEVEL,
                N_("Level %(level)s"),
                N_("Every dial got you here. On to the next one."),
                big=True,
                art=f"level:{crossed[-1]}",
                level=crossed[-1],
            )
        )

    if streak_reached in STREAK_MILESTONES:
        cheers.append(
            _cheer(
                CelebrationKind.STREAK,
                N_("%(days)s-day streak"),
                N_("%(days)s working days in a row you showed up."),
                big=True,
                art=f"streak:{streak_reached}",
                days=streak_reached,
            )
        )

    new_codes = after.earned_badges - before.earned_badges
    for badge in BADGES:  # catalogue order, so the list is stable
        if badge.code in new_codes:
            cheers.append(
                _cheer(
                    CelebrationKind.BADGE,
                    N_("Badge: %(badge)s"),
                    badge.cheer,
                    big=badge.code in BIG_BADGES,
                    art=f"badge:{badge.code}",
                    badge=badge.name,
                )
            )

    for reward in rewards_reached(rewards, before.counts, after.counts, already_celebrated_rewards):
        cheers.append(
            _cheer(
                CelebrationKind.REWARD,
                N_("Reward unlocked: %(label)s"),
                N_("You set it, you earned it. Enjoy it."),
                big=False,
                label=reward.label,
            )
        )

    for ring in goals_newly_met(before.counts, after.counts, after.targets):
        cheers.append(
            _cheer(
                CelebrationKind.GOAL,
                GOAL_TITLES[ring.kind],
                N_("%(done)s of %(target)s. That's a win, whatever the next call brings."),
                big=False,
                done=ring.done,
                target=ring.target,
            )
        )
    return cheers


def challenge_reached(label: str, team_name: str) -> Celebration:
    """The big moment of the tap that reached the team's challenge."""
    return _cheer(
        CelebrationKind.CHALLENGE,
        N_("Team challenge reached"),
        N_("%(label)s: %(team)s did it together, with your dials in it."),
        big=True,
        art="badge:team_challenge",
        label=label,
        team=team_name,
    )


def moment_and_toasts(cheers: Sequence[Celebration]) -> tuple[Celebration | None, list[Celebration]]:
    """The one big moment a screen shows in full (the rarest kind) and the rest, in order, as toasts."""
    bigs = [cheer for cheer in cheers if cheer.big]
    if not bigs:
        return None, list(cheers)
    moment = min(bigs, key=lambda cheer: _MOMENT_ORDER.index(cheer.kind))
    return moment, [cheer for cheer in cheers if cheer is not moment]
