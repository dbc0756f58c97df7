"""Every team route, walked as someone who must get nothing: no data of the team, no change in the database.

The walk reads the app's URL map, so a route added later is walked too, and
it fails if a team route forgets to declare which gate it goes through.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import Visitor
from tests.integration.test_teams import invite_token, join, make_team, new_rep, tv_token, user_id
from webapp.extensions import db
from webapp.models import TeamInvite, Win

ALPHA_SECRETS = ("Alpha Secret Squad", "Avery Alpha", "Alma Alpha", "alpha secret line")
GATES = {"member", "coach", "self", "token"}
BOGUS_TOKEN = "A" * 43

FORMS = {
    "teams.create": {"name": "Intruders", "timezone": "UTC"},
    "teams.post_message": {"body": "intruder was here"},
    "teams.private": {"private": "on"},
    "teams.set_challenge": {"metric": "dials", "target": "1", "period": "week"},
}
QUERIES = {
    "teams.board_live": "?period=week&metric=points",
    "teams.calls_csv": "?from=2000-01-01&to=2000-12-31",
    "teams.links.leaderboard": "?period=week&metric=points",
}


def team_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("teams.")]


def snapshot() -> dict:
    """Every row of every table: what "nothing changed" is checked against."""
    with db.engine.connect() as conn:
        return {
            table.name: sorted(map(repr, conn.execute(table.select()).all())) for table in db.metadata.sorted_tables
        }


@pytest.fixture
def alpha(app):
    """Team Alpha with data worth stealing: a win, a post, invite and TV links, a challenge."""
    coach = new_rep(app, "alma@example.com", "Alma Alpha")
    team_id = make_team(coach, "Alpha Secret Squad")
    member = new_rep(app, "avery@example.com", "Avery Alpha")
    join(member, invite_token(coach, team_id))
    member.tap("meeting")
    member.post(f"/teams/{team_id}/messages", data={"body": "alpha secret line"})
    coach.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "100", "period": "week"})
    revoked_tv = tv_token(coach, team_id)
    tv_token(coach, team_id)  # rotating retires the first link
    revoked_invite = invite_token(coach, team_id)
    with app.app_context():
        revoked_id = db.session.scalar(
            select(TeamInvite.id).where(TeamInvite.token_hash.isnot(None)).order_by(TeamInvite.id.desc())
        )
    coach.post(f"/teams/{team_id}/invites/{revoked_id}/revoke")
    invite_token(coach, team_id)  # a live invite stays in the database
    with app.app_context():
        args = {
            "team_id": team_id,
            "user_id": user_id("avery@example.com"),
            "invite_id": revoked_id - 1,
            "key": f"w{db.session.scalar(select(Win.id).where(Win.kind == 'meeting'))}",
        }
    return {"coach": coach, "member": member, "args": args, "tokens": [BOGUS_TOKEN, revoked_tv, revoked_invite]}


@pytest.fixture
def beta(app, alpha) -> Visitor:
    """The coach of another team."""
    coach = new_rep(app, "bo@example.com", "Bo Beta")
    make_team(coach, "Beta Team")
    return coach


def urls_for(rule, alpha) -> list[str]:
    """The rule's URLs filled with Team Alpha's ids (or, for secret links, with dead tokens)."""
    if "token" in rule.arguments:
        return [rule.build({"token": token})[1] for token in alpha["tokens"]]
    values = {name: alpha["args"][name] for name in rule.arguments}
    return [rule.build(values)[1] + QUERIES.get(rule.endpoint, "")]


def walk(app, visitor: Visitor, rules, alpha, allowed: set[int]) -> list[str]:
    """Hit each rule with each of its methods; return what leaked or was not refused."""
    problems = []
    alpha_home = f"/teams/{alpha['args']['team_id']}"
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for url in urls_for(rule, alpha):
                for htmx in (False, True):
                    headers = {"HX-Request": "true"} if htmx else {}
                    if method == "GET":
                        response = visitor.get(url, headers=headers)
                    else:
                        response = visitor.post(url, headers=headers, data=FORMS.get(rule.endpoint, {}))
                    body = response.get_data(as_text=True)
                    leaked = [s for s in ALPHA_SECRETS if s in body]
                    location = urlsplit(response.headers.get("Location", "")).path
                    if leaked or response.status_code not in allowed or location.startswith(alpha_home):
                        problems.append(f"{method} {url} htmx={htmx}: {response.status_code} {leaked} {location}")
    return problems


def test_every_team_route_declares_its_gate(app):
    rules = team_rules(app)
    assert len(rules) >= 25
    missing = [
        rule.endpoint for rule in rules if getattr(app.view_functions[rule.endpoint], "team_role", None) not in GATES
    ]
    assert missing == []


def test_an_anonymous_visitor_gets_nothing_and_changes_nothing(app, alpha, visitor):
    with app.app_context():
        before = snapshot()
    # 302: to the login page; 204: htmx told to go there; 401: the API; 404: a dead secret link.
    problems = walk(app, visitor, team_rules(app), alpha, allowed={302, 204, 401, 404})
    assert problems == []
    with app.app_context():
        assert snapshot() == before


def test_a_member_of_another_team_gets_nothing_and_changes_nothing(app, alpha, beta):
    with app.app_context():
        before = snapshot()
    # 404 for Alpha's routes; /teams itself answers about Beta (a redirect, or "leave first" on create);
    # a dead invite, confirmed anyway, goes back to /teams with a message.
    problems = walk(app, beta, team_rules(app), alpha, allowed={404, 302, 303, 422})
    assert problems == []
    with app.app_context():
        assert snapshot() == before


def test_a_plain_member_is_refused_every_coach_route_and_changes_nothing(app, alpha):
    coach_rules = [rule for rule in team_rules(app) if app.view_functions[rule.endpoint].team_role == "coach"]
    assert {rule.endpoint for rule in coach_rules} >= {
        "teams.coach",
        "teams.calls_csv",
        "teams.create_invite",
        "teams.revoke_invite",
        "teams.remove_member",
        "teams.hand_coach_role",
        "teams.set_challenge",
        "teams.end_challenge",
        "teams.rotate_tv",
        "teams.revoke_tv",
    }
    with app.app_context():
        before = snapshot()
    problems = []
    for rule in coach_rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = urls_for(rule, alpha)[0]
            response = (
                alpha["member"].get(url)
                if method == "GET"
                else alpha["member"].post(url, data=FORMS.get(rule.endpoint, {}))
            )
            if response.status_code != 403 or "/join/" in response.get_data(as_text=True):
                problems.append(f"{method} {url}: {response.status_code}")
    assert problems == []
    with app.app_context():
        assert snapshot() == before
