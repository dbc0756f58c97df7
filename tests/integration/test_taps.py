"""The tap loop: log, see the day move, undo, replay, backfill, and refuse bad input."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from webapp.domain.outcomes import OUTCOME_CODES, points_for
from webapp.extensions import db
from webapp.models import Call, DailyTotal, User

BUTTONS = [
    "No answer",
    "Voicemail",
    "Gatekeeper",
    "Not interested",
    "Conversation",
    "Follow-up",
    "Meeting booked",
    "Sale",
]


def today(rep) -> dict:
    return rep.get("/api/v1/me/today").get_json()


def test_the_main_screen_shows_eight_outcome_buttons_in_order(rep):
    html = rep.get("/").get_data(as_text=True)
    positions = [html.index(f'aria-label="{label}"') for label in BUTTONS]
    assert positions == sorted(positions)
    assert "Dials today" in html and "Points today" in html
    assert "No calls yet today" in html


def test_a_tap_returns_its_row_and_the_tally_as_fragments(rep):
    rep.tap("voicemail")
    client_id = str(uuid.uuid4())
    response = rep.tap("not_interested", client_id)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    # Only the new call's row, put on top of the list the page already shows.
    assert '<ol hx-swap-oob="afterbegin:#recent-list">' in html
    assert html.count('class="recent__item') == 1 and f'data-client-id="{client_id}"' in html
    assert "Not interested" in html and "Voicemail" not in html.split("recent-list")[1].split("</ol>")[0]
    assert 'id="tally"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="stat__value" data-tally="dials">2</span>' in html
    points = points_for("voicemail") + points_for("not_interested")
    assert f'<span class="stat__value" data-tally="points">{points}</span>' in html


def test_today_json_counts_every_outcome(rep):
    for code in ["no_answer", "no_answer", "sale", "meeting"]:
        rep.tap(code)
    body = today(rep)
    assert body["dials"] == 4
    assert body["points"] == 2 * points_for("no_answer") + points_for("sale") + points_for("meeting")
    assert body["by_outcome"] == {**dict.fromkeys(OUTCOME_CODES, 0), "no_answer": 2, "sale": 1, "meeting": 1}
    assert datetime.fromisoformat(body["date"])


def test_the_same_client_id_twice_records_one_call_and_succeeds(app, rep):
    client_id = str(uuid.uuid4())
    assert rep.tap("conversation", client_id).status_code == 200
    again = rep.tap("conversation", client_id)
    assert again.status_code == 200
    # A replay adds no row: the answer sends the whole list, which holds the call once.
    html = again.get_data(as_text=True)
    assert 'id="recent" class="recent" aria-labelledby="recent-title" hx-swap-oob="true"' in html
    assert "afterbegin:#recent-list" not in html and html.count(f'data-client-id="{client_id}"') == 1
    assert today(rep)["dials"] == 1
    with app.app_context():
        assert db.session.query(Call).count() == 1


def test_undo_takes_the_dial_and_points_out_of_every_count(rep):
    keep, mistake = str(uuid.uuid4()), str(uuid.uuid4())
    rep.tap("voicemail", keep)
    rep.tap("sale", mistake)
    response = rep.post(f"/calls/{mistake}/undo", htmx=True)
    assert response.status_code == 200
    assert "undone" in response.get_data(as_text=True)
    body = today(rep)
    assert (body["dials"], body["points"]) == (1, points_for("voicemail"))
    assert body["by_outcome"]["sale"] == 0
    # Undoing again, or replaying the undone tap, changes nothing.
    rep.post(f"/calls/{mistake}/undo", htmx=True)
    rep.tap("sale", mistake)
    assert today(rep)["dials"] == 1


def test_undo_of_an_unknown_call_is_a_clear_404(rep):
    response = rep.post(f"/calls/{uuid.uuid4()}/undo", htmx=True)
    assert response.status_code == 404
    assert "no such call" in response.get_data(as_text=True)


def test_a_rep_cannot_undo_another_reps_call(app, rep):
    from tests.conftest import Visitor

    client_id = str(uuid.uuid4())
    rep.tap("sale", client_id)
    other = Visitor(app.test_client())
    other.register(email="other@example.com", name="Other")
    assert other.post(f"/calls/{client_id}/undo", htmx=True).status_code == 404
    assert today(rep)["dials"] == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"outcome": "hung_up"}, "Unknown outcome"),
        ({"outcome": ""}, "Unknown outcome"),
        ({"outcome": "sale", "client_id": "not-a-uuid"}, "must be a UUID"),
    ],
)
def test_bad_taps_get_a_clear_message_and_write_nothing(app, rep, data, message):
    response = rep.post("/calls", htmx=True, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#tap-status"
    with app.app_context():
        assert db.session.query(Call).count() == 0
        assert db.session.query(DailyTotal).count() == 0


def _add(rep, day, at, outcome="conversation", client_id=None):
    return rep.post(
        "/calls/add", data={"day": day, "time": at, "outcome": outcome, "client_id": client_id or str(uuid.uuid4())}
    )


def test_a_forgotten_call_from_yesterday_counts_on_yesterday(app, rep):
    assert _add(rep, "yesterday", "10:15").status_code == 303
    assert today(rep)["dials"] == 0
    with app.app_context():
        row = db.session.query(DailyTotal).one()
        user = db.session.query(User).one()
        from webapp.services.today import today_for

        assert row.local_date == today_for(user) - timedelta(days=1)
        call = db.session.query(Call).one()
        assert call.occurred_at.tzinfo is not None


def test_a_forgotten_call_in_the_future_is_refused(app, rep):
    from zoneinfo import ZoneInfo

    later = (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=1)).strftime("%H:%M")
    if later < "01:00":
        pytest.skip("an hour from now is tomorrow; the form only offers today and yesterday")
    response = _add(rep, "today", later)
    assert response.status_code == 422
    assert "in the future" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Call).count() == 0


@pytest.mark.parametrize(
    "day, at, message", [("today", "25:99", "Enter the time"), ("last week", "10:00", "today or yesterday")]
)
def test_a_forgotten_call_with_bad_input_is_refused(app, rep, day, at, message):
    response = _add(rep, day, at)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_calls_outside_the_sync_window_are_refused(app, rep):
    from webapp.services.calls import CallRejected, record_call

    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.query(User).one()
        with pytest.raises(CallRejected, match="more than 7 days old"):
            record_call(user, "sale", uuid.uuid4(), now - timedelta(days=8), now=now)
        with pytest.raises(CallRejected, match="in the future"):
            record_call(user, "sale", uuid.uuid4(), now + timedelta(minutes=30), now=now)
        with pytest.raises(CallRejected, match="timezone"):
            record_call(user, "sale", uuid.uuid4(), datetime(2026, 1, 1), now=now)
        assert db.session.query(Call).count() == 0


def test_aggregates_equal_the_sums_over_calls_after_random_taps_and_undos(app, rep):
    rng = random.Random(2026)
    live: list[str] = []
    for _ in range(60):
        if live and rng.random() < 0.3:
            rep.post(f"/calls/{live.pop(rng.randrange(len(live)))}/undo", htmx=True)
        else:
            client_id = str(uuid.uuid4())
            rep.tap(rng.choice(OUTCOME_CODES), client_id)
            live.append(client_id)
    with app.app_context():
        kept = select(Call).where(Call.undone_at.is_(None)).subquery()
        dials, points = db.session.execute(select(func.count(), func.coalesce(func.sum(kept.c.points), 0))).one()
        per_outcome = dict(db.session.execute(select(kept.c.outcome, func.count()).group_by(kept.c.outcome)).all())
        rows = db.session.query(DailyTotal).all()
        assert sum(r.dials for r in rows) == dials == len(live)
        assert sum(r.points for r in rows) == points
        for code in OUTCOME_CODES:
            assert sum(getattr(r, code) for r in rows) == per_outcome.get(code, 0)


def test_a_plain_form_tap_without_javascript_still_logs_and_redirects(rep):
    response = rep.post("/calls", data={"outcome": "gatekeeper"})
    assert response.status_code == 303
    assert today(rep)["by_outcome"]["gatekeeper"] == 1
