"""Leaderboard rules as tables: periods, ties, fair goals, most improved, challenges."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from webapp.domain.ranking import (
    ChallengeMetric,
    Metric,
    Period,
    challenge_percent,
    competition_ranks,
    counts_toward,
    goal_percent,
    parse_challenge,
    parse_metric,
    parse_period,
    period_bounds,
    same_days_last_week,
    team_today,
    visible_rows,
    working_days_between,
)

MON_TO_FRI = {0, 1, 2, 3, 4}


@pytest.mark.parametrize(
    "period, today, expected",
    [
        (Period.TODAY, date(2026, 11, 25), (date(2026, 11, 25), date(2026, 11, 25))),
        (Period.WEEK, date(2026, 11, 25), (date(2026, 11, 23), date(2026, 11, 29))),  # Wednesday
        (Period.WEEK, date(2026, 11, 23), (date(2026, 11, 23), date(2026, 11, 29))),  # Monday starts it
        (Period.WEEK, date(2026, 11, 29), (date(2026, 11, 23), date(2026, 11, 29))),  # Sunday ends it
        (Period.WEEK, date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),  # across a year end
        (Period.MONTH, date(2026, 11, 25), (date(2026, 11, 1), date(2026, 11, 30))),
        (Period.MONTH, date(2028, 2, 10), (date(2028, 2, 1), date(2028, 2, 29))),  # leap year
    ],
)
def test_period_bounds_use_monday_weeks_and_calendar_months(period, today, expected):
    assert period_bounds(period, today) == expected


@pytest.mark.parametrize(
    "instant, tz, expected",
    [
        # 05:00 UTC on Monday 30 Nov is still Sunday evening in Los Angeles: last week for that team.
        (datetime(2026, 11, 30, 5, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 29)),
        (datetime(2026, 11, 30, 5, 0, tzinfo=UTC), "Europe/London", date(2026, 11, 30)),
        # 13:00 UTC on Sunday is already Monday in Auckland (UTC+13 in summer).
        (datetime(2026, 11, 29, 13, 0, tzinfo=UTC), "Pacific/Auckland", date(2026, 11, 30)),
    ],
)
def test_the_teams_today_is_its_own_timezones_date(instant, tz, expected):
    assert team_today(instant, tz) == expected


def test_same_days_last_week_stops_at_last_weeks_today():
    assert same_days_last_week(date(2026, 11, 25)) == (date(2026, 11, 16), date(2026, 11, 18))
    assert same_days_last_week(date(2026, 11, 23)) == (date(2026, 11, 16), date(2026, 11, 16))


@pytest.mark.parametrize(
    "values, expected",
    [
        ([30, 20, 20, 10], [1, 2, 2, 4]),
        ([5, 5, 5], [1, 1, 1]),
        ([0, 7, 7, 9], [1, 2, 2, 4]),
        ([], []),
        ([3], [1]),
    ],
)
def test_ties_share_a_rank_and_the_next_rank_skips(values, expected):
    ranked = competition_ranks((v, f"rep{i}", i) for i, v in enumerate(values))
    assert [rank for rank, *_ in ranked] == expected
    assert [value for _, value, *_ in ranked] == sorted(values, reverse=True)


def test_reps_with_the_same_value_are_listed_by_name():
    ranked = competition_ranks([(4, "zoe", 1), (4, "Adam", 2), (4, "bea", 3)])
    assert [(rank, name) for rank, _, name, _ in ranked] == [(1, "Adam"), (1, "bea"), (1, "zoe")]


@pytest.mark.parametrize(
    "dials, target, days, expected",
    [
        (30, 30, 1, 100),  # a target of 30, made 30
        (80, 80, 1, 100),  # a target of 80, made 80: level with the rep above
        (45, 30, 1, 150),
        (120, 40, 3, 100),  # three working days of 40
        (0, 40, 3, 0),
        (10, 40, 0, 25),  # dials on a day off still show, against one day's goal
        (10, 0, 1, 1000),  # a zero target is treated as one dial
    ],
)
def test_percent_of_own_goal_is_fair_across_targets(dials, target, days, expected):
    assert goal_percent(dials, target, days) == expected


@pytest.mark.parametrize(
    "start, end, working, expected",
    [
        (date(2026, 11, 23), date(2026, 11, 29), MON_TO_FRI, 5),
        (date(2026, 11, 23), date(2026, 11, 25), MON_TO_FRI, 3),
        (date(2026, 11, 28), date(2026, 11, 29), MON_TO_FRI, 0),
        (date(2026, 11, 23), date(2026, 11, 29), {5, 6}, 2),
        (date(2026, 11, 25), date(2026, 11, 24), MON_TO_FRI, 0),
    ],
)
def test_working_days_between_counts_the_reps_own_working_days(start, end, working, expected):
    assert working_days_between(start, end, working) == expected


def test_the_viewer_far_down_is_pinned_below_the_top_rows():
    ranked = competition_ranks((100 - i, f"rep{i:02}", i) for i in range(30))
    shown, pinned = visible_rows(ranked, lambda row: row[2] == "rep25", top=10)
    assert len(shown) == 10 and pinned[2] == "rep25" and pinned[0] == 26
    shown, pinned = visible_rows(ranked, lambda row: row[2] == "rep03", top=10)
    assert pinned is None and any(row[2] == "rep03" for row in shown)


@pytest.mark.parametrize(
    "raw, expected",
    [("today", Period.TODAY), ("month", Period.MONTH), ("", Period.WEEK), (None, Period.WEEK), ("year", Period.WEEK)],
)
def test_unknown_periods_fall_back_to_this_week(raw, expected):
    assert parse_period(raw) is expected


@pytest.mark.parametrize(
    "raw, expected",
    [("goal", Metric.GOAL), ("improved", Metric.IMPROVED), ("hugs", Metric.POINTS), (None, Metric.POINTS)],
)
def test_unknown_metrics_fall_back_to_points(raw, expected):
    assert parse_metric(raw) is expected


@pytest.mark.parametrize(
    "metric, outcome, counts",
    [
        ("dials", "no_answer", True),
        ("conversations", "no_answer", False),
        ("conversations", "sale", True),
        ("meetings", "meeting", True),
        ("meetings", "sale", True),  # a sale is a meeting that went all the way
        ("meetings", "follow_up", False),
        ("sales", "meeting", False),
    ],
)
def test_what_counts_toward_a_challenge(metric, outcome, counts):
    assert counts_toward(metric, outcome) is counts


@pytest.mark.parametrize("done, target, expected", [(0, 500, 0), (250, 500, 50), (499, 500, 99), (600, 500, 100)])
def test_challenge_percent_is_capped_at_a_full_bar(done, target, expected):
    assert challenge_percent(done, target) == expected


def test_a_good_challenge_parses():
    assert parse_challenge("meetings", " 20 ", "month") == (ChallengeMetric.MEETINGS, 20, Period.MONTH)


@pytest.mark.parametrize(
    "metric, target, period, field",
    [
        ("hugs", "10", "week", "metric"),
        ("dials", "0", "week", "target"),
        ("dials", "-5", "week", "target"),
        ("dials", "ten", "week", "target"),
        ("dials", "1000001", "week", "target"),
        ("dials", "10", "decade", "period"),
    ],
)
def test_a_bad_challenge_names_the_field(metric, target, period, field):
    with pytest.raises(ValueError) as refused:
        parse_challenge(metric, target, period)
    assert field in refused.value.args[0]
