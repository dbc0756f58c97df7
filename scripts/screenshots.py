#!/usr/bin/env python
"""Take the README's screenshots: a demo database, a local server, headless Chromium at phone size.

.venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402

PAGES = [
    ("today", "/", None),
    ("more", "/more", None),
    ("badges", "/badges", None),
    ("team", "/teams", None),
    ("insights", "/insights", None),
    ("big-picture", "/big-picture", None),
]


def shoot(page, name: str) -> None:
    page.screenshot(path=os.path.join(ROOT, "docs", "screenshots", f"{name}.png"))
    print("wrote", name)


def main() -> None:
    import subprocess

    from playwright.sync_api import sync_playwright

    workdir = tempfile.mkdtemp(prefix="closer-shots-")
    server = LiveServer("sqlite:///" + os.path.join(workdir, "demo.db"), extra_env={"CLOSER_ENV": "development"})
    server.migrate()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "seed-demo"],
        cwd=ROOT,
        env=server.env(),
        check=True,
        capture_output=True,
    )
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The phone the screen between calls is budgeted for: everything a rep needs fits 360 x 780.
            page = browser.new_page(viewport={"width": 360, "height": 780}, device_scale_factor=1)
            page.goto(server.url + "/login")
            page.get_by_label("Email").fill("demo@closer.test")
            page.get_by_label("Password").fill("closer-demo-1")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(server.url + "/")
            page.get_by_role("button", name="Not interested", exact=True).click()
            page.wait_for_timeout(600)
            page.evaluate("document.getElementById('celebration').replaceChildren()")  # a toast is not the screen
            shoot(page, "today")
            page.get_by_role("link", name="Review (10 s)").click()
            page.wait_for_timeout(500)
            shoot(page, "review")
            page.locator("#sheet").get_by_role("link", name="Skip", exact=True).click()
            page.locator("#game-strip").click()
            page.wait_for_timeout(500)
            shoot(page, "goals")
            for name, path, _ in PAGES[1:]:
                if path != "/":
                    page.goto(server.url + path)
                page.wait_for_timeout(400)
                shoot(page, name)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
