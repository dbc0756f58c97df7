"""Team news reaches teammates within a minute, batched: five high-fives are one notification."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from tests.integration.notify_helpers import subscribe, user_id
from tests.integration.team_helpers import invite_token, join, new_rep
from webapp.extensions import db
from webapp.models import InboxItem, NotificationSettings, PushDelivery, Win
from webapp.worker import run_minute


def inbox_of(app, email):
    with app.app_context():
        return [
            (i.kind, i.title, i.body, i.url)
            for i in db.session.scalars(
                select(InboxItem).where(InboxItem.user_id == user_id(app, email)).order_by(InboxItem.id)
            )
        ]


def tick(app):
    with app.app_context():
        run_minute()


def test_five_high_fives_in_a_minute_are_one_notification(app, rep, team_id, mate):
    mate.tap("sale")
    with app.app_context():
        win = db.session.scalar(select(Win.id).where(Win.kind == "sale"))
    token = invite_token(rep, team_id)
    givers = [rep]
    for name in ("Ana", "Ben", "Cy", "Di"):
        giver = new_rep(app, f"{name.lower()}@example.com", name)
        join(giver, token)
        givers.append(giver)
    tick(app)  # the sale's own news goes out first
    before = len(inbox_of(app, "mo@example.com"))
    for giver in givers:
        assert giver.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).status_code == 200
    tick(app)
    tick(app)
    fives = [item for item in inbox_of(app, "mo@example.com")[before:] if item[0] == "high_fives"]
    assert fives == [
        ("high_fives", "Rita Rep, Ana and 3 others high-fived you", "5 high-fives for Sale.", f"/teams/{team_id}#feed")
    ]


def test_a_teammates_meeting_reaches_the_team_but_not_the_one_who_booked_it(app, rep, team_id, mate):
    mate.tap("meeting")
    mate.tap("no_answer")
    tick(app)
    assert inbox_of(app, "rep@example.com") == [
        ("team_wins", "Mo Mate: Meeting booked", "A win for the team. Send a high-five.", f"/teams/{team_id}#feed")
    ]
    assert inbox_of(app, "mo@example.com") == []


def test_a_win_undone_before_the_minute_is_up_is_never_told(app, rep, team_id, mate):
    client_id = str(uuid.uuid4())
    mate.tap("sale", client_id)
    mate.post(f"/calls/{client_id}/undo", htmx=True)
    tick(app)
    assert inbox_of(app, "rep@example.com") == []


def test_a_challenge_reached_tells_every_member(app, rep, team_id, mate):
    rep.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "2", "period": "week"})
    rep.tap("no_answer")
    mate.tap("no_answer")
    tick(app)
    for email in ("rep@example.com", "mo@example.com"):
        (item,) = inbox_of(app, email)
        assert item[:2] == ("team_wins", "Team challenge reached!") and item[3] == f"/teams/{team_id}"


def test_in_quiet_hours_the_news_waits_in_the_list_without_a_push(push_on, rep, team_id, mate, standin):
    subscribe(rep, standin)
    with push_on.app_context():
        # Quiet all day long except one minute: the push may not go.
        db.session.add(NotificationSettings(user_id=user_id(push_on), quiet_start_minute=0, quiet_end_minute=1439))
        db.session.commit()
    mate.tap("sale")
    tick(push_on)
    assert len(inbox_of(push_on, "rep@example.com")) == 1
    with push_on.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 0
    assert standin.received == []


def test_news_with_push_on_goes_to_the_device(push_on, rep, team_id, mate, standin):
    browser = subscribe(rep, standin)
    with push_on.app_context():
        db.session.add(NotificationSettings(user_id=user_id(push_on), quiet_start_minute=0, quiet_end_minute=0))
        db.session.commit()
    mate.tap("meeting")
    tick(push_on)
    (request,) = standin.wait_for(1)
    assert browser.decrypt(request.body)["title"] == "Mo Mate: Meeting booked"


def test_team_wins_switched_off_stay_in_the_list_only(push_on, rep, team_id, mate, standin):
    subscribe(rep, standin)
    with push_on.app_context():
        db.session.add(
            NotificationSettings(user_id=user_id(push_on), team_wins=False, quiet_start_minute=0, quiet_end_minute=0)
        )
        db.session.commit()
    mate.tap("sale")
    tick(push_on)
    assert len(inbox_of(push_on, "rep@example.com")) == 1
    assert standin.received == []


def test_a_member_who_left_hears_no_more(app, rep, team_id, mate):
    mate.tap("sale")
    third = new_rep(app, "tia@example.com", "Tia Third")
    join(third, invite_token(rep, team_id))
    third.post(f"/teams/{team_id}/leave")
    tick(app)
    assert inbox_of(app, "tia@example.com") == []
    assert len(inbox_of(app, "rep@example.com")) == 1
