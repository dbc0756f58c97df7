"""Property: any interleaving of taps, undos, replays, reviews and synced batches, run at once, leaves exact sums.

Hypothesis makes a few lanes of actions over a small pool of client ids (so
replays, undos of unknown calls and double undos happen often), some of them
sent by a dialer through the API with a token (so a day's dialer count moves
too, and an app tap may be undone by the dialer or the other way round); the lanes run
at the same time, each from its own browser of the same rep, against the real
routes and the real database (SQLite, and PostgreSQL with TEST_DATABASE_URL).
Afterwards every day row, lifetime total, aggregate and XP must equal the sum
over the live calls, reviews and resets, and no count may be negative.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from tests.conftest import PASSWORD, Visitor
from tests.integration.api_helpers import bearer, make_token
from tests.integration.invariants import problems
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.extensions import db
from webapp.models import User

EXAMPLES = int(os.environ.get("CLOSER_PROPERTY_EXAMPLES", "12"))
POOL = 6  # client ids shared by every lane
LANES = 3

tap = st.tuples(st.just("tap"), st.sampled_from(OUTCOME_CODES), st.integers(0, POOL - 1), st.sampled_from([0, 0, 1]))
undo = st.tuples(st.just("undo"), st.integers(0, POOL - 1))
by_dialer = st.tuples(
    st.sampled_from(["api_tap", "api_undo"]), st.sampled_from(OUTCOME_CODES), st.integers(0, POOL - 1)
)
review = st.tuples(st.just("review"), st.integers(0, POOL - 1))
batch = st.tuples(
    st.just("sync"),
    st.lists(
        st.tuples(st.sampled_from(["tap", "undo"]), st.sampled_from(OUTCOME_CODES), st.integers(0, POOL - 1)),
        max_size=6,
    ),
)
lanes = st.lists(
    st.lists(st.one_of(tap, tap, undo, review, batch, by_dialer), min_size=1, max_size=8),
    min_size=LANES,
    max_size=LANES,
)


def _fresh_rep(app) -> None:
    """Empty tables and one rep with a cheap password hash (hypothesis runs this per example)."""
    with app.app_context():
        tables = list(reversed(db.metadata.sorted_tables))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                db.session.execute(table.delete())
        db.session.add(
            User(
                email="rep@example.com",
                display_name="Rita Rep",
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                timezone="Pacific/Auckland",
                working_days="0,1,2,3,4,5,6",
            )
        )
        db.session.commit()


def _run_lane(visitor: Visitor, actions, ids: list[str], token: str, barrier: threading.Barrier, errors: list) -> None:
    barrier.wait()
    now = datetime.now(UTC)
    for action in actions:
        kind = action[0]
        if kind == "tap":
            _, outcome, index, days_ago = action
            if days_ago:
                item = {"client_id": ids[index], "kind": "tap", "outcome": outcome,
                        "occurred_at": (now - timedelta(days=days_ago)).isoformat()}  # fmt: skip
                response = visitor.post("/api/v1/sync", json={"items": [item]})
            else:
                response = visitor.tap(outcome, ids[index])
        elif kind == "undo":
            response = visitor.post(f"/calls/{ids[action[1]]}/undo", htmx=True)
        elif kind in ("api_tap", "api_undo"):
            _, outcome, index = action
            item = {"client_id": ids[index], "kind": kind[4:], "outcome": outcome}
            response = visitor.client.post("/api/v1/sync", json={"items": [item]}, headers=bearer(token))
        elif kind == "review":
            response = visitor.post(f"/calls/{ids[action[1]]}/review", data={"objection": "no_budget"}, htmx=True)
        else:
            items = [
                {"client_id": ids[i], "kind": k, "outcome": o, "occurred_at": now.isoformat()} for k, o, i in action[1]
            ]
            response = visitor.post("/api/v1/sync", json={"items": items})
        if response.status_code >= 500:
            errors.append(f"{action}: {response.status_code}")


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(plan=lanes)
def test_any_interleaving_leaves_every_sum_equal_to_its_calls(app, plan):
    _fresh_rep(app)
    ids = [str(uuid.uuid4()) for _ in range(POOL)]
    visitors = []
    for _ in range(LANES):
        visitor = Visitor(app.test_client())
        assert visitor.login().status_code == 303
        visitor.refresh_token()
        visitors.append(visitor)
    token = make_token(visitors[0])
    barrier, errors = threading.Barrier(LANES), []
    threads = [
        threading.Thread(target=_run_lane, args=(visitor, actions, ids, token, barrier, errors))
        for visitor, actions in zip(visitors, plan, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with app.app_context():
        assert problems() == []
