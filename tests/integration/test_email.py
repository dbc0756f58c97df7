"""Email through a real SMTP server on 127.0.0.1: the reset link and the team invite, as they arrive."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import make_team, new_rep
from tests.mailbox import html_of, text_of
from webapp import create_app
from webapp.extensions import db
from webapp.models import TeamInvite

NEW_PASSWORD = "a brand new phrase here"


@pytest.fixture
def extra_config(mailbox) -> dict:
    return mailbox.settings()


def without_csrf_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked: they carry a timestamp, so two renders a second apart differ."""
    return re.sub(r'(csrf_token" value="|X-CSRFToken": ")[^"]+', r"\1", html)


def link_in(text: str, path: str) -> str:
    return re.search(r"https://closer\.example\.com(/" + path + r"/[A-Za-z0-9_.\-]+)", text).group(1)


def test_forgot_password_emails_a_link_that_sets_a_new_password(app, rep, mailbox, visitor):
    page = visitor.get("/forgot").get_data(as_text=True)
    assert 'name="email"' in page and 'data-mail="off"' not in page
    assert "Your coach or the admin" not in visitor.get("/login").get_data(as_text=True)

    answer = visitor.post("/forgot", data={"email": " REP@example.com "})
    assert answer.status_code == 200 and "If an account exists for that email" in answer.get_data(as_text=True)
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "rep@example.com"
    assert message["From"] == "Closer <closer@example.com>"
    assert message["Subject"] == "Your Closer password reset link"
    assert message.get_content_type() == "multipart/alternative"
    text = text_of(message)
    assert "Hello Rita Rep" in text and "works for 60 minutes, once" in text
    link = link_in(text, "reset")
    assert link in html_of(message)

    assert visitor.post(link, data={"password": NEW_PASSWORD}).status_code == 303
    assert rep.get("/").status_code == 302  # logged out everywhere
    assert visitor.login(password=NEW_PASSWORD).status_code == 303
    assert Visitor(app.test_client()).get(link).status_code == 410  # once


def test_forgot_password_answers_the_same_for_an_unknown_email_and_sends_nothing(rep, mailbox, visitor):
    known = visitor.post("/forgot", data={"email": "rep@example.com"})
    unknown = visitor.post("/forgot", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known.get_data(as_text=True)) == without_csrf_tokens(unknown.get_data(as_text=True))
    assert len(mailbox.wait_for(1)) == 1
    assert [m["To"] for m in mailbox.messages] == ["rep@example.com"]


def test_a_malformed_email_gets_a_clear_message(visitor, mailbox):
    response = visitor.post("/forgot", data={"email": "not-an-email"})
    assert response.status_code == 422 and "name@example.com" in response.get_data(as_text=True)
    assert mailbox.envelopes == []


def test_a_coach_invites_by_email_and_the_link_joins_the_team(app, mailbox):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name="Night Owls")
    assert "Or send an invite by email" in coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    sent = coach.post(f"/teams/{team_id}/invites/email", data={"address": "New.Rep@example.com"})
    assert sent.status_code == 303
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "new.rep@example.com"
    assert message["Subject"] == "Cora Coach invites you to Night Owls on Closer"
    link = link_in(text_of(message), "join")
    assert "Join Night Owls" in html_of(message)
    newcomer = Visitor(app.test_client())
    assert newcomer.get(link).status_code == 200
    assert newcomer.register(email="new.rep@example.com", name="Nia New").status_code == 303
    assert newcomer.post(link).status_code == 303
    assert "Night Owls" in newcomer.get(f"/teams/{team_id}").get_data(as_text=True)


def test_an_invite_to_a_bad_address_or_from_a_member_sends_nothing(app, mailbox):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    bad = coach.post(f"/teams/{team_id}/invites/email", data={"address": "nope"})
    assert bad.status_code == 422 and "name@example.com" in bad.get_data(as_text=True)
    outsider = new_rep(app, "out@example.com", "Otto Out")
    assert outsider.post(f"/teams/{team_id}/invites/email", data={"address": "a@example.com"}).status_code == 404
    assert mailbox.envelopes == []
    with app.app_context():
        assert db.session.query(TeamInvite).count() == 0


def test_email_on_needs_a_sender_and_a_public_address(tmp_path, mailbox):
    settings = {**mailbox.settings(), "PUBLIC_URL": None, "CLOSER_ENV": "testing", "SECRET_KEY": "k"}
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({**settings, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.db")})


def test_a_reset_link_is_not_sent_to_a_switched_off_account(app, runner, rep, mailbox, visitor):
    runner.invoke(args=["create-admin", "admin@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n")
    admin = Visitor(app.test_client())
    admin.login("admin@example.com")
    with app.app_context():
        from webapp.models import User

        rita = db.session.query(User.id).filter_by(email="rep@example.com").scalar()
    admin.post(f"/admin/accounts/{rita}/deactivate")
    assert visitor.post("/forgot", data={"email": "rep@example.com"}).status_code == 200
    assert mailbox.envelopes == []
