"""A rep who forgot their password gets the link by email, sets a new one, and every old session ends."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, register
from tests.mailbox import Mailbox, text_of
from tests.servers import ROOT, LiveServer

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new phrase here"


@pytest.fixture
def mail_server(tmp_path):
    """A server and its worker sending through a real SMTP server on 127.0.0.1, all stopped after the test."""
    box = Mailbox()
    box.start()
    server = LiveServer("sqlite:///" + str(tmp_path / "browser.db"))
    server.extra_env = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(box.port),
        "MAIL_USE_TLS": "false",
        "MAIL_DEFAULT_SENDER": "Closer <closer@example.com>",
        "PUBLIC_URL": server.url,
        "TASK_QUEUE_FILE": str(tmp_path / "tasks.db"),
    }
    server.migrate()
    server.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "worker", "--workers", "1"],
        cwd=ROOT,
        env=server.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield server, box
    os.kill(worker.pid, signal.SIGTERM)
    worker.wait(timeout=10)
    server.stop()
    box.stop()


def test_forgot_password_by_email_sets_a_new_one_and_logs_out_everywhere(browser, mail_server, tmp_path):
    server, box = mail_server
    first = browser.new_context(viewport={"width": 360, "height": 780})
    second = browser.new_context(viewport={"width": 360, "height": 780})
    try:
        old_phone = first.new_page()
        register(old_phone, server, email="forgetful@example.com", name="Fay Forgetful")

        page = second.new_page()
        page.goto(server.url + "/login")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("Email").fill("forgetful@example.com")
        page.get_by_role("button", name="Send me a reset link").click()
        expect(page.get_by_role("status")).to_contain_text("If an account exists for that email")

        (message,) = box.wait_for(1, timeout=30)  # sent by the worker, not by the request
        link = re.search(re.escape(server.url) + r"/reset/\S+", text_of(message)).group(0)
        page.goto(link)
        expect(page.get_by_text("forgetful@example.com")).to_be_visible()
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save the new password").click()
        page.wait_for_url(server.url + "/login")
        expect(page.get_by_text("Your password is changed")).to_be_visible()
        expect(page.get_by_label("Email")).to_have_value("forgetful@example.com")
        page.screenshot(path=str(tmp_path / "after-reset.png"), full_page=True)
        log_in(page, server, "forgetful@example.com", NEW_PASSWORD)

        old_phone.goto(server.url + "/settings")
        expect(old_phone).to_have_url(re.compile(r"/login"))  # the old session ended

        page.goto(link)
        expect(page.get_by_role("alert")).to_contain_text("used already")
    finally:
        first.close()
        second.close()
