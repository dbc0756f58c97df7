"""The German catalogue is complete and compiles; plurals and placeholders come out right.

Every string the source marks for translation (babel.cfg: webapp/ and
templates/) must have a German translation that is not fuzzy, so a page never
shows German and English side by side for a string someone already wrapped.
After wrapping new strings: ``make translations``, then translate the empty
entries in ``translations/de/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from webapp.i18n import compile_catalogues

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES" / "messages.po").is_file())


def _catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def _marked_strings() -> set[str | tuple[str, ...]]:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_plural": (1, 2)}
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_there_is_a_second_language():
    assert "de" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(language):
    catalogue = _catalogue(language)
    missing = []
    for message in _marked_strings():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = entry.string if entry else None
        translated = all(strings) if isinstance(strings, tuple) else bool(strings)
        if entry is None or entry.fuzzy or not translated:
            missing.append(msgid)
    assert not missing, f"untranslated in {language}: {sorted(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _catalogue(language).check()]
    assert not problems


def test_the_catalogue_compiles_and_speaks_german_with_its_plurals(tmp_path):
    assert compile_catalogues(str(TRANSLATIONS), str(tmp_path)) == LANGUAGES
    german = gettext.translation("messages", str(tmp_path), languages=["de"])
    assert german.gettext("Settings") == "Einstellungen"
    assert [german.ngettext("Dial today", "Dials today", n) for n in (0, 1, 2)] == [
        "Anrufe heute",
        "Anruf heute",
        "Anrufe heute",
    ]


def test_a_catalogue_is_compiled_again_only_when_its_source_changed(tmp_path):
    compile_catalogues(str(TRANSLATIONS), str(tmp_path))
    compiled = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    first = compiled.stat().st_mtime_ns
    compile_catalogues(str(TRANSLATIONS), str(tmp_path))
    assert compiled.stat().st_mtime_ns == first


def test_an_invites_days_are_counted_in_german(tmp_path):
    compile_catalogues(str(TRANSLATIONS), str(tmp_path))
    german = gettext.translation("messages", str(tmp_path), languages=["de"])
    one, other = "The link works for %(count)s day.", "The link works for %(count)s days."
    assert [german.ngettext(one, other, n) % {"count": n} for n in (1, 7)] == [
        "Der Link gilt 1 Tag.",
        "Der Link gilt 7 Tage.",
    ]
