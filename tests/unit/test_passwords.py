"""Password strength: length first, no obvious or personal passwords."""

from __future__ import annotations

import pytest

from webapp.domain import passwords
from webapp.domain.passwords import password_problem


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "at least 10"),
        ("password123", "too easy"),
        ("zzzzzzzzzzzz", "too easy"),
        ("x" * 201, "at most 200"),
        ("ritasmith-calls-a-lot", "name or email"),
        ("a long enough phrase", None),
    ],
)
def test_password_rules(password, problem):
    found = password_problem(password, email="ritasmith@example.com", name="Rita")
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_the_marked_answers_name_the_real_lengths():
    assert str(passwords.MIN_LENGTH) in passwords.TOO_SHORT
    assert str(passwords.MAX_LENGTH) in passwords.TOO_LONG
