"""Server-drawn SVG charts: readable on a phone, allowed by the CSP, spoken by screen readers."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.charts import (
    bar_chart,
    calendar_heatmap,
    heat_bucket,
    heat_thresholds,
    nice_ceiling,
    weekly_trend_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = date(2026, 3, 4)  # a Wednesday


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def cells(svg: str) -> list[ET.Element]:
    return parse(svg).findall(".//svg:g/svg:rect", NS)


def a_year(today=TODAY, days=400):
    return {today - timedelta(days=i): (i * 37) % 90 for i in range(days)}


def sample_charts():
    return [
        calendar_heatmap(a_year(), TODAY),
        weekly_trend_chart([(date(2026, 2, 23), 120, 4), (date(2026, 3, 2), 80, 1)]),
        weekly_trend_chart([]),
        bar_chart([("No budget", 5), ("Bad timing", 3)], title="Objections"),
        bar_chart([], title="Objections"),
    ]


# --- every chart ---------------------------------------------------------------


@pytest.mark.parametrize("chart", sample_charts())
def test_every_chart_scales_to_the_phone_and_names_itself(chart):
    root = parse(chart.svg)
    assert root.get("width") == "100%" and root.get("viewBox")
    assert root.get("role") == "img"
    assert root[0].tag.endswith("title") and root[0].text
    assert root[1].tag.endswith("desc") and root[1].text


@pytest.mark.parametrize("chart", sample_charts())
def test_no_chart_uses_inline_styles_or_scripts_the_csp_would_block(chart):
    assert "style" not in chart.svg
    assert "<script" not in chart.svg
    assert not re.search(r"\son\w+=", chart.svg)  # no event handlers either


@pytest.mark.parametrize("chart", sample_charts())
def test_every_chart_has_a_caption_and_a_table_for_screen_readers(chart):
    assert chart.caption
    assert all(len(row) == len(chart.table_headers) for row in chart.table_rows)


# --- calendar heatmap ------------------------------------------------------------


def test_heatmap_cell_titles_name_the_day_and_its_dials():
    svg = calendar_heatmap({date(2026, 3, 2): 42, date(2026, 3, 3): 1}, TODAY).svg
    assert "<title>2026-03-02: 42 dials</title>" in svg
    assert "<title>2026-03-03: 1 dial</title>" in svg
    assert "<title>2026-03-04: 0 dials</title>" in svg


def test_heatmap_ends_today_and_draws_no_future_days():
    svg = calendar_heatmap({date(2026, 3, 5): 10}, TODAY).svg
    assert "2026-03-05" not in svg


def test_heatmap_weeks_are_columns_with_monday_on_top():
    chart = calendar_heatmap({}, TODAY, weeks=2)
    by_day = {c.find("svg:title", NS).text[:10]: c for c in cells(chart.svg)}
    monday, wednesday, next_monday = by_day["2026-02-23"], by_day["2026-02-25"], by_day["2026-03-02"]
    assert monday.get("x") == wednesday.get("x")
    assert float(monday.get("y")) < float(wednesday.get("y"))
    assert float(next_monday.get("x")) > float(monday.get("x"))
    assert next_monday.get("y") == monday.get("y")


def test_heatmap_shades_come_from_css_classes_with_a_fill_fallback():
    root = parse(calendar_heatmap(a_year(), TODAY).svg)
    groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if (g.get("class") or "").startswith("heat-")]
    assert {g.get("class") for g in groups} == {f"heat-{n}" for n in range(5)}
    assert all(g.get("fill", "").startswith("#") for g in groups)


def test_heatmap_labels_months_and_weekdays():
    texts = [t.text for t in parse(calendar_heatmap(a_year(), TODAY).svg).iter("{http://www.w3.org/2000/svg}text")]
    assert {"Mon", "Wed", "Fri"} <= set(texts)
    assert {"Apr", "Jan", "Mar"} <= set(texts)


def test_a_year_heatmap_stays_small():
    busy = {TODAY - timedelta(days=i): 1000 + i for i in range(400)}
    assert len(calendar_heatmap(busy, TODAY).svg.encode()) < 40_000


def test_heatmap_table_summarises_each_week():
    chart = calendar_heatmap({date(2026, 3, 2): 42, date(2026, 3, 3): 8}, TODAY, weeks=2)
    assert chart.table_headers == ("Week of", "Dials", "Days with calls")
    assert chart.table_rows == (("2026-02-23", "0", "0"), ("2026-03-02", "50", "2"))


@pytest.mark.parametrize(
    ("values", "value", "bucket"),
    [
        ([0, 0, 0], 0, 0),
        ([10, 20, 30, 40, 50], 0, 0),
        ([10, 20, 30, 40, 50], 10, 1),
        ([10, 20, 30, 40, 50], 25, 2),
        ([10, 20, 30, 40, 50], 35, 3),
        ([10, 20, 30, 40, 50], 50, 4),
        ([7], 7, 1),
        ([5, 5, 5], 5, 1),
    ],
)
def test_shades_follow_the_reps_own_quartiles(values, value, bucket):
    assert heat_bucket(value, heat_thresholds(values)) == bucket


@settings(max_examples=40, deadline=None)
@given(
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    weeks=st.integers(1, 53),
    counts=st.lists(st.integers(0, 500), max_size=60),
)
def test_heatmap_has_exactly_one_cell_per_day_and_no_style(today, weeks, counts):
    daily = {today - timedelta(days=i): c for i, c in enumerate(counts)}
    chart = calendar_heatmap(daily, today, weeks)
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    expected = {(first + timedelta(days=i)).isoformat() for i in range((today - first).days + 1)}
    titles = [c.find("svg:title", NS).text[:10] for c in cells(chart.svg)]
    assert len(titles) == len(expected)
    assert set(titles) == expected
    assert "style" not in chart.svg


# --- weekly trend chart ------------------------------------------------------------


def test_weekly_trend_draws_a_bar_per_week_and_a_positives_line():
    points = [(date(2026, 2, 9) + timedelta(weeks=i), 100 + i, i) for i in range(4)]
    root = parse(weekly_trend_chart(points).svg)
    bars = root.findall(".//svg:g[@class='bar']/svg:rect", NS)
    assert len(bars) == 4
    assert bars[0].find("svg:title", NS).text == "Week of 2026-02-09: 100 dials, 0 positives"
    line = root.find(".//svg:polyline", NS)
    assert line.get("class") == "trend-line" and len(line.get("points").split()) == 4


def test_weekly_trend_labels_both_axes():
    texts = [
        t.text
        for t in parse(weekly_trend_chart([(date(2026, 3, 2), 37, 2)]).svg).iter("{http://www.w3.org/2000/svg}text")
    ]
    assert {"Dials", "Positives", "Week starting", "50", "2"} <= set(texts)


def test_weekly_trend_table_lists_every_week():
    chart = weekly_trend_chart([(date(2026, 2, 23), 120, 4), (date(2026, 3, 2), 0, 0)])
    assert chart.table_rows == (("2026-02-23", "120", "4"), ("2026-03-02", "0", "0"))


def test_an_all_zero_trend_still_draws_without_dividing_by_zero():
    chart = weekly_trend_chart([(date(2026, 3, 2), 0, 0)])
    assert "nan" not in chart.svg and "inf" not in chart.svg


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (120, 200), (501, 1000)]
)
def test_scales_round_up_to_a_readable_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


# --- bar chart -----------------------------------------------------------------


def test_bar_lengths_are_proportional_to_the_largest_value():
    root = parse(bar_chart([("No budget", 10), ("Bad timing", 5), ("Other", 0)]).svg)
    widths = [float(r.get("width")) for r in root.findall(".//svg:rect", NS)]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0


def test_bar_labels_are_escaped():
    chart = bar_chart([('<script>"x"</script> & co', 3)], title="A & B")
    assert "<script>" not in chart.svg
    root = parse(chart.svg)
    assert root[0].text == "A & B"
    assert any(t.text == '<script>"x"</script> & co' for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_bar_chart_table_matches_the_items():
    chart = bar_chart([("10-11", 9), ("14-15", 2.5)], value_header="Conversations")
    assert chart.table_headers == ("Item", "Conversations")
    assert chart.table_rows == (("10-11", "9"), ("14-15", "2.5"))


def test_all_zero_bars_do_not_divide_by_zero():
    assert "nan" not in bar_chart([("a", 0), ("b", 0)]).svg


def test_negative_bar_values_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        bar_chart([("a", -1)])
