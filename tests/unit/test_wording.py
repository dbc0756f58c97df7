"""Worded sentences: English where they are made, translated with their values where they are shown."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

from tests.unit.test_translations import TRANSLATIONS
from webapp.domain.wording import N_plural, Worded, worded
from webapp.i18n import compile_catalogues, translated


def test_a_worded_sentence_is_its_english_with_the_values_in():
    sentence = worded("%(count)s answered", count=1234)
    assert sentence == "1,234 answered" and isinstance(sentence, str)
    assert sentence.pattern == "%(count)s answered" and sentence.values == {"count": 1234}


@pytest.mark.parametrize(("count", "english"), [(0, "0-day streak"), (1, "1-day streak"), (2, "2-day streak")])
def test_a_counted_sentence_picks_its_english_form(count, english):
    assert N_plural("%(num)s-day streak", "%(num)s-day streak", count) == english
    assert N_plural("%(num)s dial", "%(num)s dials", count) == f"{count} dial{'' if count == 1 else 's'}"


def test_an_exception_keeps_its_worded_message():
    refused = ValueError(worded("%(count)s answered", count=2))
    assert isinstance(str(refused), Worded) and str(refused) == "2 answered"


@pytest.fixture
def german(tmp_path):
    compile_catalogues(str(TRANSLATIONS), str(tmp_path))
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)
    Babel(app, locale_selector=lambda: "de")
    with app.test_request_context():
        yield


def test_the_page_translates_the_pattern_and_puts_the_values_back(german):
    assert translated(worded("%(count)s answered", count=1234)) == "1.234 geantwortet"
    assert translated(N_plural("%(num)s-day streak", "%(num)s-day streak", 1)) == "Serie: 1 Tag"
    assert translated(N_plural("%(num)s-day streak", "%(num)s-day streak", 3)) == "Serie: 3 Tage"


def test_a_marked_value_is_translated_and_typed_text_is_not(german):
    label = worded("Settings")
    assert translated(worded("%(count)s answered", count=label)) == "Einstellungen geantwortet"
    assert translated(worded("%(count)s answered", count="Settings")) == "Settings geantwortet"


def test_an_exception_or_a_plain_string_is_translated_too(german):
    assert translated(ValueError(worded("%(count)s answered", count=3))) == "3 geantwortet"
    assert translated("Settings") == "Einstellungen" and translated("Not in the catalogue") == "Not in the catalogue"
