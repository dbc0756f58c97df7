"""What makes a password acceptable. Length beats composition rules (NIST SP 800-63B)."""

from __future__ import annotations

from webapp.domain.wording import N_

MIN_LENGTH = 10
MAX_LENGTH = 200

# The answers, marked for the catalogue; the form translates them as it shows them.
# The lengths are written out (a catalogue entry is one fixed sentence); a unit test keeps them in step.
TOO_SHORT = N_("Use at least 10 characters; a short phrase works well.")
TOO_LONG = N_("Use at most 200 characters.")
TOO_EASY = N_("That password is too easy to guess; try a short phrase of your own.")
TOO_PERSONAL = N_("Leave your name or email out of the password.")

# The few that people reach for first; a longer list belongs in a breach check.
_COMMON = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou12",
        "letmein123",
        "welcome123",
        "closer1234",
        "coldcall123",
        "salesforce",
        "0123456789",
        "abcdefghij",
    }
)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is too weak, in words for the form, or ``None`` when it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return TOO_EASY
    for personal in (email.lower().split("@")[0], name.lower()):
        if personal and len(personal) >= 4 and personal in lowered:
            return TOO_PERSONAL
    return None
