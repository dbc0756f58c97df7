"""Summaries on the insights page: objections, review answers, best times, funnel, bests, trend."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.best_times import best_times, hour_label
from webapp.domain.funnel import funnel, funnel_from_outcomes
from webapp.domain.history import WeekPoint, personal_bests, weekly_trend
from webapp.domain.insights import objection_breakdown, toggle_rates, week_start

MON = date(2026, 3, 2)  # a Monday
TODAY = date(2026, 3, 4)  # the Wednesday of that week


def weeks_ago(n: int) -> date:
    return MON - timedelta(weeks=n)


# --- objections --------------------------------------------------------------


def test_objections_are_totalled_largest_first_with_shares():
    breakdown = objection_breakdown(
        [
            (weeks_ago(1), "bad_timing", 2),
            (weeks_ago(1), "no_budget", 5),
            (MON, "bad_timing", 4),
            (MON, "no_budget", 1),
            (MON, "other", 0),
        ]
    )
    assert [(t.objection, t.label, t.count) for t in breakdown.totals] == [
        ("no_budget", "No budget", 6),
        ("bad_timing", "Bad timing", 6),
    ]
    assert [t.share for t in breakdown.totals] == [0.5, 0.5]


def test_objection_ties_keep_the_pickers_order():
    breakdown = objection_breakdown([(MON, "other", 3), (MON, "too_busy", 3), (MON, "no_budget", 3)])
    assert [t.objection for t in breakdown.totals] == ["no_budget", "too_busy", "other"]


def test_objection_weeks_without_rows_are_zero_filled():
    breakdown = objection_breakdown(
        [(weeks_ago(3), "no_budget", 2), (MON, "no_budget", 1), (MON, "no_budget", 1), (weeks_ago(1), "bad_timing", 1)]
    )
    assert breakdown.weeks == (weeks_ago(3), weeks_ago(2), weeks_ago(1), MON)
    series = {s.objection: s.counts for s in breakdown.series}
    assert series == {"no_budget": (2, 0, 0, 2), "bad_timing": (0, 0, 1, 0)}


def test_no_objections_yet_gives_an_empty_breakdown():
    breakdown = objection_breakdown([])
    assert breakdown.totals == () and breakdown.weeks == () and breakdown.series == ()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((MON, "too_pricey", 1), "Unknown objection"),
        ((TODAY, "no_budget", 1), "must be a Monday"),
        ((MON, "no_budget", -1), "cannot be negative"),
    ],
)
def test_bad_objection_rows_are_refused(row, message):
    with pytest.raises(ValueError, match=message):
        objection_breakdown([row])


# --- review toggles ----------------------------------------------------------


def rows_for(toggle, recent, earlier):
    """Spread (yes, answered) totals over the recent and earlier 4-week windows."""
    return [(weeks_ago(0), toggle, *recent), (weeks_ago(4), toggle, *earlier)]


@pytest.mark.parametrize(
    ("recent", "earlier", "trend"),
    [
        ((8, 10), (5, 10), "up"),
        ((11, 20), (10, 20), "steady"),  # 5 points is noise
        ((7, 10), (6, 10), "up"),  # exactly 10 points counts
        ((2, 10), (5, 10), "down"),
        ((5, 10), (5, 10), "steady"),
        ((4, 4), (0, 10), None),  # too few recent answers to call a trend
        ((5, 10), (0, 0), None),
    ],
)
def test_toggle_trend_compares_the_last_four_weeks_with_the_four_before(recent, earlier, trend):
    rates = {r.toggle: r for r in toggle_rates(rows_for("listened_actively", recent, earlier), TODAY)}
    assert rates["listened_actively"].trend == trend


def test_toggle_rates_cover_every_question_even_unanswered_ones():
    rates = toggle_rates([(MON, "timing_right", 3, 4)], TODAY)
    assert [(r.toggle, r.label, r.rate) for r in rates] == [
        ("asked_right_questions", "Asked the right questions?", None),
        ("listened_actively", "Listened actively?", None),
        ("timing_right", "Was the timing right?", 0.75),
    ]


def test_toggle_rates_include_weeks_older_than_the_trend_windows():
    rates = toggle_rates([(weeks_ago(20), "timing_right", 1, 2), (MON, "timing_right", 3, 4)], TODAY)
    timing = rates[2]
    assert (timing.yes_count, timing.answered_count) == (4, 6)
    assert timing.recent_rate == 0.75 and timing.earlier_rate is None


def test_weeks_after_the_window_edges_fall_in_the_right_window():
    rows = [
        (weeks_ago(3), "timing_right", 5, 5),
        (weeks_ago(4), "timing_right", 0, 5),
        (weeks_ago(8), "timing_right", 5, 5),
    ]
    timing = toggle_rates(rows, TODAY)[2]
    assert timing.recent_rate == 1.0 and timing.earlier_rate == 0.0 and timing.trend == "up"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((MON, "timing_right", 5, 4), "cannot exceed"),
        ((MON, "smiled", 1, 1), "Unknown review question"),
        ((TODAY, "timing_right", 1, 1), "must be a Monday"),
    ],
)
def test_bad_toggle_rows_are_refused(row, message):
    with pytest.raises(ValueError, match=message):
        toggle_rates([row], TODAY)


# --- best times --------------------------------------------------------------


def test_best_hours_and_days_rank_by_conversations_with_readable_labels():
    conversations = {(1, 10): 6, (1, 14): 2, (3, 10): 3, (0, 9): 2}
    dials = {(1, 10): 30, (1, 14): 10, (3, 10): 20, (0, 9): 40, (4, 16): 25}
    best = best_times(conversations, dials)
    assert best.enough_history
    assert [(s.label, s.conversations, s.dials) for s in best.hours] == [
        ("10-11", 9, 50),
        ("14-15", 2, 10),
        ("9-10", 2, 40),
    ]
    assert best.hours[1].rate == 0.2
    assert [s.label for s in best.weekdays] == ["Tue", "Thu", "Mon"]


def test_slots_without_conversations_are_left_out():
    best = best_times({}, {(4, 16): 80})
    assert best.hours == () and best.weekdays == ()


def test_best_times_admit_when_the_picture_is_still_forming():
    assert not best_times({(1, 10): 2}, {(1, 10): 12}).enough_history


@pytest.mark.parametrize(("hour", "label"), [(0, "0-1"), (9, "9-10"), (10, "10-11"), (23, "23-24")])
def test_hours_read_as_one_hour_slots(hour, label):
    assert hour_label(hour) == label


@pytest.mark.parametrize(
    ("conversations", "dials", "message"),
    [
        ({(7, 10): 1}, {(7, 10): 1}, "weekday"),
        ({(1, 24): 1}, {(1, 24): 1}, "hour"),
        ({(1, 10): 5}, {(1, 10): 2}, "Every conversation is a dial"),
    ],
)
def test_impossible_time_slots_are_refused(conversations, dials, message):
    with pytest.raises(ValueError, match=message):
        best_times(conversations, dials)


# --- funnel ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            (400, 80, 20, 10, 2),
            [
                ("dials", 400, None),
                ("conversations", 80, 20.0),
                ("follow_ups", 20, 25.0),
                ("meetings", 10, 50.0),
                ("sales", 2, 20.0),
            ],
        ),
        (
            (0, 0, 0, 0, 0),
            [
                ("dials", 0, None),
                ("conversations", 0, None),
                ("follow_ups", 0, None),
                ("meetings", 0, None),
                ("sales", 0, None),
            ],
        ),
        (
            (30, 0, 0, 0, 0),
            [
                ("dials", 30, None),
                ("conversations", 0, 0.0),
                ("follow_ups", 0, None),
                ("meetings", 0, None),
                ("sales", 0, None),
            ],
        ),
        (
            (3, 1, 1, 1, 1),
            [
                ("dials", 3, None),
                ("conversations", 1, 33.3),
                ("follow_ups", 1, 100.0),
                ("meetings", 1, 100.0),
                ("sales", 1, 100.0),
            ],
        ),
    ],
)
def test_funnel_shows_conversion_from_the_stage_above(counts, expected):
    assert [(s.key, s.count, s.conversion_pct) for s in funnel(*counts)] == expected


def test_funnel_stages_have_readable_labels():
    assert [s.label for s in funnel(5, 4, 3, 2, 1)] == ["Dials", "Conversations", "Follow-ups", "Meetings", "Sales"]


@pytest.mark.parametrize("counts", [(10, 11, 0, 0, 0), (10, 5, 2, 3, 0), (-1, 0, 0, 0, 0)])
def test_a_funnel_that_widens_or_goes_negative_is_refused(counts):
    with pytest.raises(ValueError):
        funnel(*counts)


def test_funnel_from_outcomes_counts_each_stage_or_better():
    stages = funnel_from_outcomes(
        {"no_answer": 50, "not_interested": 20, "conversation": 10, "follow_up": 5, "meeting": 3, "sale": 2}
    )
    assert [s.count for s in stages] == [90, 20, 10, 5, 2]


@given(st.lists(st.integers(0, 10_000), min_size=5, max_size=5))
def test_funnel_conversion_never_divides_by_zero(values):
    counts = sorted(values, reverse=True)
    stages = funnel(*counts)
    for above, stage in pairwise(stages):
        if above.count == 0:
            assert stage.conversion_pct is None
        else:
            assert 0.0 <= stage.conversion_pct <= 100.0


# --- personal bests ----------------------------------------------------------


def test_personal_bests_pick_the_best_day_week_and_run():
    rows = [
        (date(2026, 2, 2), 40, 100, 1),  # Mon
        (date(2026, 2, 3), 60, 90, 2),
        (date(2026, 2, 4), 30, 150, 3),
        (date(2026, 2, 9), 50, 80, 0),  # next Mon: week of 2 Feb had a gap
        (date(2026, 2, 10), 50, 80, 0),
        (date(2026, 2, 11), 50, 80, 0),
    ]
    bests = personal_bests(rows)
    assert bests.best_day_by_dials == (date(2026, 2, 3), 60)
    assert bests.best_day_by_points == (date(2026, 2, 4), 150)
    assert bests.best_week_by_dials == (date(2026, 2, 9), 150)
    assert bests.longest_run_days == 3


def test_a_record_is_set_the_first_time_and_ties_do_not_replace_it():
    bests = personal_bests([(date(2026, 2, 2), 40, 10, 0), (date(2026, 2, 9), 40, 10, 0)])
    assert bests.best_day_by_dials == (date(2026, 2, 2), 40)
    assert bests.best_week_by_dials == (date(2026, 2, 2), 40)


@pytest.mark.parametrize(
    ("call_days", "days_off", "run", "span"),
    [
        # Thu, Fri, Mon, Tue: the weekend off doesn't break the run.
        (
            [date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 9), date(2026, 2, 10)],
            (5, 6),
            4,
            (date(2026, 2, 5), date(2026, 2, 10)),
        ),
        # A Saturday with calls extends it.
        ([date(2026, 2, 6), date(2026, 2, 7), date(2026, 2, 9)], (5, 6), 3, (date(2026, 2, 6), date(2026, 2, 9))),
        # With no days off, a weekend without calls does break it.
        ([date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 9)], (), 2, (date(2026, 2, 5), date(2026, 2, 6))),
        # A missed working day breaks it.
        ([date(2026, 2, 2), date(2026, 2, 4), date(2026, 2, 5)], (5, 6), 2, (date(2026, 2, 4), date(2026, 2, 5))),
    ],
)
def test_days_off_never_break_the_longest_run(call_days, days_off, run, span):
    bests = personal_bests([(d, 10, 10, 0) for d in call_days], days_off=days_off)
    assert (bests.longest_run_days, bests.longest_run) == (run, span)


def test_no_calls_means_no_records_yet():
    bests = personal_bests([(date(2026, 2, 2), 0, 0, 0)])
    assert bests.best_day_by_dials is None and bests.longest_run_days == 0 and bests.longest_run is None


# --- weekly trend ------------------------------------------------------------


def test_weekly_trend_zero_fills_quiet_weeks_and_ends_this_week():
    rows = [
        (date(2026, 3, 3), 10, 20, 1),
        (date(2026, 3, 2), 5, 10, 0),
        (date(2026, 2, 17), 7, 10, 2),
        (date(2026, 3, 5), 99, 99, 9),  # tomorrow: not counted yet
        (date(2025, 1, 1), 99, 99, 9),  # long before the range
    ]
    trend = weekly_trend(rows, TODAY, weeks=4)
    assert trend == (
        WeekPoint(date(2026, 2, 9), 0, 0),
        WeekPoint(date(2026, 2, 16), 7, 2),
        WeekPoint(date(2026, 2, 23), 0, 0),
        WeekPoint(date(2026, 3, 2), 15, 1),
    )


def test_weekly_trend_defaults_to_twelve_weeks():
    assert len(weekly_trend([], TODAY)) == 12


@given(
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    weeks=st.integers(1, 60),
)
def test_weekly_trend_is_consecutive_mondays_ending_this_week(today, weeks):
    trend = weekly_trend([], today, weeks)
    assert len(trend) == weeks
    assert trend[-1].week_start == week_start(today)
    assert all(p.week_start.weekday() == 0 for p in trend)
    assert all((b.week_start - a.week_start).days == 7 for a, b in pairwise(trend))
