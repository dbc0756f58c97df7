"""Leaderboard rules: periods in the team's timezone, ranks with ties, fair metrics.

Pure functions over plain values (dates, counts, the team's timezone name,
``today``), so the board's rules read and test as tables with no clock and no
database.

Fairness choices, in one place:

- Ties share a rank ("standard competition" ranking: 1, 2, 2, 4), so two reps
  with the same number are never told one of them lost.
- "% of own dial goal" divides a rep's dials by their own daily target times
  the working days elapsed in the period, so a rep with a target of 30 who
  made 30 stands level with a rep with a target of 80 who made 80. Days the
  rep marked as time off, and days before they joined the team, are not
  owed (the service counts from the join day and passes the time off).
- "Most improved" compares this week so far against the *same days* of last
  week, so Monday morning is not measured against a whole finished week.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from webapp.domain.inputs import InputError, whole_number
from webapp.domain.wording import N_, N_plural, Worded, worded

T = TypeVar("T")


class Period(StrEnum):
    """The stretches of time a board can cover, in the team's calendar."""

    TODAY = "today"
    WEEK = "week"
    MONTH = "month"


class Metric(StrEnum):
    """What a board ranks by."""

    POINTS = "points"
    DIALS = "dials"
    CONVERSATIONS = "conversations"
    MEETINGS = "meetings"
    GOAL = "goal"  # % of the rep's own dial goal
    IMPROVED = "improved"  # dials this week against the same days last week


PERIOD_LABELS = {Period.TODAY: N_("Today"), Period.WEEK: N_("This week"), Period.MONTH: N_("This month")}
METRIC_LABELS = {
    Metric.POINTS: N_("Points"),
    Metric.DIALS: N_("Dials"),
    Metric.CONVERSATIONS: N_("Conversations"),
    Metric.MEETINGS: N_("Meetings"),
    Metric.GOAL: worded(N_("%(percent)s of own goal"), percent="%"),  # "%" put in, so the pattern has no stray %
    Metric.IMPROVED: N_("Most improved"),
}


def parse_period(raw: str | None) -> Period:
    """A period from a query string; anything unknown is this week."""
    try:
        return Period(raw or "week")
    except ValueError:
        return Period.WEEK


def parse_metric(raw: str | None) -> Metric:
    """A metric from a query string; anything unknown is points."""
    try:
        return Metric(raw or "points")
    except ValueError:
        return Metric.POINTS


def team_today(now: datetime, tz_name: str) -> date:
    """The team's calendar date at instant ``now`` (aware)."""
    return now.astimezone(ZoneInfo(tz_name)).date()


def period_bounds(period: Period, today: date) -> tuple[date, date]:
    """First and last date (inclusive) of the period containing ``today``; weeks start on Monday."""
    if period is Period.TODAY:
        return today, today
    if period is Period.WEEK:
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def same_days_last_week(today: date) -> tuple[date, date]:
    """Last week's Monday up to last week's ``today``: what this week so far is compared with."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), today - timedelta(days=7)


def working_days_between(
    start: date, end: date, working: Collection[int], time_off: Collection[date] = frozenset()
) -> int:
    """Working days (0 = Monday) from ``start`` to ``end`` inclusive, less the rep's ``time_off``.

    0 if ``end`` is before ``start``. A day marked as time off is not a day
    the rep owed their goal, so it never counts against "% of own goal".
    """
    days = (end - start).days + 1
    every = (start + timedelta(days=offset) for offset in range(max(0, days)))
    return sum(1 for day in every if day.weekday() in working and day not in time_off)


def goal_percent(dials: int, daily_target: int, working_days: int) -> int:
    """Dials as a whole percentage of the goal for the period (may pass 100).

    A period with no working day so far (a Saturday "today") still counts
    one day's goal, so weekend dials show as progress rather than vanish.
    """
    goal = max(1, daily_target) * max(1, working_days)
    return (max(0, dials) * 100) // goal


def competition_ranks(entries: Iterable[tuple[int, str, T]]) -> list[tuple[int, int, str, T]]:
    """Rank ``(value, name, key)`` entries highest value first: ``(rank, value, name, key)`` rows.

    Equal values share a rank and the next rank skips (1, 2, 2, 4), so two
    reps with the same number are never told one of them lost. Rows with the
    same value are listed by name, case-insensitively, so the order is stable
    from one refresh to the next.
    """
    ordered = sorted(entries, key=lambda entry: (-entry[0], entry[1].casefold(), entry[1]))
    rows: list[tuple[int, int, str, T]] = []
    rank, previous = 0, None
    for position, (value, name, key) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        rows.append((rank, value, name, key))
    return rows


def visible_rows(rows: Sequence[T], is_viewer: Callable[[T], bool], top: int) -> tuple[list[T], T | None]:
    """The top ``top`` rows, and the viewer's row pinned below them when it is further down."""
    shown = list(rows[:top])
    pinned = next((row for row in rows[top:] if is_viewer(row)), None)
    return shown, pinned


def challenge_percent(done: int, target: int) -> int:
    """Progress toward a team challenge, as a whole percentage capped at 100."""
    if target <= 0:
        return 100
    return min(100, (max(0, done) * 100) // target)


# ---- Team challenges ----


class ChallengeMetric(StrEnum):
    """What a team challenge counts. Stages are "or better", as in the funnel."""

    DIALS = "dials"
    CONVERSATIONS = "conversations"
    MEETINGS = "meetings"
    SALES = "sales"


CHALLENGE_LABELS = {
    ChallengeMetric.DIALS: N_("Dials"),
    ChallengeMetric.CONVERSATIONS: N_("Conversations"),
    ChallengeMetric.MEETINGS: N_("Meetings"),
    ChallengeMetric.SALES: N_("Sales"),
}
# "By the end of ...": the period of a challenge, inside a sentence.
CHALLENGE_PERIODS = {Period.TODAY: N_("today"), Period.WEEK: N_("this week"), Period.MONTH: N_("this month")}
_CHALLENGE_AMOUNTS: dict[ChallengeMetric, Callable[[int], Worded]] = {
    ChallengeMetric.DIALS: lambda n: N_plural("%(num)s dial", "%(num)s dials", n),
    ChallengeMetric.CONVERSATIONS: lambda n: N_plural("%(num)s conversation", "%(num)s conversations", n),
    ChallengeMetric.MEETINGS: lambda n: N_plural("%(num)s meeting", "%(num)s meetings", n),
    ChallengeMetric.SALES: lambda n: N_plural("%(num)s sale", "%(num)s sales", n),
}

# Outcome codes each count is made of. A meeting board counts sales too: a
# sale is a meeting that went all the way, as in the funnel.
METRIC_OUTCOMES: dict[str, frozenset[str]] = {
    "dials": frozenset(
        {"no_answer", "voicemail", "gatekeeper", "not_interested", "conversation", "follow_up", "meeting", "sale"}
    ),
    "conversations": frozenset({"conversation", "follow_up", "meeting", "sale"}),
    "meetings": frozenset({"meeting", "sale"}),
    "sales": frozenset({"sale"}),
}

MAX_CHALLENGE_TARGET = 100_000


def counts_toward(metric: str, outcome: str) -> bool:
    """Whether a call with ``outcome`` moves a count of ``metric``."""
    return outcome in METRIC_OUTCOMES.get(metric, frozenset())


def challenge_words(metric: ChallengeMetric, target: int, period: Period) -> Worded:
    """A challenge in words, like "500 dials this week"."""
    return worded(
        N_("%(amount)s %(period)s"),
        amount=_CHALLENGE_AMOUNTS[metric](target),
        period=worded(CHALLENGE_PERIODS[period]),
    )


def parse_challenge(metric: str, target: str, period: str) -> tuple[ChallengeMetric, int, Period]:
    """A challenge from form fields, or ``ValueError`` whose args[0] maps field to message."""
    errors = {}
    try:
        chosen_metric = ChallengeMetric(metric)
    except ValueError:
        errors["metric"] = N_("Choose dials, conversations, meetings or sales.")
        chosen_metric = ChallengeMetric.DIALS
    try:
        chosen_target = whole_number(
            target,
            1,
            MAX_CHALLENGE_TARGET,
            worded(N_("Enter a whole number from %(low)s to %(high)s."), low=1, high=MAX_CHALLENGE_TARGET),
        )
    except InputError as refused:
        errors["target"] = str(refused)
    try:
        chosen_period = Period(period)
    except ValueError:
        errors["period"] = N_("Choose today, this week or this month.")
        chosen_period = Period.WEEK
    if errors:
        raise ValueError(errors)
    return chosen_metric, chosen_target, chosen_period
