"""Marking the rules' words for translation without importing Flask.

A rule that explains itself returns an English sentence marked with ``N_``:
the marker does nothing at run time, but the extractor (babel.cfg) finds the
sentence, so the catalogue carries it and the page translates it as it renders
(``_(message)`` in the template, ``gettext(message)`` in a view).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 (the extractor's conventional name)
    """Mark ``message`` for the catalogue; return it unchanged."""
    return message
