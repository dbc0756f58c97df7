"""Every time, date and number the app shows, formatted for the rep's locale by Babel.

One place, so a template never formats by hand: ``{{ call.occurred_at | fmt_time(tz) }}``
reads "7:15 AM" to a US rep and "07:15" to a German one, ``{{ 1234.5 | fmt_number }}``
"1,234.5" or "1.234,5". Each helper takes the locale as an argument (the unit
tests pass it); left out, it is the current request's (Flask-Babel's selector).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent
from flask import Flask
from flask_babel import get_locale

from webapp.charts import CalendarNames

NO_BREAK_SPACE = "\u00a0"
# Named date shapes (Babel skeletons: the locale orders the parts and adds its own punctuation).
DATE_FORMS = {
    "date": "yMMMd",  # 1 Dec 2026 · Dec 1, 2026 · 1. Dez. 2026
    "weekday_date": "yMMMEd",  # Tue, 1 Dec 2026 · Tue, Dec 1, 2026 · Di., 1. Dez. 2026
    "day_month": "MMMd",  # 1 Dec · Dec 1 · 1. Dez.
    "weekday_day_month": "MMMEd",  # Tue 1 Dec · Tue, Dec 1 · Di., 1. Dez.
}


def _locale(locale: Locale | str | None) -> Locale | str:
    return locale or get_locale() or "en"


def _local(moment: datetime, tz_name: str | None) -> datetime:
    """``moment`` on the wall clock of ``tz_name`` (a naive datetime is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(tz_name)) if tz_name else moment


def fmt_time(moment: datetime | time, tz_name: str | None = None, locale: Locale | str | None = None) -> str:
    """A clock time in the locale's short form: "7:15 AM" (en_US), "07:15" (en_GB, de).

    A datetime is first moved to ``tz_name`` (the rep's or the team's timezone).
    """
    wall = _local(moment, tz_name).timetz() if isinstance(moment, datetime) else moment
    return _unbreakable(format_time(wall.replace(tzinfo=None), "short", locale=_locale(locale)))


def _unbreakable(text: str) -> str:
    """Spaces as no-break spaces: CLDR puts a narrow one before "AM", browsers' Intl a plain one.

    The page draws the time of a tap waiting offline with Intl (``static/js/clock.js``),
    which makes the same substitution, so both rows read alike, and "7:15 AM" never wraps.
    """
    return text.replace("\u202f", NO_BREAK_SPACE).replace(" ", NO_BREAK_SPACE)


def fmt_hour(hour: int, locale: Locale | str | None = None) -> str:
    """A whole hour of the day: "4:00 AM" or "04:00"."""
    return fmt_time(time(hour % 24), locale=locale)


def fmt_hour_span(hour: int, locale: Locale | str | None = None) -> str:
    """The hour from ``hour`` to the next, as the locale reads a span: "10 – 11 AM", "10–11", "10–11 Uhr"."""
    chosen = Locale.parse(_locale(locale))
    skeleton = "h" if "h" in chosen.time_formats["short"].pattern else "H"
    return format_interval(time(hour % 24), time((hour + 1) % 24), skeleton, locale=chosen)


def fmt_date(day: date | datetime, form: str = "date", locale: Locale | str | None = None) -> str:
    """A calendar day in one of ``DATE_FORMS``, or "long" ("1 December 2026", "December 1, 2026")."""
    if isinstance(day, datetime):
        day = day.date()
    if form == "long":
        return format_date(day, "long", locale=_locale(locale))
    return format_skeleton(DATE_FORMS[form], day, locale=_locale(locale))


def fmt_when(moment: datetime, tz_name: str | None = None, locale: Locale | str | None = None) -> str:
    """A day and a time on the wall clock of ``tz_name``: "Tue 1 Dec, 07:15", "Tue, Dec 1, 7:15 AM"."""
    wall = _local(moment, tz_name)
    return f"{fmt_date(wall, 'weekday_day_month', locale)}, {fmt_time(wall.time(), locale=locale)}"


def fmt_number(value: int | float, decimals: int | None = None, locale: Locale | str | None = None) -> str:
    """A number with the locale's grouping and decimal mark: "1,234.5" or "1.234,5"."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(locale))


def fmt_percent(fraction: float, decimals: int = 0, locale: Locale | str | None = None) -> str:
    """A share as a percentage: "42%" or "42 %"; with ``decimals=1`` up to one decimal, "33.3%" or "33,3 %"."""
    if not decimals:
        return format_percent(fraction, locale=_locale(locale))
    return format_percent(round(fraction, decimals + 2), locale=_locale(locale), decimal_quantization=False)


def fmt_weekday(index: int, width: str = "abbreviated", locale: Locale | str | None = None) -> str:
    """A weekday's name, 0 = Monday as in ``date.weekday()``: "Mon", "Mo."; ``width="wide"``: "Montag"."""
    return Locale.parse(_locale(locale)).days["stand-alone"][width][index % 7]


def week_order(locale: Locale | str | None = None) -> tuple[int, ...]:
    """The seven weekdays (0 = Monday) in the order the locale's weeks run: Sunday first in the US."""
    first = Locale.parse(_locale(locale)).first_week_day
    return tuple((first + offset) % 7 for offset in range(7))


def calendar_names(locale: Locale | str | None = None) -> CalendarNames:
    """The locale's first weekday and short weekday and month names, for drawn calendars."""
    chosen = Locale.parse(_locale(locale))
    return CalendarNames(
        first_weekday=chosen.first_week_day,
        weekdays=tuple(chosen.days["stand-alone"]["abbreviated"][day] for day in range(7)),
        months=tuple(chosen.months["stand-alone"]["abbreviated"][month] for month in range(1, 13)),
    )


def init_app(app: Flask) -> None:
    """Register the helpers as Jinja filters (and ``week_order`` as a global)."""
    for helper in (fmt_time, fmt_hour, fmt_hour_span, fmt_date, fmt_when, fmt_number, fmt_percent, fmt_weekday):
        app.add_template_filter(helper, helper.__name__)
    app.add_template_global(week_order, "week_order")
    # The Settings page shows how a time looks in the chosen format.
    app.add_template_global(time(7, 15), "sample_time")
