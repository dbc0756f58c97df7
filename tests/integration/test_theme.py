"""Dark mode: every page follows the device unless the rep chose light or dark in Settings."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.domain.appearance import THEME_COLOURS
from webapp.extensions import db
from webapp.models import User


def theme_of(app, email="rep@example.com") -> str:
    with app.app_context():
        return db.session.scalar(select(User.theme).where(User.email == email))


def theme_colour_metas(html: str) -> list[str]:
    return re.findall(r'<meta name="theme-color"[^>]*>', html)


def test_a_new_rep_follows_the_device_and_the_browser_bar_follows_both_schemes(app, rep):
    html = rep.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "data-theme" not in html
    assert theme_colour_metas(html) == [
        f'<meta name="theme-color" content="{THEME_COLOURS["light"]}" media="(prefers-color-scheme: light)">',
        f'<meta name="theme-color" content="{THEME_COLOURS["dark"]}" media="(prefers-color-scheme: dark)">',
    ]
    assert theme_of(app) == "system"


@pytest.mark.parametrize("choice", ["dark", "light"])
def test_a_chosen_theme_overrides_the_device_on_every_page(app, rep, choice):
    response = rep.post("/settings/theme", data={"theme": choice})
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings#appearance")
    assert theme_of(app) == choice
    for path in ("/", "/settings", "/wins", "/badges", "/insights"):
        html = rep.get(path).get_data(as_text=True)
        assert f'<html lang="en" data-theme="{choice}">' in html, path
        assert theme_colour_metas(html) == [f'<meta name="theme-color" content="{THEME_COLOURS[choice]}">'], path
    settings = rep.get("/settings").get_data(as_text=True)
    assert f'value="{choice}" class="button button--choice" aria-pressed="true"' in settings


def test_going_back_to_the_device_setting_drops_the_override(app, rep):
    rep.post("/settings/theme", data={"theme": "dark"})
    rep.post("/settings/theme", data={"theme": "system"})
    assert theme_of(app) == "system"
    assert "data-theme" not in rep.get("/").get_data(as_text=True)


@pytest.mark.parametrize("value", ["", "blue", "DARK ", None])
def test_a_theme_that_is_not_offered_gets_a_clear_message_and_changes_nothing(app, rep, value):
    rep.post("/settings/theme", data={"theme": "light"})
    response = rep.post("/settings/theme", data={} if value is None else {"theme": value})
    assert response.status_code == 422
    assert "Choose Same as this device, Light or Dark." in response.get_data(as_text=True)
    assert theme_of(app) == "light"


def test_one_reps_theme_is_not_anothers(app, rep, visitor):
    rep.post("/settings/theme", data={"theme": "dark"})
    assert visitor.register(email="other@example.com").status_code == 303
    assert "data-theme" not in visitor.get("/").get_data(as_text=True)
    assert "data-theme" not in visitor.get("/login").get_data(as_text=True)


def test_the_manifest_names_a_dark_colour_matching_the_pages(visitor):
    response = visitor.get("/manifest.json")
    manifest = response.get_json()
    response.close()
    assert manifest["theme_color"] == THEME_COLOURS["light"]
    assert manifest["color_scheme_dark"]["theme_color"] == THEME_COLOURS["dark"]
    assert manifest["user_preferences"]["color_scheme"]["dark"]["theme_color"] == THEME_COLOURS["dark"]
