"""A rep hears a no, reviews it in three taps, says it was tough and takes a one-minute reset."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser


def move_reset_start_back(server, seconds: int) -> None:
    """The server's clock for the reset: its recorded start moves into the past, as if time had passed."""
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        reset_id, started = conn.execute("SELECT id, started_at FROM resets ORDER BY id DESC LIMIT 1").fetchone()
        earlier = datetime.fromisoformat(started) - timedelta(seconds=seconds)
        conn.execute("UPDATE resets SET started_at = ? WHERE id = ?", (earlier.isoformat(sep=" "), reset_id))


def tap(locator) -> None:
    """Tap like a thumb does: with the target in the middle of the screen, clear of the toasts at the bottom."""
    locator.evaluate("el => el.scrollIntoView({block: 'center'})")
    locator.click()


def test_a_no_a_three_tap_review_a_tough_call_and_a_one_minute_reset(page, live_server):
    register(page, live_server)
    page.get_by_role("button", name="Not interested", exact=True).click()

    expect(page.locator("#after-call")).to_contain_text("Not enough calls yet to estimate")
    tap(page.get_by_role("link", name="Review (10 s)"))
    review = page.locator("#sheet .review-offer")
    expect(review).to_be_visible()
    # Three taps: one answer, one objection, Save.
    tap(review.locator("fieldset", has_text="Asked the right questions?").get_by_text("Yes", exact=True))
    tap(review.get_by_text("No budget", exact=True))
    tap(review.get_by_role("button", name="Save review"))
    expect(page.locator("#after-call .review-offer--saved")).to_contain_text("Review saved · +3 points")
    expect(page.locator("#sheet")).to_be_empty()  # the sheet closed itself
    expect(page.locator('[data-tally="points"]')).to_have_text("8")  # 5 for the no, 3 for the review

    tap(page.get_by_role("button", name="That was tough"))
    tough = page.locator(".tough-slot--marked")
    expect(tough.locator(".coach-line")).not_to_be_empty()
    tap(tough.get_by_text("1 min", exact=True))
    page.clock.install()  # from the reset page on, the page's timers run on a clock the test moves
    tap(tough.get_by_role("button", name="Box breathing"))

    page.wait_for_url(f"{live_server.url}/resets/*")
    done = page.locator("#reset-done")
    expect(done).to_be_disabled()
    expect(done).to_have_text("I'm ready")
    # A minute, counting down in real time until the test moves the clock (a slow page load may show 0:5x).
    expect(page.locator("#reset-remaining")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    move_reset_start_back(live_server, 31)
    page.clock.fast_forward(31_000)
    expect(done).to_be_enabled()  # half the time: the rep may say they are ready
    expect(done).to_have_text("I'm ready")
    move_reset_start_back(live_server, 30)
    page.clock.fast_forward(30_000)
    expect(done).to_have_text("Done")
    expect(page.locator("#reset-status")).to_have_text("Time's up. Tap Done to log your reset.")
    tap(done)
    expect(page.locator(".reset__result")).to_have_text("Reset done: +4 points.")
    expect(page.locator(".coach-line")).not_to_be_empty()
    page.get_by_role("link", name="Back to calling").click()
    expect(page.locator('[data-tally="points"]')).to_have_text("12")


def test_the_breathing_shape_stands_still_for_reduced_motion(browser, live_server):
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 360, "height": 780})
    page = context.new_page()
    register(page, live_server, email="calm@example.com")
    page.goto(live_server.url + "/resets/new")
    page.get_by_role("button", name="Box breathing").click()
    page.wait_for_url(f"{live_server.url}/resets/*")
    dot = page.locator(".breath__dot")
    expect(dot).to_be_visible()
    assert dot.evaluate("el => getComputedStyle(el).animationName") == "none"
    widths = page.evaluate(
        "[...document.querySelectorAll('button, .chip span, a.button')]"
        ".map(el => el.getBoundingClientRect().height).filter(h => h > 0)"
    )
    assert min(widths) >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
