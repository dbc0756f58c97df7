"""Emails are written in the recipient's saved locale (an invite in its coach's); without one, in English."""

from __future__ import annotations

import pytest

from tests.integration.team_helpers import make_team, new_rep
from tests.integration.test_weekly_email import MONDAY_9_LONDON, log_last_week, opt_in, run_weekly
from tests.mailbox import html_of, text_of


@pytest.fixture
def extra_config(mailbox) -> dict:
    return mailbox.settings()


def test_a_german_reps_weekly_email_is_german_through_and_through(app, rep, mailbox):
    log_last_week(app, "rep@example.com", {1: ["no_answer"] * 3})
    opt_in(rep)
    assert rep.post("/settings/locale", data={"locale": "de"}).status_code == 303
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Deine Woche bei Closer: 3 Anrufe, 23. Nov. bis 29. Nov."
    text, html = text_of(message), html_of(message)
    assert "Hallo Rita Rep," in text and "Deine Woche, Mo., 23. Nov. bis So., 29. Nov." in text
    assert "Anrufe: 3" in text and "Gespräche: 0" in text and "Bester Tag: Dienstag, 3 Anrufe" in text
    assert "Zeiten in Europe/London." in text and "Diese E-Mails in den Einstellungen abbestellen" in html
    assert '<html lang="de">' in html and '<td style="padding: 2px 12px 2px 0;">Termine</td>' in html
    for english in ("Hello", "Your week", "Dials", "Best day", " to ", "dials", "Times are in", "Stop these emails"):
        assert english not in text, english


def test_without_a_saved_choice_the_email_is_in_english(app, rep, mailbox):
    log_last_week(app, "rep@example.com", {1: ["no_answer"] * 3})
    opt_in(rep)
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Your week on Closer: 3 dials, 23 Nov to 29 Nov"
    text = text_of(message)
    assert "Hello Rita Rep," in text and "Your week, Mon, Nov 23 to Sun, Nov 29" in text
    assert "Best day: Tuesday, 3 dials" in text and "Times are in Europe/London." in text
    assert '<html lang="en">' in html_of(message)
    for german in ("Hallo", "Deine Woche", "Anrufe", "Bester Tag", "Zeiten in"):
        assert german not in text, german


def test_a_german_coach_reads_the_teams_week_and_who_may_need_a_hand_in_german(app, mailbox):
    from tests.integration.team_helpers import invite_token, join

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name="Night Owls")
    quiet = new_rep(app, "quiet@example.com", "Quinn Quiet")
    join(quiet, invite_token(coach, team_id))
    log_last_week(app, "coach@example.com", {0: ["sale"]})
    coach.post("/settings/locale", data={"locale": "de"})
    opt_in(coach)
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Deine Woche bei Closer: 1 Anruf, 23. Nov. bis 29. Nov."
    text = text_of(message)
    assert "Night Owls, letzte Woche: Anrufe 1, Gespräche 1, Termine 1." in text
    assert "Wer vielleicht Unterstützung braucht:" in text and "Quinn Quiet: letzte Woche keine Anrufe erfasst" in text
    for english in ("last week", "Who may need a hand", "no dials logged", "dials 1"):
        assert english not in text, english


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
