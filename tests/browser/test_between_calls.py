"""Between two calls a rep looks at one screen and does not scroll: the tally, the game strip, the eight
buttons and, after a tap, Undo (and after a no, That was tough and the review) are all above the fold."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import back_to_calling, register
from tests.browser.test_offline_sync import expect_synced, wait_for_offline_ready, wait_until

pytestmark = pytest.mark.browser

PHONES = [pytest.param((360, 780), id="360x780"), pytest.param((320, 640), id="320x640")]


def tap(page, label):
    page.locator("#tap-form").get_by_role("button", name=label, exact=True).click()


def tap_and_wait(page, label, rows):
    """Tap, then wait for the server's answer (its row in the list), so nothing is mid-swap when measured."""
    tap(page, label)
    expect(page.locator("#recent-list > .recent__item:not(.recent__item--waiting)")).to_have_count(rows)


def assert_above_the_fold(page, *extra: str) -> None:
    """The tally, the game strip, the eight buttons (even, 64 px or more) and ``extra`` in the viewport, unscrolled."""
    viewport = page.viewport_size
    assert page.evaluate("window.scrollY") == 0
    tab_bar = page.locator(".tabbar").bounding_box()
    bottom = tab_bar["y"] if tab_bar["y"] > viewport["height"] / 2 else viewport["height"]
    selectors = ["#tally", "#game-strip", *extra]
    boxes = {selector: page.locator(selector).bounding_box() for selector in selectors}
    buttons = page.locator("#tap-form button.tap")
    expect(buttons).to_have_count(8)
    for index in range(8):
        boxes[f"button {index + 1}"] = buttons.nth(index).bounding_box()
    for name, box in boxes.items():
        assert box is not None, f"{name} is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= bottom + 0.5, f"{name} is below the fold: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, f"{name} is off to the side"
    heights = {round(boxes[f"button {i + 1}"]["height"]) for i in range(8)}
    assert len(heights) == 1 and heights.pop() >= 64, "the eight buttons share one height of 64 px or more"


AFTER_A_TAP = ("#after-call .after-call__undo",)
AFTER_A_NO = (*AFTER_A_TAP, "#after-call .button--tough", "#after-call .after-call__review")


@pytest.mark.parametrize("size", PHONES)
def test_every_state_of_the_screen_fits_above_the_fold(browser, live_server, size):
    width, height = size
    context = browser.new_context(service_workers="allow", viewport={"width": width, "height": height})
    page = context.new_page()
    register(page, live_server, email=f"fold{width}@example.com", welcome="keep")
    expect(page.locator("#welcome")).to_be_visible()
    # Once it has slid in, the sheet's top and its Skip button lie on the first screen.
    page.wait_for_function("() => document.getElementById('welcome').getAnimations({subtree: true}).length === 0")
    sheet = page.locator("#welcome").bounding_box()
    skip = page.locator("#welcome").get_by_role("button", name="Skip").bounding_box()
    assert 0 <= sheet["y"] < height and skip["y"] + skip["height"] <= height
    assert_above_the_fold(page)  # first visit: the welcome sheet lies over the screen, which does not move
    page.locator("#welcome").get_by_role("button", name="Skip").click()
    expect(page.locator("#welcome")).to_have_count(0)
    assert_above_the_fold(page)

    tap_and_wait(page, "No answer", 1)
    expect(page.locator("#after-call")).to_contain_text("Logged: No answer +1")
    assert_above_the_fold(page, *AFTER_A_TAP)
    expect(page.locator("#after-call .button--tough")).to_have_count(0)  # not after every call

    tap_and_wait(page, "Not interested", 2)
    expect(page.locator("#after-call .after-call__logged")).to_have_text("Logged: Not interested +5")
    assert_above_the_fold(page, *AFTER_A_NO)

    wait_for_offline_ready(page)
    context.set_offline(True)
    tap(page, "Not interested")
    expect(page.locator("#sync-waiting")).to_have_text("1 waiting to sync")
    expect(page.locator('[data-tally="dials"]')).to_have_text("3")
    expect(page.locator('[data-tally="goal-dials"]')).to_have_text("3")
    assert_above_the_fold(page, *AFTER_A_NO)
    context.close()


def test_the_review_opens_over_the_buttons_saves_in_three_taps_and_closes(page, live_server):
    register(page, live_server, email="review@example.com")
    tap(page, "Not interested")
    sale = page.get_by_role("button", name="Sale", exact=True)
    expect(page.locator("#after-call .after-call__review")).to_be_visible()
    before = sale.bounding_box()

    page.get_by_role("link", name="Review (10 s)").click()
    sheet = page.locator("#sheet .sheet")
    expect(sheet).to_be_visible()
    assert sale.bounding_box() == before  # the sheet lies over the buttons; it never pushes them down
    sheet.locator("fieldset", has_text="Listened actively?").get_by_text("Yes", exact=True).click()
    sheet.get_by_text("No budget", exact=True).click()
    sheet.get_by_role("button", name="Save review").click()

    expect(page.locator("#sheet")).to_be_empty()
    expect(page.locator("#after-call .review-offer--saved")).to_have_text("Review saved · +3 points")
    expect(page.locator('[data-tally="points"]')).to_have_text("8")


def server_reviews(server) -> list[tuple[str, str]]:
    """Every review in the live server's SQLite database: (objection, listened_actively)."""
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return [(o, bool(a)) for o, a in conn.execute("SELECT objection, listened_actively FROM call_reviews")]


def test_a_no_logged_offline_is_reviewed_at_once_and_the_review_is_saved_back_online(context, page, live_server):
    register(page, live_server, email="offline-review@example.com")
    wait_for_offline_ready(page)
    context.set_offline(True)
    tap(page, "Not interested")
    expect(page.locator("#sync-waiting")).to_have_text("1 waiting to sync")
    page.locator("#after-call").get_by_role("button", name="Review (10 s)").click()
    sheet = page.locator("#sheet .sheet")
    sheet.locator("fieldset", has_text="Listened actively?").get_by_text("Yes", exact=True).click()
    sheet.get_by_text("Bad timing", exact=True).click()
    sheet.get_by_role("button", name="Save review").click()
    expect(page.locator("#sheet")).to_be_empty()
    expect(page.locator("#after-call")).to_contain_text("Review kept; it is sent when you are back online")
    assert server_reviews(live_server) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_synced(page)
    wait_until(page, lambda: server_reviews(live_server), message="the review on the server")
    assert server_reviews(live_server) == [("bad_timing", True)]


def test_the_after_call_undo_is_disabled_while_its_request_runs(context, page, live_server):
    register(page, live_server, email="undo-bar@example.com")
    tap(page, "Meeting booked")
    back_to_calling(page)  # a first meeting is a big moment; its Undo waits behind it
    undo = page.locator("#after-call .after-call__undo")
    expect(page.locator("#recent-list > .recent__item:not(.recent__item--waiting)")).to_have_count(1)
    held = []
    context.route("**/calls/*/undo", lambda route: held.append(route))
    undo.click()
    wait_until(page, lambda: held, message="the undo request")
    expect(undo).to_be_disabled()
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator('[data-tally="dials"]')).to_have_text("0")
    expect(page.locator(".recent__item--undone")).to_have_count(1)
    expect(page.locator("#after-call .after-call__undo")).to_have_count(0)


def test_undo_leaves_the_after_call_bar_after_about_ten_seconds(page, live_server):
    register(page, live_server, email="snackbar@example.com")
    page.clock.install()
    tap(page, "Voicemail")
    undo = page.locator("#after-call .after-call__undo")
    expect(undo).to_be_visible()
    page.clock.fast_forward(11_000)
    expect(undo).to_be_hidden()
    expect(page.locator("#recent-list button.undo")).to_be_visible()  # older mistakes: the list's Undo


def test_the_goal_strip_opens_the_goals_and_takes_the_suggestion_in_one_tap(page, live_server):
    register(page, live_server, email="goals@example.com")
    page.goto(live_server.url + "/settings")
    page.get_by_label("Daily dial goal").fill("90")
    page.get_by_role("button", name="Save game settings").click()
    page.goto(live_server.url + "/")
    expect(page.locator("#game-strip")).to_contain_text("0/90")

    page.locator("#game-strip").click()
    sheet = page.locator("#sheet .sheet")
    expect(sheet.get_by_label("Dials a day")).to_have_value("90")
    expect(sheet.get_by_label("Conversations a day")).to_be_visible()
    expect(sheet.get_by_label("Follow-ups won a day")).to_be_visible()
    sheet.locator("[data-accept-suggested]").click()
    expect(page.locator("#sheet")).to_be_empty()
    expect(page.locator("#game-strip")).to_contain_text("0/40")


def test_a_new_rep_answers_the_welcome_and_it_never_comes_back(page, live_server):
    register(page, live_server, email="first@example.com", welcome="keep")
    assert page.url == live_server.url + "/"
    welcome = page.locator("#welcome")
    expect(welcome).to_contain_text("days off never break it")
    expect(welcome.get_by_label("Daily dial goal")).to_have_value("40")
    expect(welcome).to_contain_text("Suggested 40")
    welcome.get_by_text("Fri", exact=True).click()  # no calls on Fridays
    welcome.get_by_label("Daily dial goal").fill("25")
    welcome.get_by_role("button", name="Start calling").click()
    expect(welcome).to_have_count(0)
    expect(page.locator("#game-strip")).to_contain_text("0/25")
    tap(page, "Sale")  # nothing lies over the buttons any more
    expect(page.locator('[data-tally="dials"]')).to_have_text("1")
    page.reload()
    expect(page.locator("#tally")).to_be_visible()
    expect(page.locator("#welcome")).to_have_count(0)


def test_more_holds_settings_and_log_out_and_works_without_script(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    page = context.new_page()
    register(page, live_server, email="more@example.com")
    tabs = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(tabs).to_have_text(["Today", "Team", "Progress", "More"])
    for index in range(4):
        assert tabs.nth(index).bounding_box()["height"] >= 48
    assert page.locator(".topbar").bounding_box()["height"] <= 56
    tabs.nth(3).click()
    expect(page.get_by_role("heading", name="More")).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/login**")
    context.close()


def test_today_and_more_have_no_serious_accessibility_findings(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    register(page, live_server, email="axe@example.com")
    tap(page, "Not interested")
    expect(page.locator("#after-call .after-call__review")).to_be_visible()
    page.get_by_role("link", name="Review (10 s)").click()
    expect(page.locator("#sheet .sheet")).to_be_visible()
    axe = Axe()
    for path in (None, "/more", "/goals"):
        if path:
            page.goto(live_server.url + path)
        page.wait_for_timeout(400)  # past any sheet's slide-in, which axe would read as faint text
        violations = axe.run(page).response["violations"]
        serious = [
            (v["id"], [n["html"] for n in v["nodes"]]) for v in violations if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], f"{path or 'Today'}: {serious}"
