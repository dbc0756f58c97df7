"""Emails are written in the recipient's saved locale (an invite in its coach's); without one, in English."""

from __future__ import annotations

import pytest

from tests.integration.team_helpers import make_team, new_rep
from tests.integration.test_weekly_email import MONDAY_9_LONDON, log_last_week, opt_in, run_weekly
from tests.mailbox import html_of, text_of


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


def test_a_german_reps_reset_link_email_is_german(rep, mailbox, visitor):
    rep.post("/settings/locale", data={"locale": "de"})
    assert visitor.post("/forgot", data={"email": "rep@example.com"}).status_code == 200
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Dein Link für ein neues Closer-Passwort"
    text, html = text_of(message), html_of(message)
    assert "Hallo Rita Rep," in text and "Der Link gilt 60 Minuten und nur einmal." in text
    assert '<html lang="de">' in html and "Neues Passwort wählen" in html
    for english in ("Hello", "Someone (we hope you)", "The link works", "Did not ask", "Choose a new password"):
        assert english not in text and english not in html


def test_a_german_coachs_invite_is_german_with_its_plural(app, mailbox):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    coach.post("/settings/locale", data={"locale": "de"})
    team_id = make_team(coach, name="Night Owls")
    assert coach.post(f"/teams/{team_id}/invites/email", data={"address": "neu@example.com"}).status_code == 303
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Cora Coach lädt dich zu Night Owls bei Closer ein"
    text = text_of(message)
    assert "Der Link gilt 7 Tage." in text and "Hier geht's zum Team:" in text
    assert "Night Owls beitreten" in html_of(message)
    for english in ("Hello", "invites you", "Join here", "The link works"):
        assert english not in text


def test_an_english_invite_counts_its_days(app, mailbox):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name="Night Owls")
    coach.post(f"/teams/{team_id}/invites/email", data={"address": "new@example.com"})
    (message,) = mailbox.wait_for(1)
    assert "The link works for 7 days." in text_of(message)
