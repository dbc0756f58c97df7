"""The rep's own locale: chosen in Settings, else the browser's language, and kept per rep."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import User


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def _saved_locale(app, email="rep@example.com"):
    with app.app_context():
        return db.session.execute(db.select(User.locale).where(User.email == email)).scalar_one()


def test_without_a_choice_the_browsers_language_decides(rep):
    assert _lang(rep.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})) == "de"
    assert _lang(rep.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})) == "en-US"
    assert _lang(rep.get("/", headers={"Accept-Language": "fr-FR"})) == "en"


def test_a_visitor_who_is_not_logged_in_gets_the_browsers_language(visitor):
    assert _lang(visitor.get("/login", headers={"Accept-Language": "de"})) == "de"
    assert _lang(visitor.get("/login")) == "en"


def test_the_saved_choice_beats_the_browser_and_automatic_goes_back(app, rep):
    response = rep.post("/settings/locale", data={"locale": "en_GB"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings#locale")
    assert _saved_locale(app) == "en_GB"
    page = rep.get("/settings", headers={"Accept-Language": "de-DE"})
    assert _lang(page) == "en-GB"
    html = page.get_data(as_text=True)
    assert re.search(r'<option value="en_GB" selected lang="en-GB">', html)
    assert "Times show as 07:15, numbers as 1,234.5." in html

    assert rep.post("/settings/locale", data={"locale": ""}).status_code == 303
    assert _saved_locale(app) is None
    assert _lang(rep.get("/settings", headers={"Accept-Language": "de-DE"})) == "de"


def test_a_us_rep_reads_the_sample_in_the_twelve_hour_clock(rep):
    rep.post("/settings/locale", data={"locale": "en_US"})
    html = rep.get("/settings").get_data(as_text=True).replace("\u00a0", " ")
    assert "Times show as 7:15 AM, numbers as 1,234.5." in html


def test_a_locale_not_on_the_list_is_refused_and_changes_nothing(app, rep):
    rep.post("/settings/locale", data={"locale": "de"})
    response = rep.post("/settings/locale", data={"locale": "xx_YY"})
    assert response.status_code == 422
    assert "Choose a language from the list." in response.get_data(as_text=True)
    assert _saved_locale(app) == "de"


def test_one_reps_choice_is_not_anothers(app, rep):
    rep.post("/settings/locale", data={"locale": "de"})
    other = type(rep)(app.test_client())
    assert other.register(email="other@example.com", name="Otto").status_code == 303
    assert _lang(other.get("/", headers={"Accept-Language": "en-GB"})) == "en-GB"
    assert _saved_locale(app, "other@example.com") is None
