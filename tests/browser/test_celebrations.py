"""A rep taps until a badge is earned and sees the celebration, with no reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser


def test_tapping_until_a_goal_and_badge_shows_the_celebration_without_a_reload(page, live_server):
    register(page, live_server)
    page.goto(live_server.url + "/settings")
    page.get_by_label("Daily dial goal").fill("3")
    page.get_by_role("button", name="Save game settings").click()
    page.goto(live_server.url + "/")
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("button", name="No answer", exact=True).click()
    toast = page.locator("#celebration .toast")
    expect(toast.first).to_contain_text("Badge: First dial")
    for _ in range(2):
        page.get_by_role("button", name="Voicemail", exact=True).click()
    expect(page.locator("#celebration")).to_contain_text("Dial goal met")
    expect(page.locator('[data-goal="dials"]')).to_have_text("Dials: 3 of 3 (met)")
    assert page.evaluate("window.__sameDocument") is True


def test_reduced_motion_shows_the_toast_but_no_confetti_motion(browser, live_server):
    context = browser.new_context(reduced_motion="reduce", service_workers="allow")
    page = context.new_page()
    register(page, live_server, email="calm@example.com")
    page.get_by_role("button", name="Sale", exact=True).click()
    expect(page.locator("#celebration .toast").first).to_be_visible()
    assert page.locator(".confetti").evaluate("el => getComputedStyle(el).display") == "none"
    context.close()
