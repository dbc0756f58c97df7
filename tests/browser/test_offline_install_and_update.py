"""Installing the app, and a new version arriving while taps wait to sync."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.browser.test_offline_sync import (
    expect_synced,
    outbox_size,
    page_says,
    server_calls,
    tap,
    wait_for_offline_ready,
    wait_until,
    waiting,
)

pytestmark = pytest.mark.browser

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def static_caches(page) -> list[str]:
    return page.evaluate("caches.keys().then(keys => keys.filter(k => k.startsWith('closer-static-')))")


def test_a_new_version_shows_a_reload_banner_and_waiting_taps_survive_it(context, page, live_server):
    register(page, live_server)
    wait_for_offline_ready(page)
    old_caches = static_caches(page)
    context.route("**/api/v1/sync", lambda route: route.abort())  # keep the taps waiting
    context.set_offline(True)
    tap(page, "No answer")
    tap(page, "Sale")
    expect(waiting(page)).to_have_text("2 waiting to sync")
    context.set_offline(False)

    # Deploy: same server, same database, new static files (the version salt stands in for them).
    live_server.stop()
    live_server.extra_env = {"CLOSER_ASSET_VERSION": "next-deploy"}
    live_server.start()
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    banner = page.locator("#update-banner")
    expect(banner).to_be_visible(timeout=15000)
    expect(banner).to_contain_text("New version ready - Reload")
    assert outbox_size(page) == 2

    page.evaluate("window.__beforeUpdate = true")
    banner.get_by_role("button", name="Reload").click()
    wait_until(
        page,
        lambda: page_says(page, "window.__beforeUpdate === undefined && document.readyState === 'complete'"),
        message="the reload",
    )
    expect(waiting(page)).to_have_text("2 waiting to sync")
    expect(page.locator('[data-tally="dials"]')).to_have_text("2")
    expect(banner).to_be_hidden()
    new_caches = static_caches(page)
    assert len(new_caches) == 1 and new_caches != old_caches  # the old version's files are gone

    context.unroute("**/api/v1/sync")
    page.evaluate("Closer.sync()")
    expect_synced(page)
    assert sorted(c[1] for c in server_calls(live_server)) == ["no_answer", "sale"]


def test_the_install_button_appears_when_the_browser_offers_installation(page, live_server):
    register(page, live_server)
    button = page.locator("#install-app")
    expect(button).to_be_hidden()
    page.evaluate("""() => {
        const offer = new Event('beforeinstallprompt', {cancelable: true});
        offer.prompt = () => { window.__prompted = true; return Promise.resolve(); };
        window.dispatchEvent(offer);
    }""")
    expect(button).to_be_visible()
    expect(button).to_have_text("Install app")
    button.click()
    assert page.evaluate("window.__prompted") is True
    expect(button).to_be_hidden()


def test_ios_safari_gets_add_to_home_screen_instructions(browser, live_server):
    context = browser.new_context(user_agent=IPHONE_SAFARI, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/login")
    hint = page.locator("#ios-install")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Tap Share, then Add to Home Screen")
    expect(page.locator("#install-app")).to_be_hidden()
    hint.get_by_role("button", name="Got it").click()
    expect(hint).to_be_hidden()
    page.reload()
    expect(hint).to_be_hidden()
    context.close()
