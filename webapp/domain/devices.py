"""How a logged-in device is named on the settings page: "Chrome on Android", "last active today, 14:05"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from webapp.domain.wording import N_

# Order matters: Edge and Opera say "Chrome" too, every iOS browser says "Safari", Chrome says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
LABEL_MAX = 60
# The label is stored as written here, in English; the settings page words it again in the rep's language.
ON_SYSTEM = N_("%(browser)s on %(system)s")
UNKNOWN_BROWSER = N_("Unknown browser")


def device_label(user_agent: str) -> str:
    """A short, human name for the browser and system in a User-Agent header (never the raw header)."""
    agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in agent), None)
    system = next((name for token, name in _SYSTEMS if token in agent), None)
    if browser and system:
        label = ON_SYSTEM % {"browser": browser, "system": system}
    else:
        label = browser or system or UNKNOWN_BROWSER
    return label[:LABEL_MAX]


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def last_active(
    seen: datetime,
    now: datetime,
    tz_name: str,
    clock: Callable[[datetime], str] = _clock,
    day: Callable[[date], str] = _day,
    say: Callable[[str], str] = N_,
) -> str:
    """When a device was last used, in the rep's own timezone: "today, 14:05", "yesterday", "3 Mar 2026".

    ``clock`` and ``day`` write the wall-clock time and the date; the app passes
    its locale's formats ("2:05 PM", "Mar 3, 2026"), and ``say`` translates the marked words.
    """
    zone = ZoneInfo(tz_name)
    seen_local, now_local = seen.astimezone(zone), now.astimezone(zone)
    days = (now_local.date() - seen_local.date()).days
    if days <= 0:
        return say(N_("today, %(time)s")) % {"time": clock(seen_local)}
    if days == 1:
        return say(N_("yesterday"))
    return day(seen_local.date())
