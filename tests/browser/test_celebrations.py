"""Moments worth celebrating, as a rep on a 360 x 780 phone sees them: small wins as toasts that never
cover an outcome button, a first meeting full screen (standing still under reduced motion), and a
high-five from a teammate on Today."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import back_to_calling, log_in, register

pytestmark = pytest.mark.browser

MOVING = (".moment__card", ".moment__art svg", ".moment__confetti i")


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_toast_clear_of_every_outcome_button(page, text: str) -> None:
    toast = page.locator("#celebration .toast:visible")
    expect(toast).to_have_count(1)
    expect(toast).to_contain_text(text)
    box = toast.bounding_box()
    buttons = page.locator('#tap-form button[name="outcome"]')
    expect(buttons).to_have_count(8)
    for button in buttons.all():
        assert not overlaps(box, button.bounding_box()), (text, box, button.bounding_box())


def tap(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def test_small_win_toasts_never_cover_an_outcome_button_and_go_in_three_seconds_or_on_a_tap(page, live_server):
    register(page, live_server)
    page.goto(live_server.url + "/settings")
    page.get_by_label("Daily dial goal").fill("3")
    page.get_by_role("button", name="Save game settings").click()
    page.goto(live_server.url + "/")
    page.evaluate("window.__sameDocument = true")

    tap(page, "No answer")
    assert_toast_clear_of_every_outcome_button(page, "Badge: First dial")
    page.locator("#celebration .toast:visible").click()  # a tap sends it away
    expect(page.locator("#celebration .toast:visible")).to_have_count(0)

    # Scrolled so the buttons sit at the very top, where the toast would go: it goes elsewhere.
    page.evaluate("window.scrollTo(0, document.getElementById('tap-form').getBoundingClientRect().top + scrollY)")
    tap(page, "Voicemail")
    tap(page, "Voicemail")
    assert_toast_clear_of_every_outcome_button(page, "Dial goal met")
    expect(page.locator("#celebration .toast:visible")).to_have_count(0, timeout=4_500)  # gone in 3 s
    assert page.evaluate("window.__sameDocument") is True


def test_a_first_meeting_is_a_full_screen_moment_with_one_way_back_to_calling(page, live_server):
    register(page, live_server)
    tap(page, "Meeting booked")
    moment = page.get_by_role("dialog", name="Badge: First meeting")
    expect(moment).to_be_visible()
    assert moment.bounding_box() == {"x": 0, "y": 0, "width": 360, "height": 780}
    expect(moment.locator('svg[data-badge="first_meeting"]')).to_be_visible()
    expect(moment.get_by_role("button")).to_have_count(1)
    expect(moment.get_by_role("button", name="Back to calling")).to_be_focused()
    assert moment.locator(".moment__card").evaluate("el => getComputedStyle(el).animationName") == "moment-pop"
    assert moment.locator(".moment__confetti i").first.evaluate("el => getComputedStyle(el).animationName") == (
        "moment-confetti"
    )

    back_to_calling(page)
    expect(moment).to_have_count(0)
    assert_toast_clear_of_every_outcome_button(page, "Badge: First dial")  # the small wins follow
    expect(page.locator('[data-tally="dials"]')).to_have_text("1")


def test_under_reduced_motion_the_same_moment_shows_standing_still(page, live_server):
    page.emulate_media(reduced_motion="reduce")
    register(page, live_server, email="calm@example.com")
    tap(page, "Meeting booked")
    moment = page.get_by_role("dialog", name="Badge: First meeting")
    expect(moment).to_be_visible()
    expect(moment.locator('svg[data-badge="first_meeting"]')).to_be_visible()
    expect(moment).to_contain_text("A meeting in the diary.")
    for selector in MOVING:
        style = moment.locator(selector).first.evaluate(
            "el => { const s = getComputedStyle(el); return [s.animationName, s.animationDuration]; }"
        )
        assert style == ["none", "0s"], selector
    assert moment.locator(".moment__confetti").evaluate("el => getComputedStyle(el).display") == "none"
    page.keyboard.press("Escape")
    expect(moment).to_have_count(0)


def test_a_high_five_a_rep_receives_shows_on_their_today_screen_and_on_the_wins_page(browser, context, live_server):
    coach = context.new_page()
    register(coach, live_server, email="sam@example.com", name="Sam Coach")
    coach.goto(live_server.url + "/teams")
    coach.get_by_label("Team name").fill("Night Owls")
    coach.get_by_role("button", name="Create team").click()
    coach.get_by_role("button", name="Make an invite link").click()
    invite = coach.locator("#new-invite").input_value()

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
        tap(rep, "Meeting booked")
        back_to_calling(rep)

        coach.goto(coach.url if re.search(r"/teams/\d+$", coach.url) else live_server.url + "/teams")
        item = coach.locator(".feed-item", has_text="Meeting booked")
        item.get_by_role("button", name="High five").click()
        expect(item.get_by_role("button", name="High-fived")).to_be_visible()

        with rep.expect_response(lambda response: "/high-fives/seen" in response.url) as seen:
            rep.reload()
        toast = rep.locator("#celebration .toast:visible")
        expect(toast).to_contain_text("Sam Coach high-fived your meeting")
        assert seen.value.status == 204
        assert_toast_clear_of_every_outcome_button(rep, "Sam Coach high-fived your meeting")
        rep.reload()
        expect(rep.locator("#celebration .toast")).to_have_count(0)  # shown once on Today

        rep.goto(live_server.url + "/wins")
        expect(rep.locator(".win--meeting")).to_contain_text("High-fived by Sam Coach")
        expect(rep.locator(".high-fives-received")).to_contain_text("Sam Coach high-fived your meeting")
    finally:
        rep_context.close()
