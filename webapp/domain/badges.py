"""Badges: small, permanent proofs of effort, resilience and growth.

The families follow the motivation model in PRODUCT.md: effort is rewarded
before results (calling is a numbers game), a "no" is something you get
better at taking, wins are celebrated from the first one, consistency and
personal bests point at the bigger picture, and the team and the reflection
habits (reviews, resets) earn badges too.

Every badge reads one metric from ``PlayerStats`` and is earned when it
reaches the badge's threshold. A badge is awarded once: ``newly_earned``
never returns a code the rep already holds, so undoing a call and tapping it
again can't award it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from webapp.domain.outcomes import CONVERSATIONS, POSITIVES, REJECTIONS, Outcome, parse_outcome
from webapp.domain.wording import N_

EARLY_BIRD_BEFORE_MINUTE = 9 * 60  # first dial before 09:00 local time
# Beating a best day of 3 dials is not a personal best worth a badge, and on
# day one there is no previous best at all. Ten dials makes it mean something.
PERSONAL_BEST_MINIMUM = 10


class BadgeFamily(StrEnum):
    """Groups of badges; each family has its own shape and colour."""

    EFFORT = "effort"
    THICK_SKIN = "thick_skin"
    WINS = "wins"
    CONSISTENCY = "consistency"
    BIGGER_PICTURE = "bigger_picture"
    TEAM = "team"
    REFLECTION = "reflection"


@dataclass(frozen=True)
class PlayerStats:
    """Plain counters the app fills from its aggregates; all default to zero.

    ``lifetime_outcomes`` maps outcome codes to lifetime counts. "Today"
    means the rep's local working day. ``earliest_dial_minute_today`` is
    minutes after local midnight of today's first dial, or ``None``.
    ``best_previous_day_dials`` is the best day before today.
    """

    lifetime_dials: int = 0
    lifetime_outcomes: Mapping[str, int] = field(default_factory=dict)
    today_dials: int = 0
    today_meetings: int = 0
    bounce_backs: int = 0
    goal_days: int = 0
    current_streak: int = 0
    longest_streak: int = 0
    earliest_dial_minute_today: int | None = None
    best_previous_day_dials: int = 0
    reviews: int = 0
    resets: int = 0
    high_fives_given: int = 0
    messages_posted: int = 0
    challenges_reached: int = 0
    distinct_objections_reviewed: int = 0

    def lifetime(self, outcome: Outcome | str) -> int:
        """Lifetime calls that ended in ``outcome``."""
        return self.lifetime_outcomes.get(parse_outcome(str(outcome)).value, 0)

    @property
    def lifetime_rejections(self) -> int:
        """Lifetime clear no's taken."""
        return sum(self.lifetime(o) for o in REJECTIONS)

    @property
    def lifetime_conversations(self) -> int:
        """Lifetime conversations or better."""
        return sum(self.lifetime(o) for o in CONVERSATIONS)

    @property
    def lifetime_follow_ups(self) -> int:
        """Lifetime follow-ups won (follow-up, meeting or sale), as in the daily goal."""
        return sum(self.lifetime(o) for o in POSITIVES)


def _early_bird(stats: PlayerStats) -> int:
    minute = stats.earliest_dial_minute_today
    return int(minute is not None and minute < EARLY_BIRD_BEFORE_MINUTE)


def _personal_best(stats: PlayerStats) -> int:
    # Strictly more than the best previous day, and only once there is a real
    # best to beat (see PERSONAL_BEST_MINIMUM).
    return int(
        stats.best_previous_day_dials >= PERSONAL_BEST_MINIMUM and stats.today_dials > stats.best_previous_day_dials
    )


# Metric name -> how to read it. Yes/no metrics read 0 or 1 (threshold 1).
METRICS: Mapping[str, Callable[[PlayerStats], int]] = {
    "lifetime_dials": lambda s: s.lifetime_dials,
    "today_dials": lambda s: s.today_dials,
    "lifetime_rejections": lambda s: s.lifetime_rejections,
    "bounce_backs": lambda s: s.bounce_backs,
    "lifetime_conversations": lambda s: s.lifetime_conversations,
    "lifetime_follow_ups": lambda s: s.lifetime_follow_ups,
    "lifetime_meetings": lambda s: s.lifetime(Outcome.MEETING),
    "lifetime_sales": lambda s: s.lifetime(Outcome.SALE),
    "today_meetings": lambda s: s.today_meetings,
    "goal_days": lambda s: s.goal_days,
    # The longest streak, so a badge reached once is never "un-reached".
    "streak": lambda s: max(s.current_streak, s.longest_streak),
    "dialled_before_nine": _early_bird,
    "beat_best_day": _personal_best,
    "high_fives_given": lambda s: s.high_fives_given,
    "messages_posted": lambda s: s.messages_posted,
    "challenges_reached": lambda s: s.challenges_reached,
    "reviews": lambda s: s.reviews,
    "resets": lambda s: s.resets,
    "distinct_objections_reviewed": lambda s: s.distinct_objections_reviewed,
}


@dataclass(frozen=True)
class Badge:
    """One badge: what it is called, how to earn it, and the cheer when it lands."""

    code: str
    name: str
    description: str  # how to earn it, shown on locked badges too
    family: BadgeFamily
    metric: str
    threshold: int
    glyph: str  # the short mark on the badge art: "25", "1k", "PB"
    cheer: str  # one warm line for the celebration

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"Badge {self.code!r} reads unknown metric {self.metric!r}.")
        if self.threshold < 1:
            raise ValueError(f"Badge {self.code!r} needs a threshold of at least 1.")


_E, _T, _W, _C, _B, _M, _R = (
    BadgeFamily.EFFORT,
    BadgeFamily.THICK_SKIN,
    BadgeFamily.WINS,
    BadgeFamily.CONSISTENCY,
    BadgeFamily.BIGGER_PICTURE,
    BadgeFamily.TEAM,
    BadgeFamily.REFLECTION,
)

# One badge per two lines: code, name, how to earn it; then family, metric, threshold, glyph, cheer.
# Name and how to earn it are marked for the catalogue (N_); the badges page translates them.
# fmt: off
BADGES: tuple[Badge, ...] = (
    # Effort: every dial is a step.
    Badge("first_dial", N_("First dial"), N_("Log your first call."),
          _E, "lifetime_dials", 1, N_("1st"), N_("The hardest dial is the first one. Done.")),
    Badge("day_25", N_("Warmed up"), N_("Make 25 dials in one day."),
          _E, "today_dials", 25, "25", N_("25 dials today. You're in the rhythm.")),
    Badge("day_50", N_("Half century"), N_("Make 50 dials in one day."),
          _E, "today_dials", 50, "50", N_("50 dials in a day. That's real work.")),
    Badge("day_100", N_("Century"), N_("Make 100 dials in one day."),
          _E, "today_dials", 100, "100", N_("100 dials in one day. Remarkable.")),
    Badge("dials_1k", N_("A thousand steps"), N_("Make 1,000 dials in total."),
          _E, "lifetime_dials", 1000, "1k", N_("1,000 dials. Each one got you closer.")),
    Badge("dials_10k", N_("Ten thousand"), N_("Make 10,000 dials in total."),
          _E, "lifetime_dials", 10000, "10k", N_("10,000 dials. You are the numbers game.")),
    # Thick skin: a no is part of the job, and you get better at taking it.
    Badge("nos_10", N_("Thick skin"), N_("Hear 10 no's."),
          _T, "lifetime_rejections", 10, "10", N_("Ten no's and still dialling. That's the job, done well.")),
    Badge("nos_100", N_("Thicker skin"), N_("Hear 100 no's."),
          _T, "lifetime_rejections", 100, "100", N_("100 no's. Every one was a step closer to yes.")),
    Badge("nos_1000", N_("Rhino"), N_("Hear 1,000 no's."),
          _T, "lifetime_rejections", 1000, "1k", N_("1,000 no's taken in stride. Unshakeable.")),
    Badge("bounce_10", N_("Bounce back"), N_("Dial again within two minutes of a no, 10 times."),
          _T, "bounce_backs", 10, "↑10", N_("Knocked back, straight back up. Ten times.")),
    Badge("bounce_50", N_("Rubber ball"), N_("Dial again within two minutes of a no, 50 times."),
          _T, "bounce_backs", 50, "↑50", N_("Fifty bounce-backs. Nothing keeps you down.")),
    # Wins, from the very first one.
    Badge("first_conversation", N_("Breaking the ice"), N_("Have your first conversation."),
          _W, "lifetime_conversations", 1, N_("Hi"), N_("Your first real conversation. Nice.")),
    Badge("first_follow_up", N_("Foot in the door"), N_("Win your first follow-up."),
          _W, "lifetime_follow_ups", 1, N_("Yes"), N_("They said yes to hearing more.")),
    Badge("first_meeting", N_("First meeting"), N_("Book your first meeting."),
          _W, "lifetime_meetings", 1, N_("Meet"), N_("A meeting in the diary. Well earned.")),
    Badge("first_sale", N_("First sale"), N_("Close your first sale."),
          _W, "lifetime_sales", 1, N_("Sale"), N_("Your first sale. All those dials led here.")),
    Badge("meetings_3_day", N_("Hat-trick"), N_("Book 3 meetings in one day."),
          _W, "today_meetings", 3, "3×", N_("Three meetings in a day. What a day.")),
    Badge("conversations_100", N_("Good listener"), N_("Have 100 conversations."),
          _W, "lifetime_conversations", 100, "100", N_("100 conversations. People like talking to you.")),
    # Consistency: small goals, met again and again.
    Badge("goal_days_5", N_("On target"), N_("Meet your daily dial goal on 5 days."),
          _C, "goal_days", 5, "✓5", N_("Five goal days. Small goals, real progress.")),
    Badge("goal_days_20", N_("Dependable"), N_("Meet your daily dial goal on 20 days."),
          _C, "goal_days", 20, "✓20", N_("Twenty goal days. This is a habit now.")),
    Badge("streak_5", N_("Full week"), N_("Show up 5 working days in a row."),
          _C, "streak", 5, "5", N_("Five working days in a row.")),
    Badge("streak_20", N_("Steady"), N_("Show up 20 working days in a row."),
          _C, "streak", 20, "20", N_("Twenty working days in a row. Steady wins.")),
    Badge("streak_60", N_("Unstoppable"), N_("Show up 60 working days in a row."),
          _C, "streak", 60, "60", N_("Sixty working days in a row. Extraordinary.")),
    # The bigger picture: your own best, your own habits.
    Badge("early_bird", N_("Early bird"), N_("Make your first dial of the day before 9:00 (your time)."),
          _B, "dialled_before_nine", 1, "9am", N_("Dialling before nine. The day is yours.")),
    Badge("personal_best", N_("Personal best"), N_("Beat your best day's dials (once your best is at least 10)."),
          _B, "beat_best_day", 1, "PB", N_("A new personal best. You raised your own bar.")),
    # Team: nobody dials alone.
    Badge("high_fives_10", N_("Cheerleader"), N_("Give 10 high-fives to teammates."),
          _M, "high_fives_given", 10, "10", N_("Ten high-fives given. Your team feels it.")),
    Badge("first_message", N_("Say hello"), N_("Post your first message to the team feed."),
          _M, "messages_posted", 1, "Hi!", N_("Your first team post. Welcome in.")),
    Badge("team_challenge", N_("Team player"), N_("Be part of a team that reaches a challenge."),
          _M, "challenges_reached", 1, "Win", N_("Your team reached its challenge, with your dials in it.")),
    Badge("reviews_10", N_("Learner"), N_("Review 10 calls."),
          _R, "reviews", 10, "10", N_("Ten reviews. Every no is feedback now.")),
    Badge("reviews_50", N_("Student of the game"), N_("Review 50 calls."),
          _R, "reviews", 50, "50", N_("Fifty reviews. You're learning faster than most.")),
    Badge("resets_5", N_("Breather"), N_("Take 5 resets after tough calls."),
          _R, "resets", 5, "Zz", N_("Five resets taken. Rest is part of the work.")),
    Badge("objections_5", N_("Objection spotter"), N_("Review calls with 5 different objections."),
          _R, "distinct_objections_reviewed", 5, "5?", N_("Five kinds of objection met and studied.")),
)
# fmt: on

_BY_CODE: Mapping[str, Badge] = {badge.code: badge for badge in BADGES}


def badge_by_code(code: str) -> Badge:
    """The badge with ``code``, or ``KeyError`` naming it."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"Unknown badge {code!r}.") from None


def metric_value(metric: str, stats: PlayerStats) -> int:
    """The current value of one badge metric."""
    return METRICS[metric](stats)


def badge_progress(badge: Badge, stats: PlayerStats) -> tuple[int, int]:
    """``(current, target)`` for a "37/50" label; current is capped at the target."""
    return min(metric_value(badge.metric, stats), badge.threshold), badge.threshold


def is_met(badge: Badge, stats: PlayerStats) -> bool:
    """Whether ``stats`` reach the badge's threshold right now."""
    return metric_value(badge.metric, stats) >= badge.threshold


def newly_earned(stats: PlayerStats, already_earned_codes: Collection[str]) -> list[Badge]:
    """Badges ``stats`` reach that the rep does not hold yet, in catalogue order.

    Never returns a code in ``already_earned_codes``: a badge is awarded once.
    """
    held = set(already_earned_codes)
    return [badge for badge in BADGES if badge.code not in held and is_met(badge, stats)]


# Metrics a call moves, so an undo can take them back. The others (a streak
# reached, a review written, a reset taken, a high-five given) cannot be
# undone by a tap, and the badges they earned stay.
LIFETIME_CALL_METRICS = frozenset(
    {
        "lifetime_dials",
        "lifetime_rejections",
        "bounce_backs",
        "lifetime_conversations",
        "lifetime_follow_ups",
        "lifetime_meetings",
        "lifetime_sales",
        "goal_days",
    }
)
# Metrics of one day's calls: read on the day the badge was earned.
DAY_CALL_METRICS = frozenset({"today_dials", "today_meetings", "dialled_before_nine", "beat_best_day"})
# Everything else: what a tap's undo cannot take back.
KEPT_METRICS = frozenset(METRICS) - LIFETIME_CALL_METRICS - DAY_CALL_METRICS


def no_longer_earned(
    held_on: Mapping[str, date], lifetime: PlayerStats, days: Mapping[date, PlayerStats]
) -> list[Badge]:
    """Held badges that an undo made untrue, in catalogue order, so they can be withdrawn (and earned again).

    ``held_on`` maps each held code to the day it was earned. ``lifetime``
    carries the lifetime counters after the undo; ``days`` the counters of
    the days the undone calls were on, after the undo (each as "today" of its
    own day). A day badge is looked at only when it was earned on one of
    those days: taking back a call from Tuesday never touches Monday's
    century.
    """
    gone = []
    for badge in BADGES:
        earned_on = held_on.get(badge.code)
        if earned_on is None:
            continue
        if badge.metric in LIFETIME_CALL_METRICS and not is_met(badge, lifetime):
            gone.append(badge)
        elif badge.metric in DAY_CALL_METRICS and earned_on in days and not is_met(badge, days[earned_on]):
            gone.append(badge)
    return gone
