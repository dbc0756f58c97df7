"""Times, dates and numbers as each supported locale reads them, and which locale a request gets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from webapp.formats import (
    fmt_date,
    fmt_hour,
    fmt_hour_span,
    fmt_number,
    fmt_percent,
    fmt_time,
    fmt_weekday,
    fmt_when,
    week_order,
)
from webapp.i18n import choose_locale

# A no-break space before AM/PM (CLDR has a narrow one, browsers a plain one); a reader sees "7:15 AM".
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en_US", f"7:15{NBSP}AM"), ("en", f"7:15{NBSP}AM"), ("en_GB", "07:15"), ("de", "07:15")],
)
def test_a_time_follows_the_locales_clock(locale, expected):
    assert fmt_time(time(7, 15), locale=locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [("en_US", f"7:15{NBSP}PM"), ("en_GB", "19:15"), ("de", "19:15")])
def test_an_instant_is_shown_on_the_reps_wall_clock(locale, expected):
    # 18:15 UTC is 19:15 in Berlin in winter.
    assert fmt_time(datetime(2026, 12, 1, 18, 15, tzinfo=UTC), "Europe/Berlin", locale) == expected


def test_a_naive_instant_counts_as_utc():
    assert fmt_time(datetime(2026, 12, 1, 6, 15), "Europe/London", "en_GB") == "06:15"


@pytest.mark.parametrize(
    ("locale", "number", "decimals", "expected"),
    [
        ("en_US", 1234.5, None, "1,234.5"),
        ("en_GB", 1234.5, None, "1,234.5"),
        ("de", 1234.5, None, "1.234,5"),
        ("en_US", 1234567, None, "1,234,567"),
        ("de", 1234567, None, "1.234.567"),
        ("de", 2.0, 1, "2,0"),
        ("en_US", 7, 0, "7"),
    ],
)
def test_numbers_use_the_locales_grouping_and_decimal_mark(locale, number, decimals, expected):
    assert fmt_number(number, decimals, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "form", "expected"),
    [
        ("en_US", "date", "Dec 1, 2026"),
        ("en_GB", "date", "1 Dec 2026"),
        ("de", "date", "1. Dez. 2026"),
        ("en_GB", "weekday_day_month", "Tue 1 Dec"),
        ("de", "weekday_day_month", "Di., 1. Dez."),
        ("en_US", "long", "December 1, 2026"),
        ("de", "long", "1. Dezember 2026"),
        ("en_GB", "day_month", "1 Dec"),
    ],
)
def test_dates_follow_the_locales_order_and_names(locale, form, expected):
    assert fmt_date(date(2026, 12, 1), form, locale) == expected


def test_a_day_and_time_together():
    moment = datetime(2026, 12, 1, 7, 15, tzinfo=UTC)
    assert fmt_when(moment, "UTC", "en_GB") == "Tue 1 Dec, 07:15"
    assert fmt_when(moment, "UTC", "de") == "Di., 1. Dez., 07:15"


@pytest.mark.parametrize(("locale", "expected"), [("en_US", f"4:00{NBSP}AM"), ("de", "04:00"), ("en_GB", "00:00")])
def test_an_hour_of_the_day(locale, expected):
    hour = 0 if locale == "en_GB" else 4
    assert fmt_hour(hour, locale) == expected


def test_percentages_follow_the_locale():
    assert fmt_percent(0.42, locale="en_US") == "42%"
    assert fmt_percent(0.42, locale="de") == "42\xa0%"
    assert fmt_percent(1 / 3, 1, "en_GB") == "33.3%"
    assert fmt_percent(1 / 3, 1, "de") == "33,3\xa0%"
    assert fmt_percent(0.5, 1, "en_US") == "50%"


@pytest.mark.parametrize(
    ("locale", "first", "monday"), [("en_US", 6, "Mon"), ("en_GB", 0, "Mon"), ("de", 0, "Mo"), ("en", 0, "Mon")]
)
def test_the_week_starts_where_the_locale_starts_it(locale, first, monday):
    order = week_order(locale)
    assert order[0] == first and sorted(order) == list(range(7))
    assert fmt_weekday(0, locale=locale) == monday


@pytest.mark.parametrize(
    ("saved", "accepted", "expected"),
    [
        ("de", [("en-US", 1.0)], "de"),  # the saved choice beats the browser
        ("en_GB", [("de-DE", 1.0)], "en_GB"),
        (None, [("en-US", 1.0), ("en", 0.8)], "en_US"),
        (None, [("en-GB", 1.0)], "en_GB"),
        (None, [("de-DE", 1.0), ("en", 0.5)], "de"),
        (None, [("de-AT", 1.0)], "de"),  # a region the app does not know falls back to its language
        (None, [("en-AU", 1.0)], "en"),
        (None, [("fr-FR", 1.0), ("de", 0.7)], "de"),  # the first language the app speaks
        (None, [("fr-FR", 1.0)], "en"),  # nothing it speaks: English
        (None, [], "en"),
        ("", [("de", 1.0)], "de"),  # "" is "automatic"
        ("xx", [("en-GB", 1.0)], "en_GB"),  # a saved value the app no longer offers is ignored
        (None, [("de", 0.0), ("en-GB", 0.5)], "en_GB"),  # q=0 means "not this one"
    ],
)
def test_the_locale_is_the_saved_choice_else_the_browsers_best_match_else_english(saved, accepted, expected):
    assert choose_locale(saved, accepted) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en_US", "10\u2009–\u200911\u202fAM"), ("en_GB", "10–11"), ("de", "10–11 Uhr"), ("en_GB", "23–00")],
)
def test_an_hour_long_slot_reads_as_a_span(locale, expected):
    hour = 23 if expected.startswith("23") else 10
    assert fmt_hour_span(hour, locale) == expected


def test_a_us_reps_calendar_starts_its_weeks_on_sunday_and_a_german_one_speaks_german():
    from xml.etree import ElementTree

    from webapp.charts import calendar_heatmap
    from webapp.formats import calendar_names

    saturday = date(2026, 3, 7)
    svg_ns = "{http://www.w3.org/2000/svg}"

    def cells(chart):
        root = ElementTree.fromstring(chart.svg)
        return {r.find(f"{svg_ns}title").text.split(":")[0]: int(r.get("y")) for r in root.iter(f"{svg_ns}rect")}

    us = calendar_heatmap({}, saturday, weeks=1, names=calendar_names("en_US"))
    assert list(cells(us)) == [f"2026-03-0{d}" for d in range(1, 8)]  # Sunday 1 March to Saturday 7
    assert cells(us)["2026-03-01"] < cells(us)["2026-03-02"]  # Sunday on top
    gb = calendar_heatmap({}, saturday, weeks=1, names=calendar_names("en_GB"))
    assert list(cells(gb))[0] == "2026-03-02"  # Monday first
    german = calendar_heatmap({}, saturday, weeks=1, names=calendar_names("de"))
    labels = [t.text for t in ElementTree.fromstring(german.svg).iter(f"{svg_ns}text")]
    assert "Mär" in labels and {"Mo", "Mi", "Fr"} <= set(labels)
