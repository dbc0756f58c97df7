"""A dialer's disposition codes, and which of Closer's eight outcomes each one means.

Dialers that call a URL per disposition (VICIdial's ``dispo_call_url`` and
its kin) send their own status names. The common ones are mapped here; a rep
can change any mapping and add their own codes. A code mapped nowhere is
never dropped: the call waits until the rep maps it.
"""

from __future__ import annotations

import re

from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.wording import N_, worded

# VICIdial's standard statuses (and a few of its kin), by what happened on the line.
DEFAULT_MAPPING: dict[str, str] = {
    "NA": "no_answer",  # no answer (auto dial)
    "N": "no_answer",  # no answer
    "B": "no_answer",  # busy
    "AB": "no_answer",  # busy (auto)
    "DC": "no_answer",  # disconnected number
    "ADC": "no_answer",  # disconnected (auto)
    "DROP": "no_answer",  # dropped: no agent free
    "PDROP": "no_answer",  # dropped before an answer
    "A": "voicemail",  # answering machine
    "AA": "voicemail",  # answering machine (auto)
    "AM": "voicemail",  # answering machine, message left
    "AL": "voicemail",  # answering machine, message played
    "NI": "not_interested",  # not interested
    "DNC": "not_interested",  # do not call
    "DEC": "not_interested",  # declined sale
    "NP": "conversation",  # no pitch, no price
    "XFER": "conversation",  # transferred
    "CALLBK": "follow_up",  # call back
    "CBHOLD": "follow_up",  # call back, on hold
    "APPT": "meeting",  # appointment set
    "SALE": "sale",  # sale made
}
# Closer's own codes map to themselves, whatever the case they arrive in.
DEFAULT_MAPPING.update({code.upper(): code for code in OUTCOME_CODES})

MAX_CODE_LENGTH = 20
_CODE = re.compile(r"^[A-Z0-9_\-]{1,20}$")


def normalise_code(raw: str | None) -> str:
    """A disposition code as stored: trimmed, upper case; ``ValueError`` when it is not one."""
    code = (raw or "").strip().upper()
    if not _CODE.match(code):
        raise ValueError(
            worded(
                N_("A disposition code is 1 to %(max)s letters, digits, '_' or '-', like NI or CALLBK."),
                max=MAX_CODE_LENGTH,
            )
        )
    return code


def outcome_for(code: str, overrides: dict[str, str | None]) -> str | None:
    """The outcome a code means for this rep: their own mapping first, then the default; None if unmapped.

    An override of ``None`` unmaps a default code (the rep wants to decide each one).
    """
    if code in overrides:
        return overrides[code]
    return DEFAULT_MAPPING.get(code)
