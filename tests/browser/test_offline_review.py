"""A review saved offline waits in the outbox behind its call, like a tap: it survives a reload and a
closed tab, is sent once the server has the call, arrives exactly once, and goes when the call is taken back."""

from __future__ import annotations

import json
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.browser.test_offline_sync import expect_synced, server_calls, wait_for_offline_ready, wait_until

pytestmark = pytest.mark.browser


def tap(page, label):
    page.locator("#tap-form").get_by_role("button", name=label, exact=True).click()


def server_reviews(server) -> list[tuple]:
    """Every review in the live server's SQLite database: (objection, listened, timing right, next time, points)."""
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT objection, listened_actively, timing_right, next_time, points FROM call_reviews"
        ).fetchall()
    return [(o, None if a is None else bool(a), None if t is None else bool(t), n, p) for o, a, t, n, p in rows]


def outbox_kinds(page) -> list[str]:
    return page.evaluate("CloserOutbox.list().then(items => items.map(item => item.kind))")


def count_review_posts(context) -> list[tuple[int, str]]:
    """Every review POST that reached the server, as (status, what the server said it did)."""
    answers: list[tuple[int, str]] = []

    def note(route):
        response = route.fetch()
        try:
            said = json.loads(response.text()).get("status", "")
        except ValueError:
            said = "html"
        answers.append((response.status, said))
        route.fulfill(response=response)

    context.route("**/calls/*/review", note)
    return answers


def review_in_the_sheet(page, *, listened="Yes", objection="Bad timing", next_time=""):
    sheet = page.locator("#sheet .sheet")
    sheet.locator("fieldset", has_text="Listened actively?").get_by_text(listened, exact=True).click()
    sheet.get_by_text(objection, exact=True).click()
    if next_time:
        sheet.get_by_label("Next time I'll…").fill(next_time)
    sheet.get_by_role("button", name="Save review").click()
    expect(page.locator("#sheet")).to_be_empty()


def test_a_no_reviewed_offline_survives_a_reload_and_a_closed_tab_and_arrives_once(context, page, live_server):
    register(page, live_server, email="review-reload@example.com")
    wait_for_offline_ready(page)
    posts = count_review_posts(context)
    context.set_offline(True)
    tap(page, "Not interested")
    page.locator("#after-call").get_by_role("button", name="Review (10 s)").click()
    review_in_the_sheet(page, next_time="Ask about timing first")
    expect(page.locator("#after-call")).to_contain_text("Review kept; it is sent when you are back online")
    assert outbox_kinds(page) == ["tap", "review"]  # queued after its call
    expect(page.locator("#sync-waiting")).to_have_text("2 waiting to sync")
    expect(page.locator('[data-tally="dials"]')).to_have_text("1")  # a review is not a dial

    page.reload()
    expect(page.locator("#sync-waiting")).to_have_text("2 waiting to sync")
    assert outbox_kinds(page) == ["tap", "review"]
    page.close()
    assert server_reviews(live_server) == []

    context.set_offline(False)
    again = context.new_page()
    again.goto(live_server.url + "/")
    wait_until(again, lambda: server_reviews(live_server), message="the review on the server")
    expect_synced(again)
    assert server_reviews(live_server) == [("bad_timing", True, None, "Ask about timing first", 3)]
    assert posts == [(200, "accepted")]  # sent once, after its call
    points = again.evaluate("fetch('/api/v1/me/today').then(response => response.json()).then(today => today.points)")
    assert points == 8  # the no's 5 and the review's 3, once


def test_an_offline_no_taken_back_before_it_synced_sends_no_review(context, page, live_server):
    register(page, live_server, email="review-undone@example.com")
    wait_for_offline_ready(page)
    posts = count_review_posts(context)
    context.set_offline(True)
    tap(page, "Not interested")
    page.locator("#after-call").get_by_role("button", name="Review (10 s)").click()
    review_in_the_sheet(page)
    assert outbox_kinds(page) == ["tap", "review"]
    page.locator("#after-call .after-call__undo").click()
    page.wait_for_function("async () => (await CloserOutbox.list()).length === 0")
    expect(page.locator("#sync-waiting")).to_have_attribute("data-waiting", "0")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("Closer.sync()")
    page.wait_for_timeout(500)
    assert (server_calls(live_server), server_reviews(live_server), posts) == ([], [], [])


def test_a_review_kept_in_local_storage_by_the_old_page_script_is_moved_to_the_outbox_and_sent(
    context, page, live_server
):
    register(page, live_server, email="review-legacy@example.com")
    wait_for_offline_ready(page)
    tap(page, "Not interested")
    row = page.locator("#recent-list > li[data-client-id]:not(.recent__item--waiting)")
    expect(row).to_have_count(1)
    call_id = row.get_attribute("data-client-id")
    user_id = page.locator("body").get_attribute("data-user-id")
    context.set_offline(True)
    fields = {"screen": "offline", "timing_right": "yes", "objection": "no_budget", "next_time": ""}
    kept = [{"client_id": call_id, "fields": fields}]  # as the old script kept them: the form but its token
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [f"closer-reviews:{user_id}", json.dumps(kept)])

    page.reload()  # the new page script, still offline
    page.wait_for_function(f"() => localStorage.getItem('closer-reviews:{user_id}') === null")
    waiting = page.evaluate("CloserOutbox.list()")
    assert [(item["kind"], item["call_id"], item["fields"]["objection"]) for item in waiting] == [
        ("review", call_id, "no_budget")
    ]
    assert server_reviews(live_server) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, lambda: server_reviews(live_server), message="the moved review on the server")
    expect_synced(page)
    assert server_reviews(live_server) == [("no_budget", None, True, None, 3)]


def test_a_review_saved_on_the_sheet_after_the_network_went_waits_in_the_outbox(context, page, live_server):
    register(page, live_server, email="review-sheet@example.com")
    wait_for_offline_ready(page)
    tap(page, "Not interested")
    expect(page.locator("#recent-list > li[data-client-id]:not(.recent__item--waiting)")).to_have_count(1)
    page.locator("#after-call").get_by_role("link", name="Review (10 s)").click()  # the server's own sheet
    expect(page.locator("#sheet .sheet")).to_be_visible()
    context.set_offline(True)
    review_in_the_sheet(page, listened="No", objection="Too busy / other priorities")
    expect(page.locator("#after-call")).to_contain_text("Review kept; it is sent when you are back online")
    assert outbox_kinds(page) == ["review"]

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, lambda: server_reviews(live_server), message="the review on the server")
    expect_synced(page)
    assert server_reviews(live_server) == [("too_busy", False, None, None, 3)]
