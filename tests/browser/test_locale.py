"""A German browser gets German chrome and a 24-hour clock; a US browser reads AM and PM."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


TWENTY_FOUR_HOURS = re.compile(r"^\d{2}:\d{2}$")
AM_PM = re.compile(r"^\d{1,2}:\d{2}\s(AM|PM)$")


def register(page, server, email: str) -> None:
    """Register and log in through the forms by their fields' names, so it reads the same in any language."""
    page.goto(server.url + "/register")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="display_name"]').fill("Bea Browser")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form[action^="/register"] button[type="submit"]').click()
    page.wait_for_url(server.url + "/login**")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form[action^="/login"] button[type="submit"]').click()
    page.wait_for_url(server.url + "/")
    if page.locator("#welcome").count():  # the first-run welcome, where there is one
        page.locator('#welcome button[formaction$="/welcome/skip"]').click()
        page.locator("#welcome").wait_for(state="detached")


def _tap_and_read_the_time(page) -> str:
    """Tap once; the time on the page's own row, then wait for the server's row to replace it."""
    page.locator('button[name="outcome"][value="no_answer"]').click()  # its name is in the page's language
    row = page.locator("#recent li").first
    expect(row.locator("time")).not_to_have_text("")
    shown = row.locator("time").inner_text()
    expect(page.locator("#recent li.recent__item--waiting")).to_have_count(0)
    return shown


def _servers_time(page):
    return page.locator("#recent li:not(.recent__item--waiting) time").first


def test_a_german_browser_shows_german_chrome_and_a_24_hour_clock(browser, live_server, tmp_path):
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/login")
        expect(page).to_have_title("Anmelden · Closer")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        register(page, live_server, email="deutsch@example.com")
        expect(page.get_by_role("link", name="Mehr", exact=True)).to_be_visible()  # Einstellungen is under More
        expect(page.get_by_role("link", name="Heute", exact=True)).to_be_visible()
        expect(page.locator(".tally")).to_contain_text("Anrufe heute")
        assert TWENTY_FOUR_HOURS.match(_tap_and_read_the_time(page))
        expect(page.locator(".tally")).to_contain_text("Anruf heute")
        page.reload()  # the server's row, after the page's own
        expect(_servers_time(page)).to_have_text(TWENTY_FOUR_HOURS)
        page.screenshot(path=str(tmp_path / "de.png"), full_page=True)
    finally:
        context.close()


def test_a_us_browser_reads_am_and_pm_until_the_rep_picks_another_format(browser, live_server, tmp_path):
    context = browser.new_context(
        locale="en-US", timezone_id="America/New_York", viewport={"width": 360, "height": 780}
    )
    try:
        page = context.new_page()
        register(page, live_server, email="us@example.com")
        expect(page.locator("html")).to_have_attribute("lang", "en-US")
        expect(page.locator(".tally")).to_contain_text("Dials today")
        assert AM_PM.match(_tap_and_read_the_time(page))
        page.reload()
        expect(_servers_time(page)).to_have_text(AM_PM)

        page.goto(live_server.url + "/settings#locale")
        page.get_by_label("Language, clock and number format").select_option("en_GB")
        page.locator("#locale").get_by_role("button", name="Save").click()
        expect(page.get_by_text("Language and formats saved.")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        page.goto(live_server.url + "/")
        expect(_servers_time(page)).to_have_text(TWENTY_FOUR_HOURS)
        page.screenshot(path=str(tmp_path / "en-GB.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize(
    "locale, expected",
    [("de", "07:05"), ("en-GB", "07:05"), ("en-US", "7:05\u00a0AM"), ("de", "17:05")],
)
def test_the_page_clock_writes_the_hour_as_the_server_does(browser, live_server, locale, expected):
    """Before ten in the morning too: a 24-hour locale writes "07:05", like the server's rows, not "7:05"."""
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/login")
        instant = "2026-12-01T06:05:00Z" if expected != "17:05" else "2026-12-01T16:05:00Z"
        shown = page.evaluate(
            """async ([locale, instant]) => {
                const clock = await import("/static/js/clock.js");
                return clock.repClock("Europe/Berlin", locale).time(new Date(instant));
            }""",
            [locale, instant],
        )
        assert shown == expected
    finally:
        context.close()
