"""Push in the browser: the service worker shows what arrives, a click opens the right page, the bell counts.

Chromium's DevTools deliver the push (no push service is reachable here; the
server's side is proven against a stand-in in tests/integration/test_push.py).
DevTools cannot click a notification, so the test asks the worker, through
``postMessage``, to run the same code its ``notificationclick`` handler runs.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, register
from tests.browser.test_offline_sync import page_says, wait_for_controller, wait_until
from webapp import create_app
from webapp.extensions import db
from webapp.models import InboxItem, User
from webapp.services.notifications import inbox

pytestmark = pytest.mark.browser

SHOWN = """navigator.serviceWorker.ready.then(r => r.getNotifications()).then(list => list.map(n => ({
  title: n.title, body: n.body, tag: n.tag, icon: n.icon, badge: n.badge, actions: n.actions.map(a => a.title)})))"""


@pytest.fixture
def installed(browser, tmp_path, live_server):
    """A persistent profile (push needs one) that may show notifications for the server's origin."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        service_workers="allow",
        viewport={"width": 360, "height": 780},
    )
    context.grant_permissions(["notifications"], origin=live_server.url)
    yield context
    context.close()


@pytest.fixture
def server_app(live_server):
    """The server's database, reached from the test as another part of the app would (to post items)."""
    return create_app(
        {
            "CLOSER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": live_server.database_url,
            "TASK_QUEUE_IMMEDIATE": True,
        }
    )


def post_item(app, email, **item) -> int:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return inbox.post(user_id, **item).id


def worker_registration(context, page, base: str):
    """A DevTools session and the service worker's registration id, once its worker is activated and running."""
    cdp = context.new_cdp_session(page)
    found, versions = {}, {}

    def registrations(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == base + "/" and not registration.get("isDeleted"):
                found["id"] = registration["registrationId"]

    def updated(event):
        for version in event["versions"]:
            versions[version["versionId"]] = version

    def ready():
        return found.get("id") is not None and any(
            v["registrationId"] == found["id"] and v["status"] == "activated" and v["runningStatus"] == "running"
            for v in versions.values()
        )

    cdp.on("ServiceWorker.workerRegistrationUpdated", registrations)
    cdp.on("ServiceWorker.workerVersionUpdated", updated)
    cdp.send("ServiceWorker.enable")
    wait_until(page, ready, message="the worker activated and running")
    return cdp, found["id"]


def deliver(cdp, base, registration_id, message: dict, page) -> list:
    """Push ``message`` to the worker through DevTools, and return what it shows.

    DevTools now and then drops a delivery made just after the worker started
    (nothing runs at all); one more delivery then goes through. The tag makes a
    second showing replace the first, so the test still sees exactly one.
    """
    for _ in range(3):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base + "/", "registrationId": registration_id, "data": json.dumps(message)},
        )
        try:
            return wait_until(page, lambda: page_says(page, SHOWN), timeout=5, message="the notification")
        except AssertionError:
            continue
    raise AssertionError("no notification was shown")


def click(page, tag: str, action: str = "") -> None:
    page.evaluate(
        "([tag, action]) => navigator.serviceWorker.controller.postMessage("
        "{type: 'closer-notification-click', tag: tag, action: action})",
        [tag, action],
    )


def test_a_pushed_reminder_is_shown_counted_on_the_bell_and_opens_its_page(installed, live_server, server_app):
    page = installed.new_page()
    register(page, live_server)
    wait_for_controller(page)
    bell = page.locator("#bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, none unread")
    item_id = post_item(
        server_app,
        "browser@example.com",
        kind="start_nudge",
        title="Ready for the first dial?",
        body="One call gets the day moving.",
        url="/badges",
        ref="start_nudge:2026-03-02:0",
        local_date=date(2026, 3, 2),
    )
    cdp, registration = worker_registration(installed, page, live_server.url)
    shown = deliver(
        cdp,
        live_server.url,
        registration,
        {
            "id": item_id,
            "kind": "start_nudge",
            "title": "Ready for the first dial?",
            "body": "One call gets the day moving.",
            "url": "/badges",
            "tag": "closer-start_nudge",
            "reminder": True,
            "icon": "/static/icons/icon-192.png",
            "badge": "/static/icons/badge-96.png",
        },
        page,
    )
    assert shown == [
        {
            "title": "Ready for the first dial?",
            "body": "One call gets the day moving.",
            "tag": "closer-start_nudge",
            "icon": live_server.url + "/static/icons/icon-192.png",
            "badge": live_server.url + "/static/icons/badge-96.png",
            "actions": ["Snooze 1 h"],
        }
    ]
    # The worker told the open page; its bell now speaks the count.
    expect(page.locator("#bell")).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(page.locator("#bell .bell__count")).to_have_text("1")

    click(page, "closer-start_nudge")
    page.wait_for_url(live_server.url + "/badges")
    assert page_says(page, SHOWN) == []
    with server_app.app_context():
        assert db.session.get(InboxItem, item_id).opened_at is not None
    expect(page.locator("#bell")).to_have_attribute("aria-label", "Notifications, none unread")


def test_snooze_on_the_notification_asks_the_server(installed, live_server, server_app):
    page = installed.new_page()
    register(page, live_server)
    wait_for_controller(page)
    item_id = post_item(
        server_app,
        "browser@example.com",
        kind="streak_risk",
        title="3 dials to keep your streak",
        ref="streak_risk:2026-03-02:0",
        local_date=date(2026, 3, 2),
    )
    cdp, registration = worker_registration(installed, page, live_server.url)
    assert deliver(
        cdp,
        live_server.url,
        registration,
        {
            "id": item_id,
            "title": "3 dials to keep your streak",
            "url": "/",
            "tag": "closer-streak_risk",
            "reminder": True,
        },
        page,
    )
    click(page, "closer-streak_risk", "snooze")

    def snoozed():
        with server_app.app_context():
            return db.session.get(InboxItem, item_id).snoozed_until is not None

    wait_until(page, snoozed, message="the snooze")
    assert page.url == live_server.url + "/"  # snoozing opens nothing


def test_the_bell_lists_items_without_push_and_marks_them_read(context, page, live_server, server_app):
    register(page, live_server)
    page.evaluate("delete window.PushManager")  # like iOS Safari outside an installed app
    post_item(server_app, "browser@example.com", kind="coach_note", title="A word from your coach", body="Great start.")
    post_item(server_app, "browser@example.com", kind="team_wins", title="Mo Mate: Sale", url="/teams")
    page.reload()
    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    box = bell.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    bell.click()
    page.wait_for_url(live_server.url + "/notifications")
    items = page.locator(".inbox__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Mo Mate: Sale")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".inbox__summary")).to_have_text("All read")
    expect(page.locator("#bell")).to_have_attribute("aria-label", "Notifications, none unread")
    page.get_by_role("link", name="A word from your coach").click()
    page.wait_for_url(live_server.url + "/")


def test_settings_say_when_this_browser_cannot_get_push(page, live_server):
    register(page, live_server)
    page.goto(live_server.url + "/settings")
    # The test server has no VAPID key: push is off, and Settings says the list still works.
    expect(page.locator("#push-status")).to_contain_text("Push is off on this server")
