"""Call buddies: who may pair, the nudge's limit and words, and the buddy streak.

The buddy streak counts the working days on which *both* buddies showed up
(each reached their own daily minimum), with the same forgiveness as a rep's
own streak, because it *is* the rep's streak rule, fed one record per day for
the pair (``pair_day``):

- A day counts for the pair only when it counts for each of them: a day off
  or time off of either buddy neither keeps nor breaks the buddy streak.
- Both showed up: the streak grows. One of them missed: a miss, which a
  banked freeze covers (the pair banks one every 5 days both met their whole
  goal), or which the next shared working day wins back when both reach
  twice their minimum (once a calendar month).
- Today is never a miss while it is still going.

Bounded cost: the pair keeps a checkpoint like the rep's own streak
(``settle_buddy_streak``), settled through the last day that can no longer
change, so a read replays about a week whether the pair is a month or years old.

Each buddy's day is their own local date (``webapp.domain.days``), like the
team boards: date ``d`` is each buddy's own ``d``. The pair's today is the
earlier of the two todays, so both buddies see the same number.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from webapp.domain.streaks import (
    NO_TIME_OFF,
    DayRecord,
    StreakState,
    checkpoint_day,
    counts_for_streak,
    roll_checkpoint,
    streak_today,
)
from webapp.domain.wording import N_

NUDGE_EVERY = timedelta(hours=1)  # at most one nudge an hour per pair, whichever buddy sends it
EVERY_DAY: frozenset[int] = frozenset(range(7))

# The nudges a buddy can send: short, kind, never a judgement. Keys travel in forms.
NUDGES: Mapping[str, str] = {
    "cheer": N_("You've got this. One more dial?"),
    "break": N_("Thinking of you. Take a breath, then the next call."),
    "closer": N_("Every no is a step closer to a yes."),
}
# Wins that make a buddy's big moment, worth a one-tap high-five.
BIG_MOMENT_KINDS = ("meeting", "goal")


class BuddyRefused(ValueError):
    """A pairing step that was not taken; the message is meant for the rep who tried."""


@dataclass(frozen=True)
class RepDays:
    """One buddy's days as their own streak sees them: day records, working days, time off."""

    records: Mapping[date, DayRecord]
    working_days: Collection[int]
    time_off: Collection[date] = NO_TIME_OFF

    def counts(self, day: date) -> bool:
        """Whether ``day`` can keep or break this rep's streak (a working day, not time off)."""
        return counts_for_streak(day, self.records.get(day), self.working_days, self.time_off)

    def kept(self, day: date) -> bool:
        """Whether the rep showed up on ``day`` (their minimum, or their whole goal)."""
        record = self.records.get(day)
        return record is not None and record.kept


@dataclass(frozen=True)
class BuddyStreak:
    """The buddy streak as both buddies see it.

    ``both_today``: both already showed up today. ``waiting_on``: how many of
    the two still have to reach their minimum today (0 on a day that does not
    count for the pair). ``at_risk``: a streak to keep and today not yet won.
    """

    current: int
    longest: int
    freezes: int
    both_today: bool
    waiting_on: int
    at_risk: bool


def pair_day(a: RepDays, b: RepDays, day: date) -> DayRecord:
    """The pair's ``day`` as one record the streak rules replay.

    Counted only when it counts for both; showed up only when both did; the
    whole goal only when both met theirs. Twice the minimum (a repair) is
    carried as two dials against a minimum of one, only when both doubled.
    """
    ra, rb = a.records.get(day), b.records.get(day)
    both_kept = a.kept(day) and b.kept(day)
    both_doubled = both_kept and ra is not None and rb is not None and ra.doubled and rb.doubled
    return DayRecord(
        goal_met=both_kept and ra is not None and rb is not None and ra.goal_met and rb.goal_met,
        counted=a.counts(day) and b.counts(day),
        showed_up=both_kept,
        dials=2 if both_doubled else int(both_kept),
        minimum=1,
    )


def pair_today(today_a: date, today_b: date) -> date:
    """The pair's today: the earlier of the buddies' own todays, so both see the same streak."""
    return min(today_a, today_b)


def _start(first_day: date, today: date, since: StreakState | None) -> StreakState:
    """Where a replay begins: ``since`` when it is a checkpoint of this pair before today, else the first day."""
    if since is not None and first_day - timedelta(days=1) <= since.as_of < today:
        return since
    return StreakState.fresh(first_day)


def _pair_days(a: RepDays, b: RepDays, after: date, through: date) -> dict[date, DayRecord]:
    days = {}
    day = after + timedelta(days=1)
    while day <= through:
        days[day] = pair_day(a, b, day)
        day += timedelta(days=1)
    return days


def settle_buddy_streak(
    first_day: date, a: RepDays, b: RepDays, today: date, since: StreakState | None = None
) -> StreakState:
    """The pair's checkpoint moved forward to ``checkpoint_day(today)``: the days that can no longer change.

    Like the rep's own checkpoint: late calls, undos and time off reach back
    at most a week, so the days before that are final and are never replayed
    again. ``a`` and ``b`` need the days after ``since.as_of`` (from
    ``first_day`` without a checkpoint). A checkpoint that is not this pair's
    (after today, or before its first day) is ignored and the replay starts over.
    """
    if today < first_day:
        return StreakState.fresh(first_day)
    state = _start(first_day, today, since)
    return roll_checkpoint(state, _pair_days(a, b, state.as_of, checkpoint_day(today)), today, EVERY_DAY)


def buddy_streak(first_day: date, a: RepDays, b: RepDays, today: date, since: StreakState | None = None) -> BuddyStreak:
    """The buddy streak from the pair's ``first_day`` through ``today`` (today added only if won).

    With ``since`` (a checkpoint from ``settle_buddy_streak``) only the days
    after it are replayed, and the answer is the same as replaying every day.
    """
    if today < first_day:
        return BuddyStreak(0, 0, 0, False, 0, False)
    state = _start(first_day, today, since)
    days = _pair_days(a, b, state.as_of, today)
    view = streak_today(state, days, today, EVERY_DAY, minimum=1)
    counted = bool(days[today].counted)
    waiting = 0 if not counted else sum(1 for rep in (a, b) if not rep.kept(today))
    return BuddyStreak(view.current, view.longest, view.freezes, view.today_met and counted, waiting, view.at_risk)


def may_invite(inviter: int, invitee: int, same_team: bool, inviter_paired: bool, invitee_paired: bool) -> None:
    """Raise ``BuddyRefused`` unless ``inviter`` may ask ``invitee`` to be their buddy."""
    if inviter == invitee:
        raise BuddyRefused(N_("Pick a teammate: a buddy is someone else."))
    if not same_team:
        raise BuddyRefused(N_("Buddies are two members of the same team."))
    if inviter_paired:
        raise BuddyRefused(N_("You have a buddy already: one at a time. End it first to pick someone else."))
    if invitee_paired:
        raise BuddyRefused(N_("They have a buddy already. Ask someone else, or cheer them on the team feed."))


def nudge_allowed(last_nudge_at: datetime | None, now: datetime) -> bool:
    """Whether the pair may send a nudge now: none yet, or the last one an hour ago or more."""
    return last_nudge_at is None or now - last_nudge_at >= NUDGE_EVERY


def nudge_text(key: str) -> str:
    """The preset message for ``key``; ``BuddyRefused`` for anything else (no free text in a nudge)."""
    if key not in NUDGES:
        raise BuddyRefused(N_("Choose one of the nudges."))
    return NUDGES[key]
