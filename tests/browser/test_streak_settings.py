"""A rep sets a small minimum in one tap, sees the streak start after a short session, and hides it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser


def test_a_minimum_of_five_set_in_one_tap_makes_a_one_day_streak_after_five_dials(page, live_server, tmp_path):
    register(page, live_server, email="minimum@example.com")
    streak = page.locator('[data-streak="current"]')
    expect(streak).to_have_text("0")
    expect(page.get_by_text("10 dials to start a streak today")).to_be_visible()

    page.get_by_role("link", name="10 a day").click()
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.get_by_text("5 dials a day keep your streak.")).to_be_visible()
    expect(page.get_by_role("button", name="5", exact=True)).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(tmp_path / "settings.png"), full_page=True)

    page.goto(live_server.url + "/")
    for _ in range(5):
        page.get_by_role("button", name="No answer", exact=True).click()
    expect(streak).to_have_text("1")  # the tap's answer swaps the game card in, no reload
    expect(page.get_by_text("Streak safe today.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "today.png"))

    page.goto(live_server.url + "/settings#streak")
    page.get_by_role("switch", name="Hide my streak").click()
    expect(page.get_by_role("switch", name="Hide my streak")).to_have_attribute("aria-checked", "true")
    page.goto(live_server.url + "/")
    expect(page.locator('[data-streak="current"]')).to_have_count(0)
    expect(page.locator('[data-tally="dials"]')).to_have_text("5")
