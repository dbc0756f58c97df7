"""The daily huddle in a browser: a rep answers from Today, below the buttons, and the coach's
open team page shows the answer without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, register

pytestmark = pytest.mark.browser

POLL_WAIT_MS = 25_000  # the team page polls every 10 s


def test_a_rep_answers_the_huddle_from_today_and_the_coachs_open_page_shows_it(browser, context, live_server):
    coach = context.new_page()
    register(coach, live_server, email="coach@example.com", name="Cody Coach")
    coach.goto(live_server.url + "/teams")
    coach.get_by_label("Team name").fill("Night Owls")
    coach.get_by_role("button", name="Create team").click()
    coach.get_by_role("button", name="Make an invite link").click()
    invite = coach.locator("#new-invite").input_value()
    coach.goto(live_server.url + "/teams")
    coach.wait_for_url(re.compile(r".*/teams/\d+$"))
    team_url = coach.url
    coach.goto(team_url + "/huddle")
    coach.get_by_label("Hold a daily huddle").check()
    coach.get_by_role("button", name="Save the huddle").click()
    expect(coach.locator(".flash--success")).to_contain_text("Huddle saved")

    rep_context = browser.new_context(viewport={"width": 360, "height": 780})
    try:
        rep = rep_context.new_page()
        rep.goto(invite)
        rep.get_by_role("link", name="Create an account").click()
        rep.get_by_label("Email").fill("bea@example.com")
        rep.get_by_label("Display name").fill("Bea Browser")
        rep.get_by_label("Password").fill("a long enough phrase")
        rep.get_by_role("button", name="Create account").click()
        rep.wait_for_url(live_server.url + "/login**")
        log_in(rep, live_server, "bea@example.com")

        coach.goto(team_url)
        coach.evaluate("window.__sameDocument = true")
        card = coach.locator("#huddle")
        expect(card).to_contain_text("No answers yet")

        rep.goto(live_server.url + "/")
        summary = rep.locator("#huddle-today summary")
        expect(summary).to_contain_text("Today's focus")
        summary.click()  # one tap opens it
        line = rep.get_by_label("Today's focus, in one line")
        line.fill("Call the warm leads before ten")
        # Open, it sits below the outcome buttons: it never covers them (both read after the same scroll).
        buttons = rep.locator("#tap-form").bounding_box()
        assert rep.locator("#huddle-today").bounding_box()["y"] >= buttons["y"] + buttons["height"]
        rep.get_by_role("button", name="Share").click()
        expect(rep.locator("#huddle-today")).to_contain_text("you said: Call the warm leads before ten")

        expect(card).to_contain_text("Call the warm leads before ten", timeout=POLL_WAIT_MS)
        expect(card).to_contain_text("Bea Browser")
        expect(card).to_contain_text("1 answered (Bea Browser)")
        assert coach.evaluate("window.__sameDocument") is True  # shown without a reload
    finally:
        rep_context.close()
