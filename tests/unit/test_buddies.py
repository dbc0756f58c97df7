"""Call buddies as tables: the buddy streak (both showed up, with the rep's own forgiveness),
pairing, and the nudge's limit.

Day codes, one letter per day, starting on a Monday; every weekday is a working day:

    S  showed up (the minimum, 10 dials)      G  the whole goal met (40 dials)
    D  twice the minimum (20 dials)           m  a missed working day (3 dials)
    .  a working day without calls            o  a day off (recorded as not counted)
    t  time off (a working day marked away)
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.domain.buddies import (
    NUDGES,
    BuddyRefused,
    RepDays,
    buddy_streak,
    may_invite,
    nudge_allowed,
    nudge_text,
    pair_day,
    pair_today,
    settle_buddy_streak,
)
from webapp.domain.streaks import REPLAY_WINDOW_DAYS, DayRecord, StreakState

MONDAY = date(2026, 3, 2)
EVERY_DAY = frozenset(range(7))
CODES = {
    "S": DayRecord(counted=True, showed_up=True, dials=10),
    "G": DayRecord(goal_met=True, counted=True, showed_up=True, dials=40),
    "D": DayRecord(counted=True, showed_up=True, dials=20),
    "m": DayRecord(counted=True, dials=3),
    "o": DayRecord(counted=False, showed_up=True, dials=12),
    ".": None,
    "t": None,
}


def rep(codes: str) -> RepDays:
    records = {MONDAY + timedelta(days=i): CODES[c] for i, c in enumerate(codes) if CODES[c] is not None}
    time_off = frozenset(MONDAY + timedelta(days=i) for i, c in enumerate(codes) if c == "t")
    return RepDays(records, EVERY_DAY, time_off)


@pytest.mark.parametrize(
    ("a", "b", "current", "longest", "freezes", "both_today", "waiting_on", "at_risk"),
    [
        # Both showed up every day, today included.
        ("SSS", "SSS", 3, 3, 0, True, 0, False),
        # Today is still going: not a miss, one buddy still to show up.
        ("SSS", "SS.", 2, 2, 0, False, 1, True),
        ("SS.", "SS.", 2, 2, 0, False, 2, True),
        # One buddy's miss is the pair's miss: the streak breaks.
        ("SmS", "SSS", 1, 1, 0, True, 0, False),
        # The next shared day, both at twice their minimum, win it back (the missed day forgiven).
        ("SmD", "SSD", 2, 2, 0, True, 0, False),
        # Only one of them doubled: no repair.
        ("SmD", "SSS", 1, 1, 0, True, 0, False),
        # A day off of either buddy neither keeps nor breaks the buddy streak, even with calls on it.
        ("SoS", "SSS", 2, 2, 0, True, 0, False),
        ("SoS", "SoS", 2, 2, 0, True, 0, False),
        # Time off likewise, whatever the other buddy did.
        ("StS", "S.S", 2, 2, 0, True, 0, False),
        ("StS", "SmS", 2, 2, 0, True, 0, False),
        # Five days both met the whole goal bank the pair a freeze, spent on the next miss.
        ("GGGGGmS", "GGGGGSS", 6, 6, 0, True, 0, False),
        ("GGGGGSS", "GGGGGSS", 7, 7, 1, True, 0, False),
        # Only four shared goal days: nothing banked, the miss breaks it.
        ("GGGGGmS", "SGGGGSS", 1, 5, 0, True, 0, False),
        # Two misses in a row: the chance to win it back is gone.
        ("SmmD", "SSSD", 1, 1, 0, True, 0, False),
        # Nothing yet, and a day that counts for neither buddy waits on nobody.
        ("..", "..", 0, 0, 0, False, 2, False),
        ("Sto", "SSS", 1, 1, 0, False, 0, False),
    ],
)
def test_the_buddy_streak_counts_days_both_showed_up(a, b, current, longest, freezes, both_today, waiting_on, at_risk):
    today = MONDAY + timedelta(days=len(a) - 1)
    streak = buddy_streak(MONDAY, rep(a), rep(b), today)
    assert (streak.current, streak.longest, streak.freezes) == (current, longest, freezes)
    assert (streak.both_today, streak.waiting_on, streak.at_risk) == (both_today, waiting_on, at_risk)


def tiled(pattern: str, days: int) -> str:
    return (pattern * (days // len(pattern) + 1))[:days]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Weeks of showing up, with goal days banking freezes spent on misses.
        (tiled("GGGGGSS", 60), tiled("GGGGGSS", 60)),
        (tiled("GGGGGmS", 60), tiled("GGGGGSSoo", 60)),
        # A miss a week, won back on the next day when both double (once a month).
        (tiled("SSmDSSS", 90), tiled("SSSDSSS", 90)),
        # Time off and days off of one buddy, misses of the other.
        (tiled("SStSSoo", 45), tiled("SmSS.SS", 45)),
        # Long gaps: the streak breaks and starts over.
        (tiled("SSSS......", 70), tiled("SSSSSSSSSS", 70)),
    ],
)
def test_a_checkpoint_rolled_every_day_gives_what_replaying_every_day_gives(a, b):
    days_a, days_b = rep(a), rep(b)
    checkpoint = None
    for offset in range(len(a)):
        today = MONDAY + timedelta(days=offset)
        checkpoint = settle_buddy_streak(MONDAY, days_a, days_b, today, checkpoint)
        assert checkpoint.as_of == max(MONDAY - timedelta(days=1), today - timedelta(days=REPLAY_WINDOW_DAYS))
        assert buddy_streak(MONDAY, days_a, days_b, today, since=checkpoint) == buddy_streak(
            MONDAY, days_a, days_b, today
        )


def test_after_the_checkpoint_only_the_last_days_are_read():
    a, b = rep(tiled("GGGGGSS", 400)), rep(tiled("SSSSGGG", 400))
    today = MONDAY + timedelta(days=399)
    checkpoint = settle_buddy_streak(MONDAY, a, b, today)

    def recent(days: RepDays) -> RepDays:
        kept = {day: record for day, record in days.records.items() if day > checkpoint.as_of}
        return RepDays(kept, days.working_days, days.time_off)

    assert (today - checkpoint.as_of).days == REPLAY_WINDOW_DAYS
    assert buddy_streak(MONDAY, recent(a), recent(b), today, since=checkpoint) == buddy_streak(MONDAY, a, b, today)


def test_a_checkpoint_of_another_span_is_not_trusted():
    a, b = rep("SSSS"), rep("SSSS")
    today = MONDAY + timedelta(days=3)
    later = StreakState(as_of=today, current=9, longest=9)  # after today (a clock moved back)
    earlier = StreakState(as_of=MONDAY - timedelta(days=5), current=9, longest=9)  # before the pair began
    for wrong in (later, earlier):
        assert buddy_streak(MONDAY, a, b, today, since=wrong) == buddy_streak(MONDAY, a, b, today)
        assert settle_buddy_streak(MONDAY, a, b, today, wrong) == StreakState.fresh(MONDAY)


def test_days_before_the_pair_began_do_not_count():
    streak = buddy_streak(MONDAY + timedelta(days=2), rep("SSSS"), rep("SSSS"), MONDAY + timedelta(days=3))
    assert streak.current == 2


def test_a_pair_that_begins_tomorrow_has_no_streak_yet():
    assert buddy_streak(MONDAY + timedelta(days=1), rep("S"), rep("S"), MONDAY).current == 0


@pytest.mark.parametrize(
    ("a", "b", "counted", "showed_up", "goal_met", "doubled"),
    [
        ("S", "S", True, True, False, False),
        ("G", "S", True, True, False, False),
        ("G", "G", True, True, True, True),
        ("D", "D", True, True, False, True),
        ("D", "m", True, False, False, False),
        ("o", "S", False, True, False, False),  # calls on a day off: shown, never counted
        ("t", "S", False, False, False, False),
    ],
)
def test_a_pair_day_is_both_days_at_once(a, b, counted, showed_up, goal_met, doubled):
    day = pair_day(rep(a), rep(b), MONDAY)
    assert (day.counted, day.showed_up, day.goal_met, day.doubled) == (counted, showed_up, goal_met, doubled)


def test_the_pairs_today_is_the_earlier_of_the_two():
    assert pair_today(date(2026, 3, 3), date(2026, 3, 2)) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("inviter", "invitee", "same_team", "inviter_paired", "invitee_paired", "refused"),
    [
        (1, 2, True, False, False, None),
        (1, 1, True, False, False, "someone else"),
        (1, 2, False, False, False, "same team"),
        (1, 2, True, True, False, "one at a time"),
        (1, 2, True, False, True, "have a buddy already"),
    ],
)
def test_who_may_pair(inviter, invitee, same_team, inviter_paired, invitee_paired, refused):
    if refused is None:
        may_invite(inviter, invitee, same_team, inviter_paired, invitee_paired)
    else:
        with pytest.raises(BuddyRefused, match=refused):
            may_invite(inviter, invitee, same_team, inviter_paired, invitee_paired)


NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last", "allowed"),
    [
        (None, True),
        (NOW - timedelta(minutes=59, seconds=59), False),
        (NOW - timedelta(minutes=1), False),
        (NOW - timedelta(hours=1), True),
        (NOW - timedelta(days=1), True),
    ],
)
def test_one_nudge_an_hour_per_pair(last, allowed):
    assert nudge_allowed(last, NOW) is allowed


def test_a_nudge_is_one_of_the_kind_presets_and_nothing_else():
    assert all(len(text) <= 60 for text in NUDGES.values())
    assert nudge_text("cheer") == NUDGES["cheer"]
    with pytest.raises(BuddyRefused):
        nudge_text("you are lazy")
