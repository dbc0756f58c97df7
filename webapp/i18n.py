"""The rep's language and formats: which locale and timezone a request speaks, and the catalogues.

A rep's saved choice wins; without one the browser's ``Accept-Language`` picks
the closest supported locale; without that, plain English. The German
catalogue lives as ``translations/de/LC_MESSAGES/messages.po`` in the source
tree and is compiled at start into the instance folder, so no binary ``.mo``
file is ever committed and a stale one can never be served.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, Response, g, has_request_context, request
from flask.globals import _cv_app
from flask_babel import Babel, force_locale, format_number, get_locale, get_translations, gettext, lazy_gettext
from flask_login import current_user

from webapp.domain.celebrations import Celebration
from webapp.domain.wording import Speaker, Worded

# Locales a rep can be served in. "en" without a region formats like the US
# (7:15 AM) but starts weeks on Monday; en_US and en_GB pin the clock.
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "en_US", "en_GB", "de")
DEFAULT_LOCALE = "en"
# The choices on the Settings page, in their own language; "" means "follow the browser".
LOCALE_CHOICES = (
    ("", lazy_gettext("Automatic, from this browser's language")),
    ("en_US", "English (US), 7:15 AM"),
    ("en_GB", "English (UK), 07:15"),
    ("de", "Deutsch, 07:15"),
)
SAVED_LOCALES = frozenset(code for code, _label in LOCALE_CHOICES if code)

babel = Babel()


def choose_locale(saved: str | None, accepted: Iterable[tuple[str, float]]) -> str:
    """The locale to serve: the saved choice, else the best browser match, else English.

    ``accepted`` is the browser's languages with their quality, best first, as
    in ``request.accept_languages``. A regional tag the app does not know
    ("de-AT", "en-AU") falls back to its language ("de", "en").
    """
    if saved in SAVED_LOCALES:
        return saved
    known = {code.lower().replace("_", "-"): code for code in SUPPORTED_LOCALES}
    for tag, quality in accepted:
        if quality <= 0:
            continue
        tag = tag.lower().replace("_", "-")
        if tag in known:
            return known[tag]
        language = tag.split("-", 1)[0]
        if language in known:
            return known[language]
    return DEFAULT_LOCALE


def select_locale() -> str:
    """Flask-Babel's locale selector for this request (English outside a request: CLI, worker)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    saved = current_user.locale if current_user and current_user.is_authenticated else None
    if saved not in SAVED_LOCALES:
        g.varies_on_language = True  # the answer depended on the header: say so with Vary
    return choose_locale(saved, request.accept_languages)


def select_timezone() -> str | None:
    """Flask-Babel's timezone selector: the rep's own timezone, or the default (UTC)."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


@contextmanager
def speaking(locale: str | None) -> Iterator[Speaker]:
    """Inside: everything is worded in ``locale`` (a rep's saved choice; English without one), outside a request too.

    Yields the catalogue's translations, for the rules that take a ``Speaker``;
    the worker words a rep's notifications and emails with it.
    """
    with force_locale(locale if locale in SAVED_LOCALES else DEFAULT_LOCALE):
        yield get_translations()


def html_lang() -> str:
    """The request's locale as a BCP 47 tag for ``<html lang>``: "en-US", "de"."""
    return str(get_locale() or DEFAULT_LOCALE).replace("_", "-")


def request_translations() -> NullTranslations:
    """Flask-Babel's translations for this context, looked up once per locale instead of per string.

    Flask-Babel finds the catalogue anew for every string (four context
    lookups each); a page has sixty strings. The catalogue is kept on ``g``
    beside the locale object it was found for: ``force_locale`` and
    ``refresh`` replace that object, so a switch of language is never missed.
    """
    ctx = _cv_app.get(None)
    if ctx is None:
        return get_translations()
    namespace = ctx.g.__dict__.get("_flask_babel")
    locale = getattr(namespace, "babel_locale", None) if namespace is not None else None
    cached = ctx.g.__dict__.get("_closer_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    namespace = ctx.g.__dict__.get("_flask_babel")
    ctx.g._closer_translations = (getattr(namespace, "babel_locale", None), translations)
    return translations


def translated(message: object) -> str:
    """A message a rule only marked (``N_``) or a service already worded, in the request's language.

    The template filter ``|translated``: a plain string comes back, so the page
    still escapes it (Jinja's own ``_()`` would mark the text safe). A message
    the catalogue does not know, or one already translated, is shown as it is.
    A ``Worded`` message (or an exception carrying one) is translated from its
    pattern, with its values put back in: marked ones translated, numbers in
    the locale's format, anything else as it is.
    """
    if isinstance(message, BaseException):
        message = message.args[0] if len(message.args) == 1 else str(message)
    if isinstance(message, Worded):
        return _translated_words(message)
    return request_translations().ugettext(str(message)) if message else ""


def _translated_words(message: Worded) -> str:
    values = {key: _translated_value(value) for key, value in message.values.items()}
    translations = request_translations()
    if message.plural is None:
        return translations.ugettext(message.pattern) % values
    return translations.ungettext(message.pattern, message.plural, message.number) % values


def _translated_value(value: object) -> object:
    if isinstance(value, Worded):
        return _translated_words(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return value


def celebration_words(cheer: Celebration) -> tuple[str, str]:
    """A celebration's title and message in the request's language, with its words put back in.

    The rep's own text (a reward's ``label``) stays as typed; the other words
    (a badge's name) are marked rule strings and are translated too.
    """
    title, message = cheer.patterns
    if not title:
        return translated(cheer.title), translated(cheer.message)
    words = {key: gettext(value) if isinstance(value, str) and key != "label" else value for key, value in cheer.words}
    return gettext(title) % words, gettext(message) % words


def script_words() -> dict[str, str]:
    """The words the page scripts show, in the request's language, with {placeholders} they fill in.

    Rendered by base.html as a JSON block (``#script-words``), so static/js never
    carries English of its own; a plural comes as its "one" and "other" forms.
    """
    translations = get_translations()
    return {
        "undone": gettext("Undone: {label}."),
        "undone_later": gettext("Undone; it syncs when you are back online."),
        "review_kept": gettext("Review kept; it is sent when you are back online"),
        "waiting_one": translations.ungettext("%(num)s waiting to sync", "%(num)s waiting to sync", 1)
        % {"num": "{count}"},
        "waiting_other": translations.ungettext("%(num)s waiting to sync", "%(num)s waiting to sync", 2)
        % {"num": "{count}"},
        "saved_here": gettext("Taps are saved on this device"),
        "refused": gettext("{label}: {reason}"),
        "refused_at": gettext("{label} at {time} on {date}: {reason}"),
        "undo_of": gettext("Undo of {label}"),
        "review_of": gettext("Review of {label}"),
        "breathe_in": gettext("Breathe in"),
        "hold": gettext("Hold"),
        "breathe_out": gettext("Breathe out"),
        "ready": gettext("I'm ready"),
        "done": gettext("Done"),
        "feeling_ready": gettext("Feeling ready? Tap I'm ready, or take the rest of the time."),
        "times_up": gettext("Time's up. Tap Done to log your reset."),
    }


def compile_catalogues(source: str, target: str) -> list[str]:
    """Compile every ``<lang>/LC_MESSAGES/messages.po`` under ``source`` into ``target``.

    A catalogue is rewritten only when its ``.po`` is newer than the compiled
    file; the write goes through a temporary file and a rename, so workers
    starting together never read half a catalogue. Returns the languages found.
    """
    languages = []
    for language in sorted(os.listdir(source)) if os.path.isdir(source) else []:
        po_path = os.path.join(source, language, "LC_MESSAGES", "messages.po")
        if not os.path.isfile(po_path):
            continue
        languages.append(language)
        mo_path = os.path.join(target, language, "LC_MESSAGES", "messages.mo")
        if os.path.isfile(mo_path) and os.path.getmtime(mo_path) >= os.path.getmtime(po_path):
            continue
        os.makedirs(os.path.dirname(mo_path), exist_ok=True)
        with open(po_path, "rb") as po_file:
            catalog = read_po(po_file, locale=language)
        partial = f"{mo_path}.{os.getpid()}.tmp"
        with open(partial, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)
    return languages


def init_app(app: Flask) -> None:
    """Compile the catalogues, bind Flask-Babel with the selectors, and give templates the locale."""
    source = os.path.join(app.config["PROJECT_ROOT"], "translations")
    target = os.path.join(app.instance_path, "translations")
    compile_catalogues(source, target)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = target
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
    )
    app.add_template_global(LOCALE_CHOICES, "locale_choices")
    app.add_template_global(html_lang, "html_lang")
    app.add_template_filter(translated, "translated")
    app.add_template_global(celebration_words, "celebration_words")
    app.add_template_global(script_words, "script_words")

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        if g.get("varies_on_language"):
            response.vary.add("Accept-Language")
        return response
