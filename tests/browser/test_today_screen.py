"""The today screen shows what the server decides: the rep's day, the row of a waiting tap, one undo per tap."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import back_to_calling, register
from tests.browser.test_offline_sync import (
    expect_synced,
    server_calls,
    tap,
    wait_for_offline_ready,
    wait_until,
    waiting,
)
from webapp.services.today import LATEST_LIMIT

pytestmark = pytest.mark.browser

REGIONS = ("Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


def zone_where_it_is_two_in_the_night(now: datetime) -> str:
    """An IANA zone whose wall clock reads 02:xx right now (offsets with minutes included).

    Offsets run from -12 to +14 hours, so some zone is always at 2 o'clock; city
    zones first (every browser knows them), the fixed Etc/GMT zones as a fallback.
    """
    at_two = sorted(name for name in available_timezones() if now.astimezone(ZoneInfo(name)).hour == 2)
    cities = [name for name in at_two if name.startswith(REGIONS)]
    assert at_two, "no timezone is at 02:00 right now"
    return (cities or at_two)[0]


def api_today(page, server) -> dict:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    request = urllib.request.Request(server.url + "/api/v1/me/today")
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    return json.loads(urllib.request.urlopen(request).read())


def test_a_late_shift_at_two_in_the_night_counts_its_dials_today(browser, live_server):
    now = datetime.now(UTC)
    zone = zone_where_it_is_two_in_the_night(now)
    context = browser.new_context(service_workers="allow", timezone_id=zone, viewport={"width": 360, "height": 780})
    page = context.new_page()
    register(page, live_server, email="night@example.com")
    page.goto(live_server.url + "/settings")
    page.get_by_label("My day starts at").select_option("4")
    page.get_by_role("button", name="Save game settings").click()
    expect(page.get_by_text("Game settings saved.")).to_be_visible()

    page.goto(live_server.url + "/")
    # At 02:00 with a day starting at 04:00, the working day is the calendar's yesterday.
    calendar_day = now.astimezone(ZoneInfo(zone)).date()
    expect(page.locator("#tally")).to_have_attribute("data-day", (calendar_day - timedelta(days=1)).isoformat())
    dials = page.locator('[data-tally="dials"]')
    for label in ("No answer", "Not interested", "Voicemail"):
        tap(page, label)
    expect(dials).to_have_text("3")
    wait_until(page, lambda: len(server_calls(live_server)) == 3, message="three taps")
    expect(dials).to_have_text("3")
    page.reload()
    expect(dials).to_have_text("3")
    assert api_today(page, live_server)["dials"] == 3
    context.close()


def row_shape(row) -> dict:
    """What makes a latest-calls row look like one: its classes, attributes and parts."""
    return row.evaluate(
        """li => ({
            classes: [...li.classList].filter(c => c !== 'recent__item--waiting').sort(),
            attributes: li.getAttributeNames().filter(a => a !== 'hidden').sort(),
            parts: [...li.children].map(el => el.tagName + '.' + el.className),
            undo: li.querySelector('.undo').getAttribute('aria-label').replace(/\\d\\d:\\d\\d$/, 'HH:MM'),
        })"""
    )


def test_a_waiting_tap_shows_the_servers_row_and_the_list_keeps_the_servers_length(context, page, live_server):
    register(page, live_server, email="rows@example.com")
    wait_for_offline_ready(page)
    rows = page.locator("#recent-list > .recent__item")
    for number in range(1, LATEST_LIMIT + 1):
        tap(page, "Sale" if number == LATEST_LIMIT else "No answer")
        expect(page.locator('[data-tally="dials"]')).to_have_text(str(number))
    expect(rows).to_have_count(LATEST_LIMIT)
    server_row = page.locator("#recent-list > .recent__item:not(.recent__item--waiting)").first
    expect(server_row.locator(".recent__outcome")).to_have_text("Sale")
    back_to_calling(page)  # a first sale is a full-screen moment

    context.set_offline(True)
    tap(page, "Sale")
    expect(waiting(page)).to_have_text("1 waiting to sync")
    waiting_row = page.locator("#recent-list > .recent__item--waiting")
    expect(waiting_row).to_have_count(1)
    assert row_shape(waiting_row) == row_shape(server_row)
    expect(waiting_row.locator(".recent__outcome")).to_contain_text("Sale (waiting to sync)")
    expect(waiting_row.locator(".recent__points")).to_have_text(server_row.locator(".recent__points").inner_text())
    visible = page.locator("#recent-list > .recent__item:visible")
    expect(visible).to_have_count(LATEST_LIMIT)
    expect(visible.first).to_have_class("recent__item recent__item--waiting")
    expect(page.locator("#recent-list")).to_have_attribute("data-limit", str(LATEST_LIMIT))  # the page's only source

    page.reload()  # a cold start from the device's copy
    expect(visible).to_have_count(LATEST_LIMIT)
    expect(visible.first.locator(".recent__outcome")).to_contain_text("Sale (waiting to sync)")

    context.set_offline(False)
    expect_synced(page)
    expect(page.locator(".recent__item--waiting")).to_have_count(0)
    expect(rows).to_have_count(LATEST_LIMIT)
    expect(visible).to_have_count(LATEST_LIMIT)
    expect(rows.first.locator(".recent__outcome")).to_have_text("Sale")
    assert len(server_calls(live_server)) == LATEST_LIMIT + 1


def test_a_double_tap_on_undo_sends_one_undo(context, page, live_server):
    register(page, live_server, email="undo@example.com")
    tap(page, "Meeting booked")
    row = page.locator("#recent-list > .recent__item:not(.recent__item--waiting)")
    expect(row).to_have_count(1)
    back_to_calling(page)  # a first meeting is a full-screen moment
    held = []
    context.route("**/calls/*/undo", lambda route: held.append(route))  # answered below

    undo = row.locator("button.undo")
    undo.dblclick()
    wait_until(page, lambda: held, message="the undo request")
    expect(undo).to_be_disabled()
    page.wait_for_timeout(300)  # time enough for a second request to show up
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator(".recent__item--undone")).to_have_count(1)
    expect(page.locator('[data-tally="dials"]')).to_have_text("0")
    page.wait_for_timeout(300)
    assert len(held) == 1
    assert [c[2] for c in server_calls(live_server)] == [True]
