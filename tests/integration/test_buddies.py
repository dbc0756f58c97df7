"""Call buddies through the app, on SQLite and PostgreSQL: pairing rules, the buddy line on Today,
the buddy streak from real taps, the nudge's limit (in the inbox, pushed when notifications are
on), and the one-tap high-five on a buddy's big moment."""

from __future__ import annotations

import contextlib
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, insert, select

from tests.integration.notify_helpers import subscribe
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.domain.buddies import pair_today
from webapp.domain.streaks import REPLAY_WINDOW_DAYS
from webapp.extensions import db
from webapp.models import BuddyPair, BuddySeat, DailyTotal, HighFive, InboxItem, PushDelivery, User
from webapp.services.calls import record_call, undo_call
from webapp.services.teams import buddies as buddy_service
from webapp.services.today import today_for


def uid(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


@pytest.fixture
def team(app, rep):
    """A team: the coach, Rita (the ``rep`` fixture), Max and Nia."""
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    people = {"id": team_id, "coach": coach, "rita": rep}
    for key, email, name in (("max", "max@example.com", "Max Member"), ("nia", "nia@example.com", "Nia Newer")):
        people[key] = new_rep(app, email, name)
        join(people[key], invite_token(coach, team_id))
    join(rep, invite_token(coach, team_id))
    with app.app_context():
        people["ids"] = {
            key: uid(email)
            for key, email in (
                ("coach", "coach@example.com"),
                ("rita", "rep@example.com"),
                ("max", "max@example.com"),
                ("nia", "nia@example.com"),
            )
        }
    return people


def url(team, action: str, who: str | None = None) -> str:
    return (
        f"/teams/{team['id']}/buddies/{team['ids'][who]}/{action}" if who else f"/teams/{team['id']}/buddies/{action}"
    )


def pairs() -> list[tuple[str, str, str]]:
    names = dict(db.session.execute(select(User.id, User.display_name)).all())
    rows = db.session.scalars(select(BuddyPair).order_by(BuddyPair.id))
    return [(names[p.inviter_id], names[p.invitee_id], p.status) for p in rows]


def befriend(team, a: str, b: str) -> None:
    assert team[a].post(url(team, "invite", b)).status_code == 303
    assert team[b].post(url(team, "accept", a)).status_code == 303


def test_one_invites_the_other_accepts_and_each_sees_the_other_on_today(app, team):
    team["rita"].post(url(team, "invite", "max"))
    invited = team["max"].get("/today/buddy").get_data(as_text=True)
    assert "Rita Rep</strong> asks you to be call buddies" in invited
    assert "Accept" in invited
    team["max"].post(url(team, "accept", "rita"))
    rita_line = team["rita"].get("/today/buddy").get_data(as_text=True)
    max_line = team["max"].get("/today/buddy").get_data(as_text=True)
    assert "Max Member" in rita_line and "Rita Rep" in max_line
    assert "0-day streak" in rita_line and "0/40 dials" in rita_line and "no call yet" in rita_line
    with app.app_context():
        assert pairs() == [("Rita Rep", "Max Member", "active")]
        assert db.session.scalar(select(func.count()).select_from(InboxItem).where(InboxItem.kind == "buddy")) == 2


def test_at_most_one_buddy_at_a_time_and_accepting_closes_other_invites(app, team):
    team["rita"].post(url(team, "invite", "max"))
    team["rita"].post(url(team, "invite", "nia"))
    team["nia"].post(url(team, "invite", "max"))
    assert team["max"].post(url(team, "accept", "rita")).status_code == 303
    # Every other open invite of Rita and Max closed: Nia cannot accept Rita's, Max cannot accept Nia's.
    refused = team["nia"].post(url(team, "accept", "rita"), follow_redirects=True).get_data(as_text=True)
    assert "no longer open" in refused
    team["max"].post(url(team, "accept", "nia"))
    # Nor can anyone ask a paired rep, or a paired rep ask anyone.
    assert "one at a time" in team["rita"].post(url(team, "invite", "nia"), follow_redirects=True).get_data(
        as_text=True
    )
    assert "have a buddy already" in team["nia"].post(url(team, "invite", "max"), follow_redirects=True).get_data(
        as_text=True
    )
    with app.app_context():
        assert pairs() == [
            ("Rita Rep", "Max Member", "active"),
            ("Rita Rep", "Nia Newer", "ended"),
            ("Nia Newer", "Max Member", "ended"),
        ]


def test_two_accepts_racing_pair_no_one_twice(app, team, monkeypatch):
    """Max and Nia accept Rita's invites at the same moment: one pairing, and the other hears why."""
    team["rita"].post(url(team, "invite", "max"))
    team["rita"].post(url(team, "invite", "nia"))
    # Hold both accepts right after their checks passed, so both go on to write.
    checked = threading.Barrier(2, timeout=5)
    waited = threading.local()
    may_invite = buddy_service.may_invite

    def check_then_wait(*args):
        may_invite(*args)
        if not getattr(waited, "done", False):
            waited.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                checked.wait()

    monkeypatch.setattr(buddy_service, "may_invite", check_then_wait)
    answers = [None, None]

    def accept(i, who):
        answers[i] = team[who].post(url(team, "accept", "rita"), follow_redirects=True).get_data(as_text=True)

    threads = [threading.Thread(target=accept, args=(i, who)) for i, who in enumerate(("max", "nia"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    won = [a for a in answers if a and "You are call buddies now" in a]
    lost = [a for a in answers if a and "no longer open" in a]
    assert len(won) == 1 and len(lost) == 1, answers
    with app.app_context():
        assert [status for *_, status in pairs()].count("active") == 1
        assert db.session.scalar(select(func.count()).select_from(BuddySeat)) == 2


def test_no_buddy_outside_the_team_nor_oneself(app, team):
    outsider = new_rep(app, "out@example.com", "Otto Outside")
    make_team(outsider, "Other Team")
    with app.app_context():
        otto = uid("out@example.com")
    assert "same team" in team["rita"].post(
        f"/teams/{team['id']}/buddies/{otto}/invite", follow_redirects=True
    ).get_data(as_text=True)
    assert "someone else" in team["rita"].post(url(team, "invite", "rita"), follow_redirects=True).get_data(
        as_text=True
    )
    assert outsider.post(url(team, "invite", "rita")).status_code == 404
    with app.app_context():
        assert pairs() == []


def test_either_buddy_ends_it_and_a_new_pairing_can_follow(app, team):
    befriend(team, "rita", "max")
    assert team["max"].post(url(team, "end", "rita")).status_code == 303
    assert team["max"].post(url(team, "end", "rita")).status_code == 404  # nothing open any more
    assert "No call buddy yet" in team["rita"].get("/today/buddy").get_data(as_text=True)
    befriend(team, "rita", "nia")
    with app.app_context():  # the old pair gave its seats back when Rita paired again
        assert pairs() == [("Rita Rep", "Max Member", "ended"), ("Rita Rep", "Nia Newer", "active")]
        assert sorted(db.session.scalars(select(BuddySeat.user_id))) == sorted(
            [team["ids"]["rita"], team["ids"]["nia"]]
        )
    with app.app_context():
        assert [status for *_, status in pairs()] == ["ended", "active"]


def test_leaving_the_team_ends_the_pairing(app, team):
    befriend(team, "rita", "max")
    team["max"].post(f"/teams/{team['id']}/leave")
    assert "No call buddy yet" in team["rita"].get("/today/buddy").get_data(as_text=True)
    befriend(team, "rita", "nia")
    with app.app_context():  # the old pair gave its seats back when Rita paired again
        assert pairs() == [("Rita Rep", "Max Member", "ended"), ("Rita Rep", "Nia Newer", "active")]
        assert sorted(db.session.scalars(select(BuddySeat.user_id))) == sorted(
            [team["ids"]["rita"], team["ids"]["nia"]]
        )


def test_the_buddy_streak_counts_a_day_both_showed_up(app, team):
    befriend(team, "rita", "max")
    for _ in range(10):
        team["rita"].tap("no_answer")
    line = team["max"].get("/today/buddy").get_data(as_text=True)
    assert "10/40 dials" in line and "1-day streak" in line and "together 0 days<" in line
    for _ in range(10):
        team["max"].tap("voicemail")
    line = team["rita"].get("/today/buddy").get_data(as_text=True)
    assert "together 1 day ✓" in line and "last call" in line


def showed_up_every_day(user_ids: list[int], first: date, last: date, skip: date | None = None) -> None:
    """Day rows as the write path leaves them for a rep who reached their minimum each day ``first..last``."""
    rows = [
        {
            "user_id": user_id,
            "local_date": first + timedelta(days=n),
            "dials": 10,
            "dial_target": 40,
            "min_dials": 10,
            "counted": True,
            "showed_up": True,
            "goal_met": False,
        }
        for user_id in user_ids
        for n in range((last - first).days + 1)
        if first + timedelta(days=n) != skip
    ]
    db.session.execute(insert(DailyTotal), rows)
    db.session.commit()


def long_pair(team, days: int) -> tuple[BuddyPair, User, User, date]:
    """Rita and Max, buddies for ``days`` days, both showing up every day before today."""
    rita, max_ = db.session.get(User, team["ids"]["rita"]), db.session.get(User, team["ids"]["max"])
    today = pair_today(today_for(rita), today_for(max_))
    pair = buddy_service.pair_of(rita.id)
    pair.started_on = today - timedelta(days=days)
    db.session.commit()
    return pair, rita, max_, today


def test_a_long_pairs_streak_is_kept_at_a_checkpoint_and_reads_only_the_last_week(app, team):
    befriend(team, "rita", "max")
    with app.app_context():
        pair, rita, max_, today = long_pair(team, 400)
        showed_up_every_day([rita.id, max_.id], pair.started_on, today - timedelta(days=1))
        assert buddy_service.buddy_line(rita).together.current == 400
        db.session.expire_all()
        pair = db.session.get(BuddyPair, pair.id)
        assert pair.streak_as_of == today - timedelta(days=REPLAY_WINDOW_DAYS) and pair.streak_current == 393
        # Days behind the checkpoint are never read again: without them the streak is the same.
        db.session.execute(delete(DailyTotal).where(DailyTotal.local_date <= pair.streak_as_of))
        db.session.commit()
        assert buddy_service.buddy_line(rita).together.current == 400
        assert buddy_service.buddy_line(max_).together.current == 400
    assert "together 400 days<" in team["max"].get("/today/buddy").get_data(as_text=True)


def test_an_undone_call_on_a_past_day_still_breaks_the_buddy_streak(app, team):
    befriend(team, "rita", "max")
    with app.app_context():
        pair, rita, max_, today = long_pair(team, 20)
        # A working day a few days back (a weekend day would not count either way).
        late = next(d for d in (today - timedelta(days=n) for n in range(3, 8)) if d.weekday() < 5)
        showed_up_every_day([max_.id], pair.started_on, today - timedelta(days=1))
        showed_up_every_day([rita.id], pair.started_on, today - timedelta(days=1), skip=late)
        noon = datetime.combine(late, time(12), ZoneInfo(rita.timezone)).astimezone(UTC)
        synced = [record_call(rita, "no_answer", uuid.uuid4(), noon + timedelta(minutes=n)) for n in range(10)]
        assert buddy_service.buddy_line(max_).together.current == 20
        assert db.session.get(BuddyPair, pair.id).streak_as_of == today - timedelta(days=REPLAY_WINDOW_DAYS)
        undo_call(rita, synced[-1].call.client_id)  # 9 dials: that day is a miss now
        db.session.expire_all()
        after = (today - late).days - 1  # the days since the miss
        assert buddy_service.buddy_line(db.session.get(User, max_.id)).together.current == after


def test_one_nudge_an_hour_per_pair_whoever_sends_it(app, team, monkeypatch, push_on, standin):
    befriend(team, "rita", "max")
    subscribe(team["max"], standin)  # Max has notifications on; Rita does not
    clock = {"now": datetime(2026, 3, 9, 10, 0, tzinfo=UTC)}
    monkeypatch.setattr(buddy_service, "utcnow", lambda: clock["now"])
    sent = team["rita"].post(url(team, "nudge"), htmx=True, data={"nudge": "cheer"})
    assert sent.status_code == 200 and "Nudge sent." in sent.get_data(as_text=True)
    clock["now"] += timedelta(minutes=30)
    back = team["max"].post(url(team, "nudge"), htmx=True, data={"nudge": "closer"})
    assert back.status_code == 409 and "One nudge an hour" in back.get_data(as_text=True)
    clock["now"] += timedelta(minutes=29, seconds=59)
    assert team["rita"].post(url(team, "nudge"), htmx=True, data={"nudge": "cheer"}).status_code == 409
    clock["now"] += timedelta(seconds=1)
    assert team["max"].post(url(team, "nudge"), htmx=True, data={"nudge": "break"}).status_code == 200
    assert team["max"].post(url(team, "nudge"), htmx=True, data={"nudge": "be faster"}).status_code == 409
    with app.app_context():
        ids = team["ids"]
        nudges = db.session.execute(
            select(InboxItem.user_id, InboxItem.body).where(InboxItem.kind == "buddy_nudge").order_by(InboxItem.id)
        ).all()
        assert [tuple(n) for n in nudges] == [
            (ids["max"], "You've got this. One more dial?"),
            (ids["rita"], "Thinking of you. Take a breath, then the next call."),
        ]
        # Pushed to Max's device only: Rita has no notifications on.
        assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 1


def test_a_nudge_needs_a_buddy(app, team):
    refused = team["rita"].post(url(team, "nudge"), htmx=True, data={"nudge": "cheer"})
    assert refused.status_code == 409 and "Pick a buddy first" in refused.get_data(as_text=True)


def test_a_buddys_first_meeting_offers_a_one_tap_high_five(app, team):
    befriend(team, "rita", "max")
    assert "High five" not in team["rita"].get("/today/buddy").get_data(as_text=True)
    team["max"].tap("meeting")
    line = team["rita"].get("/today/buddy").get_data(as_text=True)
    assert "Max Member: Meeting booked!" in line
    key = line.split("/buddies/moment/")[1].split("/")[0]
    given = team["rita"].post(f"/teams/{team['id']}/buddies/moment/{key}/high-five", htmx=True)
    assert given.status_code == 200 and "High-fived" in given.get_data(as_text=True)
    # Only the buddy's moment: Nia cannot use this door for it.
    assert team["nia"].post(f"/teams/{team['id']}/buddies/moment/{key}/high-five", htmx=True).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 1


def test_no_team_no_line(app, rep):
    assert rep.get("/today/buddy").status_code == 204
    assert rep.get("/today/huddle").status_code == 204
