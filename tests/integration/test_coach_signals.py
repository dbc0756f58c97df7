"""Coach signals through the app: each flag as a table over a frozen clock, the kind word landing in the
rep's list, the privacy switch, and the coach's table. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from tests.integration.test_teams import add_quiet_reps
from webapp.extensions import db
from webapp.models import Call, InboxItem, Reset, Team, ToughCall, User
from webapp.services.calls import record_call
from webapp.services.teams.signals import coach_signals

WEDNESDAY = datetime(2026, 11, 25, tzinfo=UTC)  # London is on UTC in November


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    return WEDNESDAY + timedelta(days=day_offset, hours=hour, minutes=minute)


def log(user: User, outcome: str, when: datetime) -> Call:
    return record_call(user, outcome, uuid.uuid4(), when, now=when).call


@pytest.fixture
def team_id(rep) -> int:
    return make_team(rep)


@pytest.fixture
def crew(app, team_id) -> dict[str, int]:
    """Four members, each set up to raise one flag on Wednesday 25 November."""
    with app.app_context():
        ids = dict(
            zip(["Nina", "Rex", "Pat", "Sam"], add_quiet_reps(team_id, ["Nina", "Rex", "Pat", "Sam"]), strict=True)
        )
        users = {name: db.session.get(User, uid) for name, uid in ids.items()}
        for n in range(3):  # Rex: three no's in a row at lunchtime, his reset threshold
            log(users["Rex"], "not_interested", at(0, 13, n))
        for back in (-5, -2, -1):  # Pat: 20 dials by 13:00 on Friday, Monday and Tuesday; 5 this morning
            for n in range(20):
                log(users["Pat"], "voicemail", at(back, 9, 12 * n))
        for n in range(5):
            log(users["Pat"], "voicemail", at(0, 9, n * 5))
        for back in (-2, -1):  # Sam: a two-day streak (10 dials a day), 2 dials today
            for n in range(10):
                log(users["Sam"], "voicemail", at(back, 10, n))
        for n in range(2):
            log(users["Sam"], "voicemail", at(0, 10, n))
        return ids


def flags_at(team_id: int, when: datetime) -> dict[str, list[str]]:
    team = db.session.get(Team, team_id)
    return {row.name: [s.flag.value for s in row.signals] for row in coach_signals(team, now=when)}


@pytest.mark.parametrize(
    ("name", "when", "flags"),
    [
        ("Nina", at(0, 9, 30), []),  # before the team's start time (10:00)
        ("Nina", at(0, 10, 30), ["not_started"]),
        ("Rex", at(0, 13, 1), []),  # two no's so far: under his threshold of three
        ("Rex", at(0, 14), ["no_run"]),
        ("Pat", at(0, 8, 30), []),  # usually nothing before 09:00 either
        ("Pat", at(0, 14), ["below_pace"]),  # 5 by 14:00 against a usual 20
        ("Sam", at(0, 14), []),  # plenty of day left
        ("Sam", at(0, 21, 30), ["streak_at_risk"]),  # 2 of 10 dials, 2.5 h left
    ],
)
def test_each_coach_flag_over_a_frozen_clock(app, crew, team_id, name, when, flags):
    with app.app_context():
        assert flags_at(team_id, when)[name] == flags


def test_a_reset_taken_after_the_run_clears_the_flag(app, crew, team_id):
    with app.app_context():
        db.session.add(
            Reset(
                user_id=crew["Rex"],
                kind="breathe",
                minutes=2,
                started_at=at(0, 13, 5),
                local_date=WEDNESDAY.date(),
                points=0,
            )
        )
        db.session.commit()
        assert flags_at(team_id, at(0, 14))["Rex"] == []


def test_flags_come_first_and_each_column_sorts(app, rep, crew, team_id):
    with app.app_context():
        team = db.session.get(Team, team_id)
        rows = coach_signals(team, now=at(0, 14))
        assert [len(r.signals) for r in rows] == sorted((len(r.signals) for r in rows), reverse=True)
        assert [r.name for r in coach_signals(team, now=at(0, 14), sort="name")][:2] == ["Nina", "Pat"]
        assert coach_signals(team, now=at(0, 14), sort="today")[0].name == "Pat"


@pytest.fixture
def mate(app, rep, team_id) -> Visitor:
    visitor = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(visitor, invite_token(rep, team_id)).status_code == 303
    return visitor


def mo(app) -> User:
    return db.session.scalar(select(User).where(User.email == "mo@example.com"))


def test_the_coach_page_has_the_table_with_flags_and_a_kind_word_for_each_flagged_member(app, rep, team_id, mate):
    html = rep.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert '<table class="signals-table">' in html and "Who needs a hand today" in html
    assert html.index(">Flags<") < html.index(">Member<")  # flags are the first column
    assert "aria-sort" in rep.get(f"/teams/{team_id}/coach?sort=streak").get_data(as_text=True)


def test_a_kind_word_lands_in_the_reps_list(app, rep, team_id, mate):
    with app.app_context():
        mo_id = mo(app).id
    assert (
        rep.post(f"/teams/{team_id}/members/{mo_id}/kind-word", data={"preset": "You've got this."}).status_code == 303
    )
    rep.post(f"/teams/{team_id}/members/{mo_id}/kind-word", data={"preset": "x", "own": "Proud of your calls today."})
    with app.app_context():
        bodies = list(
            db.session.scalars(select(InboxItem.body).where(InboxItem.user_id == mo_id).order_by(InboxItem.id))
        )
    assert bodies == ["You've got this.", "Proud of your calls today."]
    assert "Proud of your calls today." in mate.get("/notifications").get_data(as_text=True)


def test_only_the_coach_sends_kind_words_and_only_to_their_own_team(app, rep, team_id, mate):
    with app.app_context():
        mo_id = mo(app).id
    new_rep(app, "out@example.com", "Otto Outsider")
    with app.app_context():
        otto = db.session.scalar(select(User.id).where(User.email == "out@example.com"))
    assert mate.post(f"/teams/{team_id}/members/{mo_id}/kind-word", data={"own": "hi"}).status_code == 403
    assert rep.post(f"/teams/{team_id}/members/{otto}/kind-word", data={"own": "hi"}).status_code == 404
    rep.post(f"/teams/{team_id}/members/{mo_id}/kind-word", data={"own": "   "})  # empty: nothing sent
    with app.app_context():
        assert db.session.scalar(select(InboxItem.id).where(InboxItem.user_id.in_([mo_id, otto]))) is None


def test_the_coach_sees_no_tough_call_data_unless_the_rep_shares_it(app, rep, team_id, mate):
    mate.tap("not_interested")
    with app.app_context():
        user = mo(app)
        call_id = db.session.scalar(select(Call.id).where(Call.user_id == user.id))
        db.session.add(ToughCall(user_id=user.id, call_id=call_id, marked_at=datetime.now(UTC)))
        db.session.commit()
        mo_id = user.id
    row = lambda html: html[html.index(f'<tr data-member="{mo_id}"') :].split("</tr>")[0]  # noqa: E731
    assert 'data-shared="no"' in row(rep.get(f"/teams/{team_id}/coach").get_data(as_text=True))
    assert 'id="coach-privacy"' in mate.get("/settings").get_data(as_text=True)
    assert mate.post("/settings/coach-sees-tough", data={"coach_sees_tough": "1"}).status_code == 303
    shared = row(rep.get(f"/teams/{team_id}/coach").get_data(as_text=True))
    assert 'data-shared="yes"' in shared and "1 · 0" in shared
    mate.post("/settings/coach-sees-tough", data={"coach_sees_tough": "0"})
    assert 'data-shared="no"' in row(rep.get(f"/teams/{team_id}/coach").get_data(as_text=True))


def test_the_coach_sets_the_start_time(app, rep, team_id):
    rep.post(f"/teams/{team_id}/start-by", data={"start_by": "08:45"})
    rep.post(f"/teams/{team_id}/start-by", data={"start_by": "soon"})  # refused, nothing changes
    with app.app_context():
        assert db.session.get(Team, team_id).start_by_minute == 8 * 60 + 45
