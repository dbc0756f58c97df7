"""One phone, two reps: the main screen the worker keeps for one is never shown to the next."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, register
from tests.browser.test_offline_sync import wait_for_offline_ready, wait_until

pytestmark = pytest.mark.browser

SLOWER_THAN_THE_WORKERS_TIMEOUT_S = 4.5  # the worker shows its kept copy after 3 s

# Every document this tab shows records whose screen it was, before any page script can change it.
RECORD_SCREENS = """
document.addEventListener("DOMContentLoaded", function () {
  var seen = JSON.parse(sessionStorage.getItem("screens") || "[]");
  seen.push(document.body.getAttribute("data-user-id") || "nobody");
  sessionStorage.setItem("screens", JSON.stringify(seen));
});
"""


def screens(page) -> list[str]:
    return page.evaluate("JSON.parse(sessionStorage.getItem('screens') || '[]')")


def shown_user(page) -> str | None:
    return page.locator("body").get_attribute("data-user-id")


def slow_main_screen(context, server):
    """Hold every request for the main screen longer than the worker waits for the network."""

    def delay(route):
        time.sleep(SLOWER_THAN_THE_WORKERS_TIMEOUT_S)
        route.continue_()

    context.route(server.url + "/", delay)


def kept_shell_owner(page) -> str | None:
    return page.evaluate(
        "caches.open('closer-pages').then(c => c.match('/'))"
        ".then(r => r ? r.text() : null)"
        '.then(t => t && (t.match(/data-user-id="(\\d+)"/) || [])[1] || null)'
    )


def test_the_next_rep_on_a_device_never_sees_the_last_reps_screen(browser, live_server):
    # Bo's account exists already (made on another device).
    elsewhere = browser.new_context()
    register(elsewhere.new_page(), live_server, email="bo@example.com", name="Bo Second")
    elsewhere.close()

    context = browser.new_context(service_workers="allow", viewport={"width": 360, "height": 780})
    context.add_init_script(RECORD_SCREENS)
    try:
        page = context.new_page()
        register(page, live_server, email="ann@example.com", name="Ann First")
        wait_for_offline_ready(page)
        ann = shown_user(page)
        assert ann and kept_shell_owner(page) == ann

        # Ann's session ends without the Log out button: the cookies expire or are cleared.
        context.clear_cookies()
        page.evaluate("sessionStorage.setItem('screens', '[]')")

        # Whoever opens the app next, offline, gets no one's screen.
        context.set_offline(True)
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        context.set_offline(False)

        # ...nor on a slow network: the kept copy is not shown while the server is asked.
        slow_main_screen(context, live_server)
        page.goto(live_server.url + "/")
        page.wait_for_url(live_server.url + "/login**")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()

        # Bo logs in on the slow network: Bo's own screen comes, never Ann's.
        log_in(page, live_server, "bo@example.com")
        bo = shown_user(page)
        assert bo and bo != ann
        wait_until(page, lambda: kept_shell_owner(page) == bo, message="Bo's main screen kept")
        context.unroute(live_server.url + "/")

        # Offline, Bo gets Bo's kept screen.
        context.set_offline(True)
        page.reload()
        expect(page.locator("#tally")).to_be_visible()
        assert shown_user(page) == bo
        context.set_offline(False)

        assert ann not in screens(page), screens(page)
    finally:
        context.close()


def test_a_logged_out_session_on_the_server_takes_the_kept_screen_with_it(browser, live_server):
    """A device logged out from elsewhere ("Log out everywhere else") shows no kept screen once it hears so."""
    context = browser.new_context(service_workers="allow", viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        register(page, live_server, email="cy@example.com", name="Cy Phone")
        wait_for_offline_ready(page)

        laptop = browser.new_context()
        log_in(laptop.new_page(), live_server, "cy@example.com")
        other = laptop.pages[0]
        other.goto(live_server.url + "/settings")
        other.get_by_role("button", name="Log out everywhere else").click()
        expect(other.get_by_text("Logged out 1 other session.")).to_be_visible()
        laptop.close()

        page.goto(live_server.url + "/")
        page.wait_for_url(live_server.url + "/login**")
        wait_until(page, lambda: kept_shell_owner(page) is None, message="the kept screen forgotten")
        context.set_offline(True)
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    finally:
        context.close()
