"""Naming a logged-in device for the settings page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from webapp.domain.devices import device_label, last_active

ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile"
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 Edg/126.0"
)
MAC_FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE_CHROME = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 CriOS/126.0 Safari/604.1"


@pytest.mark.parametrize(
    "agent, label",
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (IPHONE_SAFARI, "Safari on iPhone"),
        (WINDOWS_EDGE, "Edge on Windows"),
        (MAC_FIREFOX, "Firefox on macOS"),
        (IPHONE_CHROME, "Chrome on iPhone"),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
        ("Chrome" + "x" * 500, "Chrome"),
    ],
)
def test_a_device_is_named_by_its_browser_and_system(agent, label):
    assert device_label(agent) == label


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "seen, tz, phrase",
    [
        (datetime(2026, 3, 10, 11, 55, tzinfo=UTC), "Europe/London", "today, 11:55"),
        (datetime(2026, 3, 10, 11, 55, tzinfo=UTC), "Asia/Tokyo", "today, 20:55"),
        (datetime(2026, 3, 9, 20, 0, tzinfo=UTC), "UTC", "yesterday"),
        # 23:30 UTC on the 9th is already the 10th in Tokyo.
        (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "Asia/Tokyo", "today, 08:30"),
        (datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "UTC", "3 Mar 2026"),
    ],
)
def test_last_active_is_said_in_the_reps_own_day(seen, tz, phrase):
    assert last_active(seen, NOW, tz) == phrase
