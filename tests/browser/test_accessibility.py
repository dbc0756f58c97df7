"""axe-core on every page a rep or a coach can open, in light and in dark: no serious or critical finding."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import back_to_calling, register

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def make_admin(server, email: str) -> None:
    """The rep also runs the server, so the admin pages are checked too."""
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE users SET is_admin = 1 WHERE email = ?", (email,))


def serious_findings(page) -> list[str]:
    """axe's serious and critical findings on the page as it stands, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "options => axe.run(document, options)", {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": []}
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def check(page, label: str, found: dict) -> None:
    # Colours are judged as they settle, not halfway through a fade-in.
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"
    )
    findings = serious_findings(page)
    found.setdefault("checked", []).append(label)
    if findings:
        found[label] = findings


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_finding_on_any_page(browser, live_server, scheme):
    context = browser.new_context(viewport={"width": 360, "height": 780}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for path in ("/login", "/register", "/forgot"):
            page.goto(live_server.url + path)
            check(page, path, found)

        register(page, live_server, email=f"{scheme}@example.com", name="Ada Axe")
        make_admin(live_server, f"{scheme}@example.com")
        paper = {"light": "rgb(245, 247, 250)", "dark": "rgb(14, 22, 33)"}[scheme]
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == paper
        check(page, "Today, first visit", found)
        page.get_by_role("button", name="No answer", exact=True).click()
        expect(page.locator("#celebration .toast:visible")).to_have_count(1)
        check(page, "Today, a toast", found)
        page.get_by_role("button", name="Meeting booked", exact=True).click()
        expect(page.get_by_role("dialog")).to_be_visible()
        check(page, "Today, a big moment", found)
        back_to_calling(page)
        page.get_by_role("button", name="Not interested", exact=True).click()
        expect(page.locator("#after-call .after-call__review")).to_be_visible()
        check(page, "Today, after a no", found)

        page.goto(live_server.url + "/teams")
        page.get_by_label("Team name").fill("Night Owls")
        page.get_by_role("button", name="Create team").click()
        expect(page.get_by_role("button", name="Make an invite link")).to_be_visible()
        check(page, "the new team", found)
        page.goto(live_server.url + "/teams")
        page.wait_for_url(re.compile(r".*/teams/\d+$"))
        team = page.url.removeprefix(live_server.url)
        check(page, team, found)

        page.goto(live_server.url + "/resets/new")
        check(page, "/resets/new", found)
        page.get_by_role("button", name="Box breathing").click()
        page.wait_for_url(re.compile(r".*/resets/\d+$"))
        check(page, "a reset running", found)

        for path in (
            "/calls/add",
            "/calls/recent",
            "/badges",
            "/wins",
            "/insights",
            "/big-picture",
            "/settings",
            "/notifications",
            f"{team}/members",
            f"{team}/coach",
            f"{team}/coach/insights",
            "/admin",
            "/admin/audit",
        ):
            page.goto(live_server.url + path)
            check(page, path, found)
        page.goto(live_server.url + "/calls/recent")
        page.locator("a", has_text="Review").first.click()
        page.wait_for_url(re.compile(r".*/review$"))
        check(page, "a review page", found)
    finally:
        context.close()
    checked = found.pop("checked")
    assert found == {}, found
    assert len(checked) == 25, checked
