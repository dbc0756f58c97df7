"""Inputs that once answered 500: each now gets a clear 4xx and changes nothing, on both databases."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from tests.integration.test_teams_security import snapshot
from webapp.extensions import db
from webapp.models import Team, TeamMember, TeamMessage, User
from webapp.services import accounts
from webapp.services.teams import membership

HUGE = "9" * 23
ABOVE_INT32 = str(2**31)
GOALS = {"working_days": "0", "day_start_hour": "0", "goal_conversations": "3", "goal_follow_ups": "1"}
REWARD = {"label": "coffee", "metric": "dials"}

# (method, path, form, the status it answers, words the answer shows). "{team}" is the rep's team.
CASES = [
    ("POST", "/rewards", {**REWARD, "threshold": "²"}, 422, "whole number"),
    ("POST", "/rewards", {**REWARD, "threshold": "9" * 5000}, 422, "whole number"),
    ("POST", "/rewards", {**REWARD, "threshold": "٣"}, 422, "whole number"),
    ("POST", "/rewards", {"label": "co\x00ffee", "metric": "dials", "threshold": "4"}, 422, "control character"),
    ("POST", "/settings/game", {**GOALS, "goal_dials": "²"}, 422, "whole number"),
    ("POST", "/settings/game", {**GOALS, "goal_dials": "5", "day_start_hour": HUGE}, 422, "from 0 to 12"),
    ("POST", "/settings/streak/minimum", {"min_dials": "²"}, 422, "whole number"),
    ("POST", "/settings/notifications", {"nudge_at": "²:00", "at_risk_lead_hours": "²"}, 422, "like 09:15"),
    ("POST", "/teams/{team}/challenge", {"metric": "dials", "target": "²", "period": "week"}, 422, "whole number"),
    ("GET", "/resets/" + HUGE, None, 404, ""),
    ("POST", "/resets/" + HUGE + "/finish", {}, 404, ""),
    ("GET", "/resets/" + ABOVE_INT32, None, 404, ""),
    ("GET", "/resets/٣", None, 404, ""),
    ("GET", "/teams/{team}/feed/older?before=" + HUGE + "-1-1", None, 400, "Reload the page"),
    ("GET", "/teams/{team}/feed/live?since=" + HUGE + "-1-1", None, 400, "Reload the page"),
    ("GET", "/teams/{team}/feed/older?before=1-1-" + HUGE, None, 400, "Reload the page"),
    ("GET", "/teams/{team}/feed/live?since=1-1-" + HUGE, None, 400, "Reload the page"),
    ("POST", "/teams/{team}/feed/m²/high-five", {}, 404, ""),
    ("POST", "/teams/{team}/feed/w" + HUGE + "/high-five", {}, 404, ""),
    ("POST", "/teams/{team}/feed/w" + ABOVE_INT32 + "/high-five", {}, 404, ""),
    ("POST", "/teams/{team}/members/" + ABOVE_INT32 + "/remove", {}, 404, ""),
    ("POST", "/teams/{team}/members/" + ABOVE_INT32 + "/coach", {}, 404, ""),
    ("POST", "/teams/{team}/invites/" + ABOVE_INT32 + "/revoke", {}, 404, ""),
    ("POST", "/rewards/" + ABOVE_INT32 + "/delete", {}, 404, ""),
    ("POST", "/settings/time-off/" + ABOVE_INT32 + "/delete", {}, 404, ""),
    ("GET", "/notifications/" + ABOVE_INT32 + "/open", None, 404, ""),
    ("POST", "/notifications/" + ABOVE_INT32 + "/snooze", {}, 404, ""),
    ("POST", "/settings/notifications/devices/" + ABOVE_INT32 + "/remove", {}, 404, ""),
    ("GET", "/teams/" + ABOVE_INT32, None, 404, ""),
    ("POST", "/register", {"email": "a\x00@x.co", "display_name": "Nul", "password": PASSWORD}, 422, "email"),
    ("POST", "/register", {"email": "nul@x.co", "display_name": "N\x00l", "password": PASSWORD}, 422, "control"),
    ("POST", "/settings/profile", {"display_name": "N\x00l", "timezone": "UTC"}, 422, "control character"),
    ("POST", "/teams/{team}/messages", {"body": "hi\x00there"}, 422, "control character"),
    ("POST", "/teams/{team}/messages", {"body": "hello", "since": HUGE + "-1-1"}, 400, "Reload the page"),
    ("POST", "/api/v1/push/subscriptions/remove", {"json": {"endpoint": "https://x\x00"}}, 422, "endpoint"),
]


@pytest.fixture
def coach(app, rep):
    """The rep coaches a team that has one more member; a call of the rep's to review."""
    team_id = make_team(rep, "Night Owls")
    join(new_rep(app, "mo@example.com", "Mo Mate"), invite_token(rep, team_id))
    rep.tap("not_interested", client_id=str(uuid.UUID(int=7)))
    rep.team_id = team_id
    return rep


def send(visitor: Visitor, method: str, url: str, form):
    if method == "GET":
        return visitor.get(url, headers={"HX-Request": "true"})
    if "json" in (form or {}):
        return visitor.post(url, json=form["json"])
    # As htmx sends them: the feed's answers then depend on what was sent, not only on a redirect.
    return visitor.post(url, htmx=True, data=form)


def test_each_input_that_answered_500_gets_a_clear_4xx_and_changes_nothing(app, coach):
    problems = []
    for method, path, form, status, words in CASES:
        url = path.format(team=coach.team_id)
        with app.app_context():
            before = snapshot()
        response = send(coach, method, url, form)
        with app.app_context():
            changed = snapshot() != before
        body = response.get_data(as_text=True)
        if response.status_code != status or changed or words not in body:
            shown = words in body
            problems.append(f"{method} {url!r}: {response.status_code} changed={changed} {words!r} shown={shown}")
    assert not problems, "\n".join(problems)


def test_a_review_whose_next_time_holds_a_nul_is_refused_with_a_message(app, coach):
    call = str(uuid.UUID(int=7))
    with app.app_context():
        before = snapshot()
    response = coach.post(f"/calls/{call}/review", htmx=True, data={"objection": "other", "next_time": "ask\x00"})
    assert response.status_code == 422
    assert "control character" in response.get_data(as_text=True)
    with app.app_context():
        assert snapshot() == before


def test_a_login_with_a_nul_in_the_email_is_refused_like_a_wrong_password(app, visitor):
    response = visitor.post("/login", data={"email": "a\x00@x", "password": "x"})
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)


def test_a_team_name_with_a_nul_is_refused_with_a_message(app, rep):
    response = rep.post("/teams", data={"name": "Owls\x00", "timezone": "UTC"})
    assert response.status_code == 422
    assert "control character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 0


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/%5Cevil.example", "/%00"])
def test_a_login_never_follows_a_next_that_is_not_a_plain_path_here(rep, target):
    rep.client.post("/logout", headers={"X-CSRFToken": rep.refresh_token()})
    rep.token = None
    response = rep.post("/login?next=" + target, data={"email": "rep@example.com", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def messages(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(TeamMessage.body).where(TeamMessage.kind == "message")))


def test_a_retried_post_with_its_client_id_is_stored_once(app, coach):
    form = {"body": "Dialled through lunch", "client_id": str(uuid.uuid4())}
    url = f"/teams/{coach.team_id}/messages"
    first, retry = coach.post(url, htmx=True, data=form), coach.post(url, htmx=True, data=form)
    assert first.status_code == retry.status_code == 200
    assert messages(app) == ["Dialled through lunch"]
    assert "Dialled through lunch" in retry.get_data(as_text=True)  # the retry's answer shows the post


def test_each_post_form_carries_a_new_client_id(app, coach):
    page = coach.get(f"/teams/{coach.team_id}").get_data(as_text=True)
    form = {"body": "one", "client_id": page.split('name="client_id" value="')[1].split('"')[0]}
    answer = coach.post(f"/teams/{coach.team_id}/messages", htmx=True, data=form).get_data(as_text=True)
    fresh = answer.split('name="client_id" value="')[1].split('"')[0]
    assert uuid.UUID(fresh) != uuid.UUID(form["client_id"])
    coach.post(f"/teams/{coach.team_id}/messages", htmx=True, data={"body": "two", "client_id": fresh})
    assert sorted(messages(app)) == ["one", "two"]


def test_a_post_with_a_malformed_client_id_is_refused_and_writes_nothing(app, coach):
    response = coach.post(f"/teams/{coach.team_id}/messages", htmx=True, data={"body": "x", "client_id": "nope"})
    assert response.status_code == 422
    assert messages(app) == []


def at_once(count: int, send_one) -> list[int]:
    """Run ``send_one`` in ``count`` threads at the same moment; their statuses."""
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(send_one())) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def hold_until_all_arrive(monkeypatch, module, name: str, parties: int) -> None:
    """Make each request wait inside ``module.name`` (its first call) until all ``parties`` are there.

    Every request then passes the "is it taken?" check before any writes:
    the race that a double tap or two devices can win by chance, every time.
    """
    original, barrier, seen = getattr(module, name), threading.Barrier(parties, timeout=15), threading.local()

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        if not getattr(seen, "waited", False):
            seen.waited = True
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
        return result

    monkeypatch.setattr(module, name, held)


def test_five_registrations_of_one_email_at_once_answer_like_one_after_another(app, monkeypatch):
    hold_until_all_arrive(monkeypatch, accounts, "find_by_email", 5)
    data = {"email": "same@example.com", "display_name": "Sam", "password": PASSWORD, "timezone": "UTC"}
    statuses = at_once(5, lambda: Visitor(app.test_client()).post("/register", data=data).status_code)
    assert statuses == [303] * 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_five_new_teams_from_one_rep_at_once_make_one_team_and_four_clear_refusals(app, rep, monkeypatch):
    token = rep.refresh_token()
    hold_until_all_arrive(monkeypatch, membership, "seat_of", 5)

    def start_team():
        client = app.test_client()
        client.set_cookie("session", rep.client.get_cookie("session").value)
        response = client.post("/teams", data={"name": "Owls", "timezone": "UTC"}, headers={"X-CSRFToken": token})
        assert response.status_code == 303 or "already" in response.get_data(as_text=True)
        return response.status_code

    assert sorted(at_once(5, start_team)) == [303, 422, 422, 422, 422]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 1
        assert db.session.scalar(select(func.count()).select_from(TeamMember)) == 1


@pytest.mark.parametrize("query", ["older?before=" + HUGE + "-1-1", "live?since=1-7-1", "older?before=²-1-1"])
def test_a_feed_url_no_page_makes_is_a_400_page_that_says_so(coach, query):
    response = coach.get(f"/teams/{coach.team_id}/feed/{query}")
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
