"""A rep registers, taps, sees the day move without a reload, and undoes a mis-tap."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import back_to_calling, register
from webapp.domain.outcomes import points_for
from webapp.domain.resilience import BOUNCE_BACK_POINTS

pytestmark = pytest.mark.browser


def test_register_tap_three_outcomes_and_undo_one_without_a_reload(page, live_server):
    register(page, live_server)
    page.evaluate("window.__sameDocument = true")
    dials = page.locator('[data-tally="dials"]')
    points = page.locator('[data-tally="points"]')
    expect(dials).to_have_text("0")

    for label in ("No answer", "Not interested", "Meeting booked"):
        page.get_by_role("button", name=label, exact=True).click()
    expect(dials).to_have_text("3")
    back_to_calling(page)  # a first meeting is a full-screen moment
    # Dialling again within two minutes of a no is a bounce back, worth a bonus.
    total = points_for("no_answer") + points_for("not_interested") + points_for("meeting") + BOUNCE_BACK_POINTS
    expect(points).to_have_text(str(total))
    expect(page.locator(".recent__item")).to_have_count(3)

    page.locator(".recent__item").first.get_by_role("button", name="Undo").click()
    expect(dials).to_have_text("2")
    expect(points).to_have_text(str(total - points_for("meeting") - BOUNCE_BACK_POINTS))
    expect(page.locator(".recent__item--undone")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True  # no page reload happened

    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    request = urllib.request.Request(live_server.url + "/api/v1/me/today")
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    body = json.loads(urllib.request.urlopen(request).read())
    assert body["dials"] == 2 and body["by_outcome"]["meeting"] == 0


def test_the_latest_calls_list_takes_each_new_row_on_top_and_keeps_eight(page, live_server):
    register(page, live_server, email="list@example.com")
    empty = page.get_by_text("No calls yet today.")
    expect(empty).to_be_visible()
    taps = [
        "No answer",
        "Voicemail",
        "Gatekeeper",
        "Conversation",
        "Follow-up",
        "No answer",
        "Voicemail",
        "Gatekeeper",
        "Conversation",
        "Sale",
    ]
    for number, label in enumerate(taps, start=1):
        page.get_by_role("button", name=label, exact=True).click()
        expect(page.locator('[data-tally="dials"]')).to_have_text(str(number))
        if number == 1:
            expect(empty).to_be_hidden()
    rows = page.locator("#recent-list > .recent__item")
    expect(rows).to_have_count(8)
    expect(rows.first.locator(".recent__outcome")).to_have_text("Sale")
    expect(rows.last.locator(".recent__outcome")).to_have_text("Gatekeeper")
    # The list as trimmed on the page is the list the server would send.
    page.reload()
    expect(rows).to_have_count(8)
    expect(rows.first.locator(".recent__outcome")).to_have_text("Sale")
    expect(rows.last.locator(".recent__outcome")).to_have_text("Gatekeeper")


def test_registration_detects_the_browser_timezone(browser, live_server):
    context = browser.new_context(timezone_id="America/Denver")
    page = context.new_page()
    register(page, live_server, email="denver@example.com")
    page.goto(live_server.url + "/settings")
    expect(page.get_by_label("Timezone")).to_have_value("America/Denver")
    context.close()
