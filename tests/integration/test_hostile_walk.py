"""Every route of the URL map, walked with hostile values: no 5xx, and a refused request changes nothing.

The walk reads ``app.url_map``, so a route added later is walked too. Each
route and method is sent, as an anonymous visitor, a rep and a coach (with a
valid CSRF token), requests whose every path part, query argument and form
field is drawn by hypothesis from a mix of working values and hostile ones:
huge and negative integers, digits of other scripts, NUL and other control
characters, 10,000-character strings, malformed dates, missing fields. A
working value in most places lets the hostile one reach the code behind it.

``CLOSER_WALK_EXAMPLES`` sets how many requests each route, method and
visitor gets (default 2: well under a minute per database here; raise it to
search harder). The JSON API is fuzzed against its schema too, by
schemathesis in ``test_openapi.py``.
"""

from __future__ import annotations

import os
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep, tv_token
from webapp.extensions import db
from webapp.models import Reset, Reward, TeamMessage, Win

EXAMPLES = int(os.environ.get("CLOSER_WALK_EXAMPLES", "2"))
CALL_ID = str(uuid.UUID(int=42))
MISSING = object()

HOSTILE_WORDS = [
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    str(2**31),
    str(2**63),
    "9" * 23,
    "9" * 5000,
    "1e9",
    " 12 ",
    "NaN",
    "\x00",
    "a\x00b",
    "tab\there\x1b[2J",
    "x" * 10_000,
    "2026-02-30",
    "0000-00-00",
    "99999-01-01",
    "-1-1-1",
    "25:61",
    "9" * 23 + "-1-1",
    "1-1-" + "9" * 23,
    "w" + "9" * 23,
    "m²",
    "",
    " ",
    "\u202e",
    "../../etc/passwd",
    "//evil.example",
    "/%0d%0aX: y",
    "<script>alert(1)</script>",
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=40),  # any code point a form can carry, control characters included
)

# A value each field takes when it is right, so that one hostile field at a time gets through the others.
WORKING = {
    "email": "rep@example.com",
    "password": PASSWORD,
    "display_name": "Rita",
    "timezone": "Europe/London",
    "name": "Owls",
    "body": "hello team",
    "since": "",
    "before": "0-0-1",
    "client_id": CALL_ID,
    "threshold": "5",
    "label": "tea",
    "metric": "dials",
    "target": "10",
    "period": "week",
    "goal_dials": "5",
    "goal_conversations": "2",
    "goal_follow_ups": "1",
    "working_days": "1",
    "day_start_hour": "3",
    "min_dials": "5",
    "first": "2026-12-01",
    "last": "2026-12-02",
    "from": "2026-11-01",
    "to": "2026-12-01",
    "kind": "breathing",
    "minutes": "1",
    "next_time": "ask more",
    "objection": "other",
    "asked_right_questions": "yes",
    "outcome": "sale",
    "day": "today",
    "time": "09:00",
    "nudge_at": "09:00",
    "quiet_start": "21:00",
    "quiet_end": "07:00",
    "at_risk_lead_hours": "2",
    "reset_after_nos": "3",
    "current_password": PASSWORD,
    "new_password": "another long enough phrase",
    "hide_streak": "1",
    "private": "on",
    "remember": "on",
    "screen": "main",
    "invite": "A" * 43,
    "next": "/",
    "all": "1",
}
QUERY_NAMES = ("since", "before", "period", "metric", "all", "from", "to", "next", "invite", "call", "v")
JSON_NAMES = ("endpoint", "keys", "items", "client_id", "kind", "outcome", "occurred_at")
# Routes that end the visitor's session or seat: walked after every other route, so the rest is walked logged in.
LAST = {"auth.logout", "teams.leave", "teams.remove_member", "teams.hand_coach_role", "settings.password"}


def value_of(name: str):
    """A field's value: missing, working (twice as likely, so the others get through), or hostile."""
    working = WORKING.get(name)
    choices = [st.just(MISSING), HOSTILE] + ([st.just(working)] * 2 if working is not None else [])
    return st.one_of(*choices)


JSON_VALUE = st.recursive(
    st.one_of(HOSTILE, st.integers(min_value=-(2**70), max_value=2**70), st.none(), st.booleans()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
# Built once: hypothesis spends its time on a strategy's first use, not on drawing from it again.
QUERY = st.fixed_dictionaries({name: value_of(name) for name in QUERY_NAMES})
FORM = st.fixed_dictionaries({name: value_of(name) for name in WORKING})
BODY = st.one_of(st.none(), st.fixed_dictionaries({}, optional=dict.fromkeys(JSON_NAMES, JSON_VALUE)))
PATH_PART = st.one_of(st.just(MISSING), HOSTILE)  # MISSING here stands for the working value
REQUEST = st.tuples(st.lists(PATH_PART, min_size=3, max_size=3), QUERY, FORM, BODY, st.booleans())


def present(values: dict) -> dict:
    return {name: value for name, value in values.items() if value is not MISSING}


def build(rule, known: dict, drawn) -> tuple[str, dict, object, bool]:
    """The URL (path parts filled, quoted, and the query), the form, the JSON body and "as htmx" of a request."""
    parts, query, form, body, htmx = drawn
    path = rule.rule
    for name, part in zip(sorted(rule.arguments), parts, strict=False):
        raw = str(known.get(name, "1")) if part is MISSING else part
        pattern = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?" + name + ">")
        path = pattern.sub(quote(raw, safe="") or "%20", path)
    query = present(query)
    return path + ("?" + urlencode(query) if query else ""), present(form), body, htmx


def fingerprint() -> dict:
    """Every row of every table (a device's "last seen" aside: a visit is not a change)."""
    with db.engine.connect() as conn:
        return {
            table.name: sorted(
                repr(tuple(v for c, v in row._mapping.items() if c != "last_seen_at"))
                for row in conn.execute(table.select())
            )
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def world(app):
    """A coach and a member in a team with a call, a win, a post, a reward, a reset, an invite and a TV link."""
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, "Night Owls")
    member = new_rep(app, "member@example.com", "Max Member")
    join(member, invite_token(coach, team_id))
    member.tap("sale", client_id=CALL_ID)
    coach.tap("not_interested", client_id=CALL_ID)
    member.post(f"/teams/{team_id}/messages", data={"body": "first post"})
    member.post("/rewards", data={"label": "tea", "metric": "dials", "threshold": "3"})
    member.post("/resets", data={"kind": "walk", "minutes": "1"})
    token = tv_token(coach, team_id)
    invite = invite_token(coach, team_id)
    with app.app_context():
        known = {
            "team_id": team_id,
            "user_id": 2,
            "invite_id": 1,
            "reward_id": db.session.scalar(select(Reward.id)),
            "reset_id": db.session.scalar(select(Reset.id)),
            "time_off_id": 1,
            "item_id": 1,
            "device_id": 1,
            "client_id": CALL_ID,
            "key": f"w{db.session.scalar(select(Win.id))}",
            "token": token,
            "kind": "daily_nudge",
            "filename": "css/app.css",
        }
        assert db.session.scalar(select(TeamMessage.id)) is not None
    return {
        "visitors": {"anonymous": Visitor(app.test_client()), "rep": member, "coach": coach},
        "known": known,
        "invite": invite,
    }


def send(visitor: Visitor, method: str, url: str, form: dict, body, *, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        return visitor.get(url, headers=headers)
    if url.startswith("/api/") and body is not None:
        return visitor.post(url, headers=headers, json=body)
    return visitor.post(url, headers=headers, data=form)


def test_no_route_answers_5xx_and_no_refused_request_changes_the_database(app, world):
    rules = sorted(
        app.url_map.iter_rules(), key=lambda rule: (rule.endpoint == "auth.logout", rule.endpoint in LAST, rule.rule)
    )
    # Each visitor walks every route and method in turn, EXAMPLES requests each: one hypothesis run draws them all.
    targets = [
        (role, rule, method)
        for role in ("anonymous", "rep", "coach")
        for rule in rules
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        for _ in range(EXAMPLES)
    ]
    problems: list[str] = []
    walked = 0
    with app.app_context():
        state = fingerprint()

    @settings(
        max_examples=len(targets),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=REQUEST)
    def walk(drawn):
        nonlocal walked, state
        role, rule, method = targets[walked % len(targets)]
        walked += 1
        url, form, body, htmx = build(rule, world["known"], drawn)
        response = send(world["visitors"][role], method, url, form, body, htmx=htmx)
        response.close()  # a static file's handle too
        status = response.status_code
        if status >= 500:
            problems.append(f"{role} {method} {url[:200]!r} form={form!r:.300} json={body!r:.200}: {status}")
        with app.app_context():
            before, state = state, fingerprint()
        if 400 <= status < 500 and state != before:
            problems.append(f"{role} {method} {url[:200]!r}: {status} but the database changed")

    walk()
    assert walked == len(targets)  # every route, as each visitor
    assert not problems, f"{len(problems)} of {walked} requests:\n" + "\n".join(problems[:40])
