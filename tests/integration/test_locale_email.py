"""The weekly email is written in the rep's saved locale; without one, in English."""

from __future__ import annotations

import pytest

from tests.integration.test_weekly_email import MONDAY_9_LONDON, log_last_week, opt_in, run_weekly
from tests.mailbox import text_of


@pytest.fixture
def extra_config(mailbox) -> dict:
    return mailbox.settings()


def test_a_german_reps_weekly_email_names_the_days_in_german(app, rep, mailbox):
    log_last_week(app, "rep@example.com", {1: ["no_answer"] * 3})
    opt_in(rep)
    assert rep.post("/settings/locale", data={"locale": "de"}).status_code == 303
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    text = text_of(mailbox.wait_for(1)[0])
    assert "Mo., 23. Nov. to So., 29. Nov." in text
    assert "Best day: Dienstag, 3 dials" in text


def test_without_a_saved_choice_the_email_is_in_english(app, rep, mailbox):
    log_last_week(app, "rep@example.com", {1: ["no_answer"] * 3})
    opt_in(rep)
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    text = text_of(mailbox.wait_for(1)[0])
    assert "Mon, Nov 23 to Sun, Nov 29" in text and "Best day: Tuesday, 3 dials" in text
