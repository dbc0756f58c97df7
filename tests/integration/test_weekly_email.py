"""The weekly summary by email: opt-in, Monday 08:00 in the rep's timezone, once, and the coach's team week."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.conftest import Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from tests.mailbox import html_of, text_of
from webapp import worker
from webapp.domain.reviews import validate_review
from webapp.extensions import db
from webapp.models import User
from webapp.services.calls import Tap, record_calls
from webapp.services.coaching.reviews import save_review

MONDAY_9_LONDON = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def extra_config(mailbox) -> dict:
    return mailbox.settings()


def log_last_week(app, email: str, days: dict[int, list[str]], review: str | None = None) -> None:
    """Calls on days of the week of 23 Nov 2026 (0 = Monday), at 10:00 UTC, through the write path."""
    with app.test_request_context():
        user = db.session.query(User).filter_by(email=email).one()
        for day, outcomes in days.items():
            when = datetime(2026, 11, 23 + day, 10, 0, tzinfo=UTC)
            taps = [Tap(outcome, uuid.uuid4(), when) for outcome in outcomes]
            results = record_calls(user, taps, now=when)
            if review:
                save_review(user, str(results[0].call.client_id), validate_review({}, None, review), now=when)


def opt_in(visitor: Visitor) -> None:
    assert visitor.post("/settings/weekly-email", data={"weekly_email": "1"}).status_code == 303


def run_weekly(app, now) -> int:
    with app.app_context():
        return worker.run_weekly(now)


def test_settings_offers_the_weekly_email_only_when_email_is_on(rep):
    page = rep.get("/settings").get_data(as_text=True)
    assert "Send me the weekly email" in page and 'data-mail="off"' not in page
    opt_in(rep)
    assert "Stop the weekly email" in rep.get("/settings").get_data(as_text=True)


def test_a_rep_who_opted_in_gets_their_week_on_monday_morning_once(app, rep, mailbox):
    log_last_week(app, "rep@example.com", {1: ["no_answer"] * 5 + ["conversation", "meeting"], 2: ["voicemail"] * 3})
    log_last_week(app, "rep@example.com", {3: ["not_interested"]}, review="open with their latest news")
    assert run_weekly(app, MONDAY_9_LONDON) == 0  # not opted in
    opt_in(rep)
    assert run_weekly(app, datetime(2026, 11, 30, 7, 30, tzinfo=UTC)) == 0  # 07:30 in London
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    assert run_weekly(app, MONDAY_9_LONDON) == 0  # claimed once

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "rep@example.com" and message["From"] == "Closer <closer@example.com>"
    assert message["Subject"] == "Your week on Closer: 11 dials, 23 Nov to 29 Nov"
    text = text_of(message)
    for line in ("Dials: 11", "Conversations: 2", "Meetings: 1", "Best day: Tuesday, 7 dials", "Streak: "):
        assert line in text, line
    assert '"Next time I\'ll open with their latest news"' in text
    assert "Times are in Europe/London" in text
    assert "https://closer.example.com/settings#weekly-email" in text
    assert "<strong>11</strong>" in html_of(message)
    assert "last week: dials" not in text


def test_it_comes_at_eight_in_the_reps_own_timezone(app, mailbox):
    rep = new_rep(app, "ny@example.com", "Nia York", tz="America/New_York")
    opt_in(rep)
    assert run_weekly(app, MONDAY_9_LONDON) == 0  # 04:00 in New York
    assert run_weekly(app, datetime(2026, 11, 30, 13, 5, tzinfo=UTC)) == 1  # 08:05 there
    assert "A quiet week" in text_of(mailbox.wait_for(1)[0])


def test_a_coach_gets_the_teams_week_and_who_may_need_a_hand(app, mailbox):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name="Night Owls")
    busy = new_rep(app, "busy@example.com", "Bo Busy")
    quiet = new_rep(app, "quiet@example.com", "Quinn Quiet")
    for member in (busy, quiet):
        join(member, invite_token(coach, team_id))
    log_last_week(app, "busy@example.com", {0: ["no_answer"] * 8 + ["sale"]})
    opt_in(coach)
    assert run_weekly(app, MONDAY_9_LONDON) == 1
    text = text_of(mailbox.wait_for(1)[0])
    assert "Night Owls, last week: dials 9, conversations 1, meetings 1." in text
    assert "Bo Busy: dials 9," in text
    hand = text.split("Who may need a hand:")[1]
    assert "Quinn Quiet: no dials logged last week" in hand and "Bo Busy" not in hand


def test_nothing_is_claimed_while_email_is_off(app, rep, mailbox):
    opt_in(rep)
    app.config["MAIL_SERVER"] = None
    assert run_weekly(app, MONDAY_9_LONDON) == 0
    with app.app_context():
        assert db.session.query(User.weekly_email_sent_for).filter_by(email="rep@example.com").scalar() is None


def test_a_switched_off_account_gets_no_summary(app, rep, mailbox):
    opt_in(rep)
    with app.app_context():
        user = db.session.query(User).filter_by(email="rep@example.com").one()
        user.deactivated_at = MONDAY_9_LONDON
        db.session.commit()
    assert run_weekly(app, MONDAY_9_LONDON) == 0
    assert mailbox.envelopes == []
