"""Two reps in one team: one taps, and the other's open board changes without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, register

pytestmark = pytest.mark.browser

POLL_WAIT_MS = 25_000  # the board polls every 10 s


def test_a_teammates_tap_moves_the_open_board_without_a_reload(browser, context, live_server):
    coach = context.new_page()
    register(coach, live_server, email="coach@example.com", name="Cody Coach")
    coach.goto(live_server.url + "/teams")
    coach.get_by_label("Team name").fill("Night Owls")
    coach.get_by_role("button", name="Create team").click()
    coach.get_by_role("button", name="Make an invite link").click()
    invite = coach.locator("#new-invite").input_value()
    assert re.search(r"/join/[A-Za-z0-9_-]{43}$", invite)

    rep_context = browser.new_context(viewport={"width": 360, "height": 780})
    try:
        rep = rep_context.new_page()
        rep.goto(invite)
        rep.get_by_role("link", name="Create an account").click()
        rep.get_by_label("Email").fill("bea@example.com")
        rep.get_by_label("Display name").fill("Bea Browser")
        rep.get_by_label("Password").fill("a long enough phrase")
        expect(rep.get_by_label("Join Night Owls")).to_be_checked()
        rep.get_by_role("button", name="Create account").click()
        rep.wait_for_url(live_server.url + "/login**")
        log_in(rep, live_server, "bea@example.com")
        rep.goto(live_server.url + "/teams")  # the first login lands on Today
        rep.wait_for_url(re.compile(r".*/teams/\d+$"))
        team_url = rep.url

        coach.goto(team_url + "?period=today&metric=dials")
        coach.evaluate("window.__sameDocument = true")
        polls = []
        coach.on(
            "response",
            lambda r: "/board?" in r.url and polls.append((r.status, r.request.all_headers().get("if-none-match"))),
        )
        bea = coach.locator(".board__row", has_text="Bea Browser").locator(".board__value")
        expect(bea).to_have_text("0")
        expect(coach.locator(".board__row--you")).to_contain_text("Cody Coach")

        rep.goto(live_server.url + "/")
        rep.get_by_role("button", name="No answer", exact=True).click()
        expect(rep.locator('[data-tally="dials"]')).to_have_text("1")

        expect(bea).to_have_text("1", timeout=POLL_WAIT_MS)
        assert coach.evaluate("window.__sameDocument") is True  # the board moved with no reload
        # With nothing new, the next poll is a conditional request (the server answers 304).
        for _ in range(POLL_WAIT_MS // 500):
            if any(tag for _, tag in polls):
                break
            coach.wait_for_timeout(500)
        assert any(tag for _, tag in polls), "the poll should revalidate with If-None-Match"
    finally:
        rep_context.close()
