"""Offline taps: kept on the device, shown at once, synced exactly once when the network returns."""

from __future__ import annotations

import sqlite3
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser


def server_calls(server) -> list[tuple[str, str, bool]]:
    """Every call in the live server's SQLite database: (client_id, outcome, undone)."""
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT client_id, outcome, undone_at IS NOT NULL FROM calls").fetchall()
    return [(str(c), o, bool(u)) for c, o, u in rows]


def wait_until(page, predicate, timeout=15.0, message="condition"):
    """Poll ``predicate`` until it is truthy, letting Playwright run route handlers meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {message}")


def page_says(page, expression: str):
    """Evaluate ``expression`` in the page; None while the page is navigating."""
    try:
        return page.evaluate(expression)
    except Exception:  # noqa: BLE001 - the execution context was replaced by a navigation
        return None


def wait_for_controller(page, timeout=15.0):
    """A service worker controls the page."""
    wait_until(
        page,
        lambda: page_says(page, "!!(navigator.serviceWorker && navigator.serviceWorker.controller)"),
        timeout,
        "a controlling service worker",
    )


def wait_for_offline_ready(page, timeout=15.0):
    """The worker controls the page and holds a copy of the main screen."""
    wait_for_controller(page, timeout)
    wait_until(
        page,
        lambda: page.evaluate("caches.open('closer-pages').then(c => c.match('/')).then(r => !!r)"),
        timeout,
        "the cached shell",
    )


def tap(page, label):
    page.locator("#tap-form").get_by_role("button", name=label, exact=True).click()


def waiting(page):
    return page.locator("#sync-waiting")


def expect_synced(page, timeout=15000):
    """The outbox is empty (read from IndexedDB, not just the page's first paint) and the count shows nothing."""
    page.wait_for_function("async () => (await CloserOutbox.list()).length === 0", timeout=timeout)
    expect(page.locator("#sync-waiting")).to_have_attribute("data-waiting", "0", timeout=timeout)


def outbox_size(page) -> int:
    return page.evaluate("CloserOutbox.list().then(items => items.length)")


def test_offline_taps_survive_a_reload_and_sync_exactly_once(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    dials = page.locator('[data-tally="dials"]')
    tap(page, "No answer")
    tap(page, "Voicemail")
    expect(dials).to_have_text("2")
    wait_until(page, lambda: len(server_calls(live_server)) == 2, message="two live taps")

    context.set_offline(True)
    for label in ("Not interested", "Conversation", "Sale"):
        tap(page, label)
    expect(dials).to_have_text("5")
    expect(waiting(page)).to_have_text("3 waiting to sync")
    expect(page.locator("#offline-indicator")).to_be_visible()
    expect(page.locator(".recent__item--waiting")).to_have_count(3)
    assert len(server_calls(live_server)) == 2

    page.reload()
    expect(waiting(page)).to_have_text("3 waiting to sync")
    expect(dials).to_have_text("5")
    expect(page.locator(".recent__item")).to_have_count(5)

    # The first sync reaches the server but its answer is lost on the way back.
    lost = []

    def lose_first_answer(route):
        if not lost:
            response = route.fetch()
            lost.append(response.status)
            route.abort()
        else:
            route.continue_()

    context.route("**/api/v1/sync", lose_first_answer)
    context.set_offline(False)
    wait_until(page, lambda: lost, message="the first sync")
    # Several triggers at once collapse into one sync in flight.
    page.evaluate("Promise.all([Closer.sync(), Closer.sync(), Closer.sync()])")
    expect_synced(page)
    calls = server_calls(live_server)
    assert lost == [200]
    assert len(calls) == 5 and len({c[0] for c in calls}) == 5
    assert sorted(c[1] for c in calls) == sorted(["no_answer", "voicemail", "not_interested", "conversation", "sale"])
    expect(dials).to_have_text("5")
    expect(page.locator(".recent__item--waiting")).to_have_count(0)
    assert outbox_size(page) == 0


def test_a_server_stopped_mid_sync_loses_and_doubles_nothing(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    context.set_offline(True)
    for label in ("No answer", "Gatekeeper", "Meeting booked", "Follow-up"):
        tap(page, label)
    expect(waiting(page)).to_have_text("4 waiting to sync")

    stopped = []

    def stop_server_mid_request(route):
        if not stopped:
            route.fetch()  # the server applies the batch...
            live_server.stop()  # ...and goes down before the answer arrives
            stopped.append(True)
            route.abort()
        else:
            route.continue_()

    context.route("**/api/v1/sync", stop_server_mid_request)
    context.set_offline(False)
    wait_until(page, lambda: stopped, message="the server to stop")
    expect(waiting(page)).to_have_text("4 waiting to sync")
    live_server.start()
    # The browser believes it was online all along: the page's retry (or this nudge) replays.
    page.evaluate("Closer.sync()")
    expect_synced(page)
    calls = server_calls(live_server)
    assert len(calls) == 4 and len({c[0] for c in calls}) == 4
    expect(page.locator('[data-tally="dials"]')).to_have_text("4")


def test_a_server_down_before_the_sync_keeps_taps_waiting_then_delivers(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    live_server.stop()
    tap(page, "Voicemail")  # the live request fails: the tap stays in the outbox
    expect(waiting(page)).to_have_text("1 waiting to sync")
    tap(page, "Sale")
    expect(waiting(page)).to_have_text("2 waiting to sync")
    expect(page.locator('[data-tally="dials"]')).to_have_text("2")
    live_server.start()
    page.evaluate("Closer.sync()")
    expect_synced(page)
    assert sorted(c[1] for c in server_calls(live_server)) == ["sale", "voicemail"]


def test_two_tabs_offline_tapping_deliver_every_tap_once(context, live_server):
    first = context.new_page()
    register(first, live_server)
    wait_for_offline_ready(first)
    second = context.new_page()
    second.goto(live_server.url + "/")
    wait_for_controller(second)
    context.set_offline(True)
    for _ in range(3):
        tap(first, "No answer")
        tap(second, "Not interested")
    expect(first.locator("#sync-waiting")).to_have_text("6 waiting to sync")
    expect(second.locator("#sync-waiting")).to_have_text("6 waiting to sync")
    context.set_offline(False)
    expect_synced(first)
    expect_synced(second)
    calls = server_calls(live_server)
    assert len(calls) == 6 and len({c[0] for c in calls}) == 6
    assert sorted(c[1] for c in calls) == ["no_answer"] * 3 + ["not_interested"] * 3
    expect(first.locator('[data-tally="dials"]')).to_have_text("6")
    expect(second.locator('[data-tally="dials"]')).to_have_text("6")


def test_undo_of_a_waiting_tap_offline_never_reaches_the_server(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    context.set_offline(True)
    tap(page, "Sale")
    tap(page, "No answer")
    expect(waiting(page)).to_have_text("2 waiting to sync")
    sale = page.locator(".recent__item--waiting", has_text="Sale")
    sale.get_by_role("button", name="Undo").dispatch_event("click")
    expect(waiting(page)).to_have_text("1 waiting to sync")
    expect(page.locator('[data-tally="dials"]')).to_have_text("1")
    context.set_offline(False)
    expect_synced(page)
    assert [c[1] for c in server_calls(live_server)] == ["no_answer"]


def test_undo_offline_of_a_call_the_server_holds_is_delivered_later(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    tap(page, "Meeting booked")
    wait_until(page, lambda: len(server_calls(live_server)) == 1, message="the live tap")
    expect(page.locator(".recent__item:not(.recent__item--waiting)")).to_have_count(1)
    context.set_offline(True)
    page.locator(".recent__item").first.get_by_role("button", name="Undo").dispatch_event("click")
    expect(page.locator('[data-tally="dials"]')).to_have_text("0")
    expect(waiting(page)).to_have_text("1 waiting to sync")
    context.set_offline(False)
    expect_synced(page)
    assert server_calls(live_server)[0][2] is True
    expect(page.locator(".recent__item--undone")).to_have_count(1)


def test_a_tap_the_server_refuses_is_listed_with_the_reason_until_dismissed(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    context.set_offline(True)
    tap(page, "Conversation")
    # Age the waiting tap beyond the sync window, as if the phone sat offline for weeks.
    page.evaluate("""CloserOutbox.list().then(items => Promise.all(items.map(item =>
        CloserOutbox.put(Object.assign(item, {occurred_at: '2020-01-01T09:00:00+00:00'})))))""")
    context.set_offline(False)
    refused = page.locator("#sync-refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Conversation")
    expect(refused).to_contain_text("more than 7 days old")
    expect_synced(page)
    assert server_calls(live_server) == []
    refused.get_by_role("button", name="Dismiss").click()
    expect(refused).to_be_hidden()
    page.reload()
    expect(refused).to_be_hidden()


def test_a_session_that_expired_offline_keeps_the_outbox_until_the_next_login(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    context.set_offline(True)
    tap(page, "Gatekeeper")
    expect(waiting(page)).to_have_text("1 waiting to sync")
    context.clear_cookies()
    context.set_offline(False)
    page.evaluate("Closer.sync()")
    expect(page.locator("#sync-login")).to_be_visible()
    assert outbox_size(page) == 1 and server_calls(live_server) == []
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("browser@example.com")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    expect_synced(page)
    assert [c[1] for c in server_calls(live_server)] == ["gatekeeper"]
