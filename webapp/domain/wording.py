"""Marking the rules' words for translation without importing Flask.

A rule that explains itself returns an English sentence marked with ``N_``:
the marker does nothing at run time, but the extractor (babel.cfg) finds the
sentence, so the catalogue carries it and the page translates it as it renders
(``_(message)`` in the template, ``gettext(message)`` in a view).

A sentence with values in it ("No dial yet at 10:30") is ``worded``: it is the
English, a plain ``str`` to compare, log or send in a JSON answer, and it keeps
its marked pattern and values, so a page translates the pattern and puts the
values back in (``|translated``, ``webapp.i18n.translated``). One with a count
is marked with ``N_plural``, which gives the catalogue both forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


def N_(message: str) -> str:  # noqa: N802 (the extractor's conventional name)
    """Mark ``message`` for the catalogue; return it unchanged."""
    return message


class Worded(str):
    """English words with values in, keeping the marked pattern and the values to be translated.

    A value that is itself ``Worded`` (a marked label) is translated with the
    sentence; any other text (a name someone typed) stays as it is. Whole
    numbers read with thousands separators ("1,000"; the page formats them
    for its own locale).
    """

    pattern: str
    plural: str | None
    number: int
    values: Mapping[str, object]

    def __new__(cls, pattern: str, values: Mapping[str, object], plural: str | None = None, count: int = 0) -> Worded:
        """The English of ``pattern`` (or ``plural`` when ``count`` is not 1) with ``values`` in."""
        english = pattern if plural is None or count == 1 else plural
        self = super().__new__(cls, english % {key: _english(value) for key, value in values.items()})
        self.pattern, self.plural, self.number, self.values = pattern, plural, count, dict(values)
        return self

    def __str__(self) -> str:
        # An exception's str() (and any str() on the way to a page) keeps the words translatable.
        return self


def _english(value: object) -> object:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


def worded(pattern: str, **values: object) -> Worded:
    """``pattern`` (marked with ``N_``, with ``%(name)s`` placeholders) with ``values`` in."""
    return Worded(pattern, values)


def N_plural(singular: str, plural: str, count: int, **values: object) -> Worded:  # noqa: N802
    """A sentence about ``count`` things, its two English forms marked for the catalogue.

    ``%(num)s`` stands for the count in both forms; more ``values`` may go in too.
    """
    return Worded(singular, {"num": count, **values}, plural, count)


class Speaker(Protocol):
    """What a rule needs to say a sentence in the reader's language: gettext's two calls.

    A catalogue's translations object fits (the worker passes the recipient's);
    ``ENGLISH`` says the marked English itself. The rule calls ``gettext`` and
    ``ngettext`` by those names, so the extractor finds the sentences.
    """

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class _English:
    """The marked English as written: the singular for exactly one, else the plural."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


ENGLISH: Speaker = _English()
