"""A real server and headless Chromium, for what only a browser can show."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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


def free_port() -> int:
    """A port nobody listens on right now, on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """Closer under gunicorn on 127.0.0.1, stopped and started by its own process id."""

    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    extra_env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {
            **os.environ,
            "CLOSER_ENV": "testing",
            "SECRET_KEY": "browser-test-secret",
            "DATABASE_URL": self.database_url,
            "RATELIMIT_ENABLED": "false",
            **self.extra_env,
        }

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "webapp:create_app()",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the test server exited while starting") from None
                time.sleep(0.1)
        raise RuntimeError("the test server did not start within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


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


def register(page, server: LiveServer, email="browser@example.com", name="Bea Browser"):
    """Create an account through the form, then log in with it on the login page, like a rep would."""
    page.goto(server.url + "/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(server.url + "/login**")
    log_in(page, server, email)


def log_in(page, server: LiveServer, email="browser@example.com", password=PASSWORD):
    """Log in through the form (the email may already be filled in) and wait for the main screen."""
    if not page.url.startswith(server.url + "/login"):
        page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")
