"""What makes a password acceptable. Length beats composition rules (NIST SP 800-63B)."""

from __future__ import annotations

MIN_LENGTH = 10
MAX_LENGTH = 200

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
        return f"Use at least {MIN_LENGTH} characters; a short phrase works well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return "That password is too easy to guess; try a short phrase of your own."
    for personal in (email.lower().split("@")[0], name.lower()):
        if personal and len(personal) >= 4 and personal in lowered:
            return "Leave your name or email out of the password."
    return None
