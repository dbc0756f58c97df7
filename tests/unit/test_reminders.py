"""Reminders: on time in the rep's own day, once, never in quiet hours, and only while still needed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.notification_copy import (
    FRESH_WEIGHT,
    RECENT_WEIGHT,
    WORDINGS,
    TeamWin,
    choose_wording,
    high_fives_message,
    names_line,
    team_wins_message,
)
from webapp.domain.reminders import (
    PAUSE_AFTER_IGNORED,
    START_NUDGE,
    STREAK_RISK,
    DayActivity,
    ReminderSettings,
    SentReminder,
    due_reminders,
    is_quiet,
    may_open_now,
    window,
)

MONDAY = date(2026, 3, 2)  # a Monday in winter: London is on UTC
NO_QUIET = {"quiet_start": time(0), "quiet_end": time(0)}


def at(day: date, hh_mm: str, tz: str) -> datetime:
    """A wall-clock time on a calendar day in ``tz``, as an aware UTC instant."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def rep(tz: str = "Europe/London", **overrides) -> ReminderSettings:
    return ReminderSettings(timezone=tz, **overrides)


FRESH = DayActivity(dials=0, streak_minimum=20, streak_current=5, freezes=0)
DIALLING = DayActivity(dials=3, streak_minimum=20, streak_current=5, freezes=0)
SHORT = DayActivity(dials=12, streak_minimum=20, streak_current=5, freezes=0)
SHORT_WITH_FREEZE = DayActivity(dials=12, streak_minimum=20, streak_current=5, freezes=1)
MINIMUM_MET = DayActivity(dials=20, streak_minimum=20, streak_current=5, freezes=0)
NO_STREAK = DayActivity(dials=12, streak_minimum=20, streak_current=0, freezes=0)


def sent(kind, day, hh_mm="09:15", round_=0, tz="Europe/London", opened=False, snoozed=None):
    return SentReminder(kind, day, round_, at(day, hh_mm, tz), opened=opened, snoozed_until=snoozed)


def ignored_days(kind, count, before=MONDAY, tz="Europe/London"):
    return [sent(kind, before - timedelta(days=7 * (i + 1)), tz=tz) for i in range(count)]


CASES = [
    # name, settings, activity, history, now, expected [(kind, day, round, dials_left)]
    (
        "nudge at 09:15 on a working day",
        rep(),
        FRESH,
        [],
        at(MONDAY, "09:15", "Europe/London"),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    ("not a minute early", rep(), FRESH, [], at(MONDAY, "09:14", "Europe/London"), []),
    ("no nudge to a rep already dialling", rep(), DIALLING, [], at(MONDAY, "09:15", "Europe/London"), []),
    ("no nudge on a day off", rep(), FRESH, [], at(MONDAY + timedelta(days=5), "09:15", "Europe/London"), []),
    (
        "no nudge on a time-off day",
        rep(time_off=((MONDAY, MONDAY + timedelta(days=4)),)),
        FRESH,
        [],
        at(MONDAY, "09:15", "Europe/London"),
        [],
    ),
    (
        "a nudge inside quiet hours waits",
        rep(quiet_start=time(22), quiet_end=time(10)),
        FRESH,
        [],
        at(MONDAY, "09:15", "Europe/London"),
        [],
    ),
    (
        "...and goes when quiet hours end, inside its window",
        rep(quiet_start=time(22), quiet_end=time(10)),
        FRESH,
        [],
        at(MONDAY, "10:00", "Europe/London"),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    ("a nudge never goes after its window", rep(), FRESH, [], at(MONDAY, "11:15", "Europe/London"), []),
    ("once a day", rep(), FRESH, [sent(START_NUDGE, MONDAY)], at(MONDAY, "09:40", "Europe/London"), []),
    (
        "the rep's chosen time",
        rep(nudge_at=time(8, 0)),
        FRESH,
        [],
        at(MONDAY, "08:00", "Europe/London"),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    ("switched off", rep(kinds_on=frozenset({STREAK_RISK})), FRESH, [], at(MONDAY, "09:15", "Europe/London"), []),
    # Across the date line: Kiritimati's Monday morning is Sunday evening in UTC, Pago Pago's is Monday night.
    (
        "Kiritimati (UTC+14)",
        rep("Pacific/Kiritimati"),
        FRESH,
        [],
        datetime(2026, 3, 1, 19, 15, tzinfo=UTC),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    (
        "Kiritimati's Sunday is a day off, whatever UTC says",
        rep("Pacific/Kiritimati"),
        FRESH,
        [],
        datetime(2026, 3, 1, 9, 15, tzinfo=UTC) - timedelta(days=7),
        [],
    ),
    (
        "Pago Pago (UTC-11)",
        rep("Pacific/Pago_Pago"),
        FRESH,
        [],
        datetime(2026, 3, 2, 20, 15, tzinfo=UTC),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    (
        "Pago Pago at 09:15 UTC is still Sunday night there",
        rep("Pacific/Pago_Pago"),
        FRESH,
        [],
        datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
        [],
    ),
    # Streak at risk: 4 h before the day ends at midnight is 20:00.
    (
        "streak at risk says how many dials are left",
        rep(),
        SHORT,
        [],
        at(MONDAY, "20:00", "Europe/London"),
        [(STREAK_RISK, MONDAY, 0, 8)],
    ),
    ("not before its time", rep(), SHORT, [], at(MONDAY, "19:59", "Europe/London"), []),
    ("a freeze in hand would cover the day", rep(), SHORT_WITH_FREEZE, [], at(MONDAY, "20:00", "Europe/London"), []),
    ("the minimum is reached", rep(), MINIMUM_MET, [], at(MONDAY, "20:00", "Europe/London"), []),
    ("no streak to lose", rep(), NO_STREAK, [], at(MONDAY, "20:00", "Europe/London"), []),
    (
        "quiet hours win over the warning",
        rep(quiet_start=time(19), quiet_end=time(7)),
        SHORT,
        [],
        at(MONDAY, "20:30", "Europe/London"),
        [],
    ),
    (
        "a late shift's day ends at 04:00 next morning",
        rep(day_start_hour=4, **NO_QUIET),
        SHORT,
        [],
        at(MONDAY + timedelta(days=1), "00:30", "Europe/London"),
        [(STREAK_RISK, MONDAY, 0, 8)],
    ),
    (
        "...so 23:59 is too early for it",
        rep(day_start_hour=4, **NO_QUIET),
        SHORT,
        [],
        at(MONDAY, "23:59", "Europe/London"),
        [],
    ),
    (
        "a shorter lead",
        rep(at_risk_lead=timedelta(hours=1), **NO_QUIET),
        SHORT,
        [],
        at(MONDAY, "23:00", "Europe/London"),
        [(STREAK_RISK, MONDAY, 0, 8)],
    ),
    (
        "the warning, on Kiritimati's Friday evening",
        rep("Pacific/Kiritimati"),
        SHORT,
        [],
        at(MONDAY + timedelta(days=4), "20:00", "Pacific/Kiritimati"),
        [(STREAK_RISK, MONDAY + timedelta(days=4), 0, 8)],
    ),
    # Restraint.
    (
        f"{PAUSE_AFTER_IGNORED} ignored in a row pause the kind",
        rep(),
        FRESH,
        ignored_days(START_NUDGE, PAUSE_AFTER_IGNORED),
        at(MONDAY, "09:15", "Europe/London"),
        [],
    ),
    (
        "one opened among them keeps it going",
        rep(),
        FRESH,
        [
            *ignored_days(START_NUDGE, PAUSE_AFTER_IGNORED - 1),
            sent(START_NUDGE, MONDAY - timedelta(days=1), opened=True),
        ],
        at(MONDAY, "09:15", "Europe/London"),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    (
        "ignored nudges do not pause the streak warning",
        rep(),
        SHORT,
        ignored_days(START_NUDGE, PAUSE_AFTER_IGNORED),
        at(MONDAY, "20:00", "Europe/London"),
        [(STREAK_RISK, MONDAY, 0, 8)],
    ),
    (
        "resuming forgets the ignored ones",
        rep(resumed_at={START_NUDGE: at(MONDAY - timedelta(days=1), "12:00", "UTC")}),
        FRESH,
        ignored_days(START_NUDGE, PAUSE_AFTER_IGNORED),
        at(MONDAY, "09:15", "Europe/London"),
        [(START_NUDGE, MONDAY, 0, 0)],
    ),
    (
        "a snooze brings it back an hour later",
        rep(),
        FRESH,
        [sent(START_NUDGE, MONDAY, snoozed=at(MONDAY, "10:20", "Europe/London"))],
        at(MONDAY, "10:20", "Europe/London"),
        [(START_NUDGE, MONDAY, 1, 0)],
    ),
    (
        "not before the hour is up",
        rep(),
        FRESH,
        [sent(START_NUDGE, MONDAY, snoozed=at(MONDAY, "10:20", "Europe/London"))],
        at(MONDAY, "10:19", "Europe/London"),
        [],
    ),
    (
        "not if the rep started dialling meanwhile",
        rep(),
        DIALLING,
        [sent(START_NUDGE, MONDAY, snoozed=at(MONDAY, "10:20", "Europe/London"))],
        at(MONDAY, "10:20", "Europe/London"),
        [],
    ),
    (
        "a snoozed repeat is sent once",
        rep(),
        FRESH,
        [
            sent(START_NUDGE, MONDAY, snoozed=at(MONDAY, "10:20", "Europe/London")),
            sent(START_NUDGE, MONDAY, "10:20", round_=1),
        ],
        at(MONDAY, "10:30", "Europe/London"),
        [],
    ),
    (
        "a snoozed warning never runs into quiet hours",
        rep(quiet_start=time(21, 30), quiet_end=time(7)),
        SHORT,
        [sent(STREAK_RISK, MONDAY, "20:00", snoozed=at(MONDAY, "21:00", "Europe/London"))],
        at(MONDAY, "21:45", "Europe/London"),
        [],
    ),
]


@pytest.mark.parametrize(
    ("settings", "activity", "history", "now", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_which_reminders_are_due(settings, activity, history, now, expected):
    due = due_reminders(settings, activity, history, now)
    assert [(d.kind, d.day, d.round, d.dials_left) for d in due] == expected


def test_a_reminders_ref_is_its_kind_day_and_round():
    (due,) = due_reminders(rep(), FRESH, [], at(MONDAY, "09:15", "Europe/London"))
    assert due.ref == "start_nudge:2026-03-02:0"


@pytest.mark.parametrize(
    ("start", "end", "wall", "quiet"),
    [
        (time(22), time(7), "23:00", True),
        (time(22), time(7), "06:59", True),
        (time(22), time(7), "07:00", False),
        (time(22), time(7), "21:59", False),
        (time(13), time(14), "13:30", True),
        (time(13), time(14), "14:30", False),
        (time(0), time(0), "03:00", False),
    ],
)
def test_quiet_hours_may_cross_midnight(start, end, wall, quiet):
    settings = rep("America/New_York", quiet_start=start, quiet_end=end)
    assert is_quiet(at(MONDAY, wall, "America/New_York"), settings) is quiet


def test_the_nudge_window_follows_a_dst_change():
    # Clocks go forward in New York on 8 March 2026: 09:15 is 13:15 UTC after, 14:15 before.
    before = window(START_NUDGE, date(2026, 3, 6), rep("America/New_York"))[0]
    after = window(START_NUDGE, date(2026, 3, 9), rep("America/New_York"))[0]
    assert (before.hour, after.hour) == (14, 13)


def test_the_cheap_first_look_agrees_with_the_rules():
    settings = rep()
    for minute in range(0, 24 * 60, 5):
        now = at(MONDAY, f"{minute // 60:02d}:{minute % 60:02d}", "Europe/London")
        due = due_reminders(settings, FRESH, [], now) + due_reminders(settings, SHORT, [], now)
        if due:
            assert may_open_now([START_NUDGE, STREAK_RISK], settings, now)


def test_a_wording_used_lately_is_picked_less_often_but_still_picked():
    recent = {WORDINGS[START_NUDGE][0].key}
    picks = Counter(choose_wording(START_NUDGE, recent, seed).key for seed in range(4000))
    fresh_share = picks[WORDINGS[START_NUDGE][1].key] / 4000
    recent_share = picks[WORDINGS[START_NUDGE][0].key] / 4000
    total_weight = RECENT_WEIGHT + FRESH_WEIGHT * (len(WORDINGS[START_NUDGE]) - 1)
    assert recent_share < fresh_share
    assert recent_share == pytest.approx(RECENT_WEIGHT / total_weight, abs=0.02)
    assert choose_wording(START_NUDGE, recent, 7) == choose_wording(START_NUDGE, recent, 7)


def test_every_wording_fills_in_the_dials_left():
    for wording in WORDINGS[STREAK_RISK]:
        title, body = wording.render(left=1)
        assert "{" not in title + body
        assert "1 dial" in title + body and "1 dials" not in title + body


@pytest.mark.parametrize(
    ("names", "line"),
    [
        ([], "Someone"),
        (["Ana"], "Ana"),
        (["Ana", "Ben"], "Ana and Ben"),
        (["Ana", "Ben", "Ana"], "Ana and Ben"),
        (["Ana", "Ben", "Cy"], "Ana, Ben and 1 other"),
        (["Ana", "Ben", "Cy", "Di", "Ed"], "Ana, Ben and 3 others"),
    ],
)
def test_names_are_batched_into_one_line(names, line):
    assert names_line(names) == line


def test_five_high_fives_are_one_message():
    title, body = high_fives_message(["Ana", "Ben", "Cy", "Di", "Ed"], ["Meeting booked"] * 5)
    assert title == "Ana, Ben and 3 others high-fived you"
    assert body == "5 high-fives for Meeting booked."


def test_team_wins_batch_names_the_winners_and_the_challenge():
    assert team_wins_message([TeamWin("Ana", "Sale")]) == ("Ana: Sale", "A win for the team. Send a high-five.")
    assert team_wins_message([TeamWin(None, "500 dials this week")])[0] == "Team challenge reached!"
    title, body = team_wins_message([TeamWin("Ana", "Sale"), TeamWin("Ben", "Meeting booked"), TeamWin(None, "x")])
    assert title == "3 team wins"
    assert body == "Challenge reached. Ana (Sale), Ben (Meeting booked)."
