"""What a person may type: every number and every text from a form, a path or a query is read here.

A value is checked before anything else looks at it, so no form can forget:

- A number is ASCII digits only (``str.isdigit`` also takes "²", which
  ``int`` refuses) and short enough to convert, then held to the field's range.
- An id (in a path, a feed key or a cursor) fits PostgreSQL's ``integer``,
  so a larger one is "not found", never a database error.
- A text has no NUL or other control character (PostgreSQL refuses NUL, and
  nobody means to type one) and a bounded length.

Each refusal is an ``InputError`` whose message is meant for the person.
"""

from __future__ import annotations

import unicodedata

from webapp.domain.wording import N_, Worded, worded

# The largest id any table can hold: PostgreSQL's ``integer`` is signed 32-bit.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = frozenset("0123456789")
# Characters a multi-line text may keep; every other control character is refused.
_LINE_BREAKS = frozenset("\t\n\r")


class InputError(ValueError):
    """A value that cannot be used; ``str()`` of it says why, for the person who sent it.

    The message is ``worded``: a page says it in the person's language (``|translated``).
    """


def _refused(pattern: str, label: str | None = None, **values: object) -> InputError:
    """An ``InputError`` worded from a marked pattern; a field's ``label`` (N_-marked) is translated with it."""
    if label is not None:
        values["label"] = label if isinstance(label, Worded) else worded(label)
    return InputError(worded(pattern, **values))


def is_ascii_number(raw: str, *, signed: bool = False) -> bool:
    """Whether ``raw`` is one or more ASCII digits (after an optional minus when ``signed``)."""
    digits = raw[1:] if signed and raw.startswith("-") else raw
    return bool(digits) and set(digits) <= _ASCII_DIGITS


def whole_number(raw: object, low: int, high: int, message: str | None = None) -> int:
    """``raw`` (a form's string) as an int from ``low`` to ``high``, or ``InputError`` with ``message``."""
    refusal = (
        InputError(message)
        if message
        else _refused(N_("Enter a whole number from %(low)s to %(high)s."), low=low, high=high)
    )
    text = raw.strip() if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    # A value longer than the bounds cannot be in range: refused before int() has to read it.
    longest = max(len(str(low)), len(str(high)))
    if len(text) > longest or not is_ascii_number(text, signed=low < 0):
        raise refusal
    value = int(text)
    if not low <= value <= high:
        raise refusal
    return value


def record_id(raw: object) -> int | None:
    """An id from a path, a key or a cursor; ``None`` when it cannot name any row."""
    try:
        return whole_number(raw, 1, MAX_ID)
    except InputError:
        return None


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of ``value`` that no one types (NUL, other controls, lone surrogates), if any."""
    for char in value:
        if multiline and char in _LINE_BREAKS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def text(raw: object, max_length: int, label: str, *, required: bool = False, multiline: bool = False) -> str:
    """A form's text, stripped, at most ``max_length`` characters, without control characters.

    ``label`` names the field in the message ("The display name"). Missing
    text is ``""``, or ``InputError`` when ``required``.
    """
    value = raw.strip() if isinstance(raw, str) else ""
    if control_character(value, multiline=multiline) is not None:
        raise _refused(
            N_("%(label)s has a character that cannot be saved (a control character). Type it again."), label=label
        )
    if required and not value:
        raise _refused(N_("%(label)s is needed."), label=label)
    if len(value) > max_length:
        raise _refused(
            N_("%(label)s can be at most %(most)s characters; this one has %(length)s."),
            label=label,
            most=max_length,
            length=len(value),
        )
    return value


def is_clean_text(raw: object, max_length: int) -> bool:
    """Whether ``raw`` is a string that ``text`` would take as it is (for lookups: emails, tokens, kinds)."""
    return isinstance(raw, str) and len(raw) <= max_length and control_character(raw) is None
