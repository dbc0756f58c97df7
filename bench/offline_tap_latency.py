#!/usr/bin/env python
"""Tap to visible change, measured in the page, and the weight of the first load.

    .venv/bin/python bench/offline_tap_latency.py [--taps 60]

Starts Closer under gunicorn (SQLite, 2 sync workers, as every benchmark) and headless
Chromium. In the page, a capture listener stamps ``performance.now()`` at the
tap's pointerdown and a MutationObserver stamps the first change of
``[data-tally=dials]``; the difference is the latency the rep sees. Three runs:
loopback, 300 ms added to every ``POST /calls`` (``context.route``), and offline
(``context.set_offline``). Then the first load of the main screen in a fresh
profile (HTML, CSS, JS; icons left out), raw and gzipped, and whether a reload
takes the page from the service worker's cache. Prints markdown.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time

from harness import ROOT
from harness.databases import app_env, migrate, sqlite_database
from harness.report import percentile
from harness.servers import Server

sys.path.insert(0, ROOT)

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, register  # noqa: E402

LABELS = ["No answer", "Voicemail", "Gatekeeper", "Not interested", "Conversation"]

PROBE = """() => {
  window.__latencies = [];
  if (window.__probe) return;
  window.__probe = true;
  let started = null;
  // From the click (the release of the tap, when the browser submits the form) to the
  // first change of the dials figure on screen.
  document.addEventListener('click', (e) => {
    if (e.target.closest('.tap')) started = performance.now();
  }, true);
  let last = document.querySelector('[data-tally=dials]').textContent;
  new MutationObserver(() => {
    const now = document.querySelector('[data-tally=dials]').textContent;
    if (started !== null && now !== last) { window.__latencies.push(performance.now() - started); started = null; }
    last = now;
  }).observe(document.getElementById('main'), {subtree: true, childList: true, characterData: true});
}"""


def measure_taps(page, taps: int) -> list[float]:
    page.evaluate(PROBE)
    for i in range(taps):
        page.locator("#tap-form").get_by_role("button", name=LABELS[i % len(LABELS)], exact=True).click()
        page.wait_for_timeout(40)
    page.wait_for_timeout(200)
    return page.evaluate("window.__latencies")


def settle(page, server_ready_check=True):
    """Wait until the service worker controls the page and the outbox is empty."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = page.evaluate(
            "!!navigator.serviceWorker.controller && document.getElementById('sync-waiting').dataset.waiting === '0'"
        )
        if ready:
            return
        page.wait_for_timeout(200)
    raise RuntimeError("the page did not settle")


def first_load(browser, logged_in, server) -> list[tuple[str, tuple[int, int]]]:
    """Every document, stylesheet and script of the main screen in a fresh profile: (url, (raw, gzipped))."""
    fresh = browser.new_context(service_workers="block")
    fresh.add_cookies(logged_in.cookies())
    page = fresh.new_page()
    sizes = {}

    def record(response):
        if response.request.resource_type in ("document", "stylesheet", "script") and response.status == 200:
            body = response.body()
            sizes[response.url] = (len(body), len(gzip.compress(body, 6)))

    page.on("response", record)
    page.goto(server.url + "/")
    page.wait_for_load_state("networkidle")
    fresh.close()
    return list(sizes.items())


def main(argv=None) -> str:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=60)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as playwright:
        database = sqlite_database(workdir)
        migrate(database)
        server = Server("closer", "webapp:create_app()", app_env(database), workdir).start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(service_workers="allow", viewport={"width": 360, "height": 780})
            page = context.new_page()
            register(page, server)
            settle(page)
            first = first_load(browser, context, server)

            repeat = {}
            page.on(
                "response",
                lambda r: repeat.setdefault(r.request.resource_type, []).append((r.url, r.from_service_worker)),
            )
            page.reload()
            page.wait_for_load_state("load")
            settle(page)
            from_cache = repeat.get("document", [("", False)])[0][1]

            runs = {}
            runs["loopback"] = measure_taps(page, args.taps)
            settle(page)

            def slow(route):
                time.sleep(0.3)
                route.continue_()

            context.route("**/calls", slow)
            page.reload()
            settle(page)
            runs["+300 ms per request"] = measure_taps(page, args.taps)
            context.unroute("**/calls")
            settle(page)

            page.reload()
            settle(page)
            context.set_offline(True)
            runs["offline (IndexedDB outbox)"] = measure_taps(page, args.taps)
            context.set_offline(False)
            settle(page)
            for name, values in runs.items():
                rows.append(
                    f"| {name} | {len(values)} | {statistics.median(values):.1f} ms | "
                    f"{percentile(values, 95):.1f} ms | {max(values):.1f} ms |"
                )
            context.close()
        finally:
            browser.close()
            server.stop()

    raw = sum(s[0] for _, s in first)
    zipped = sum(s[1] for _, s in first)
    lines = [
        "| tap to visible change | taps | median | p95 | max |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        "| first load of the main screen (HTML, CSS, JS) | raw | gzipped |",
        "|---|---:|---:|",
    ]
    for url, (size, gz) in sorted(first, key=lambda x: -x[1][0]):
        name = "/" + url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
        lines.append(f"| {name} | {size / 1024:.1f} KB | {gz / 1024:.1f} KB |")
    lines.append(f"| **total** | **{raw / 1024:.1f} KB** | **{zipped / 1024:.1f} KB** |")
    lines.append("")
    lines.append(
        f"Repeat load: the main page came from the service worker: **{'yes' if from_cache else 'no'}** "
        "(network-first; the cached copy is the offline shell), static files cache-first."
    )
    table = "\n".join(lines)
    print(table)
    return table


if __name__ == "__main__":
    main()
