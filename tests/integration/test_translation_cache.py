"""Templates find the catalogue once per locale, and still follow a switch of language within one context."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh


def test_a_template_follows_force_locale_and_back(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Today') }}") == "Today"
        with force_locale("de"):
            assert render_template_string("{{ _('Today') }}") == "Heute"
            assert render_template_string("{{ ngettext('Dial today', 'Dials today', 2) }}") == "Anrufe heute"
        assert render_template_string("{{ _('Today') }}") == "Today"


def test_a_refresh_switches_the_catalogue_after_force_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert render_template_string("{{ _('Today') }}") == "Heute"
        with force_locale("en"):
            assert render_template_string("{{ 'Today' | translated }}") == "Today"
        refresh()
        assert render_template_string("{{ 'Today' | translated }}") == "Heute"


def test_the_settings_page_speaks_the_language_just_saved(app, rep):
    page = rep.get("/settings").get_data(as_text=True)
    assert "Heute" not in page
    saved = rep.post("/settings/locale", data={"locale": "de"}, follow_redirects=True)
    assert saved.status_code == 200
    assert "Heute" in saved.get_data(as_text=True)
