"""A real server and headless Chromium, for what only a browser can show."""

from __future__ import annotations

import os

import pytest

from tests.servers import LiveServer

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(tmp_path):
    """A migrated SQLite database and a running server, stopped after the test."""
    server = LiveServer("sqlite:///" + str(tmp_path / "browser.db"))
    server.migrate()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile with service workers allowed."""
    context = browser.new_context(service_workers="allow", viewport={"width": 360, "height": 780})
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page in the fresh profile."""
    return context.new_page()


PASSWORD = "a long enough phrase"


def register(page, server: LiveServer, email="browser@example.com", name="Bea Browser", *, welcome="skip"):
    """Create an account through the form, then log in with it on the login page, like a rep would.

    A new rep meets the first-run welcome on Today; it is skipped unless ``welcome="keep"``.
    """
    page.goto(server.url + "/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(server.url + "/login**")
    log_in(page, server, email, welcome=welcome)


def log_in(page, server: LiveServer, email="browser@example.com", password=PASSWORD, *, welcome="skip"):
    """Log in through the form (the email may already be filled in) and wait for the main screen.

    The first-run welcome, if it shows, is skipped unless ``welcome="keep"``.
    """
    if not page.url.startswith(server.url + "/login"):
        page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")
    if welcome == "skip" and page.locator("#welcome").count():
        page.locator("#welcome").get_by_role("button", name="Skip").click()
        page.locator("#welcome").wait_for(state="detached")


def back_to_calling(page) -> None:
    """Close the full-screen moment a first meeting or a first sale brings up, as a rep would."""
    page.get_by_role("button", name="Back to calling").click()
