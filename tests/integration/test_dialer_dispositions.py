"""A dialer's disposition URL: mapped codes logged once, unmapped ones kept until the rep maps them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.integration.api_helpers import make_token
from webapp.extensions import db
from webapp.models import Call, PendingDialerCall


def _dispo(client, token: str, **query):
    return client.get(f"/api/v1/dialer/{token}/disposition", query_string=query)


def _outcomes(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(c.outcome, c.source) for c in db.session.scalars(select(Call).order_by(Call.id))]


def test_the_page_shows_the_url_to_paste_into_the_dialer(app, rep):
    response = rep.post("/settings/integrations/tokens", data={"name": "VICIdial", "scope": "write"})
    page = response.get_data(as_text=True)
    match = re.search(r'id="new-token-dispo"[^>]*value="([^"]+)"', page)
    assert match and "/api/v1/dialer/closer_pat_" in match.group(1)
    assert "dispo=--A--dispo--B--&amp;call_id=--A--uniqueid--B--" in match.group(1)


def test_a_mapped_code_is_logged_once_as_its_outcome(app, rep):
    token = make_token(rep, "VICIdial")
    client = app.test_client()
    first = _dispo(client, token, dispo="NI", call_id="1700000000.1")
    assert first.status_code == 200
    assert first.get_json() == {"status": "accepted", "code": "NI", "outcome": "not_interested"}
    assert _dispo(client, token, dispo="ni", call_id="1700000000.1").get_json()["status"] == "duplicate"
    assert _dispo(client, token, dispo="SALE", call_id="1700000000.2").get_json()["outcome"] == "sale"
    assert _outcomes(app) == [("not_interested", "dialer"), ("sale", "dialer")]


def test_an_unmapped_code_waits_and_is_logged_when_the_rep_maps_it(app, rep):
    token = make_token(rep)
    client = app.test_client()
    when = int((datetime.now(UTC) - timedelta(minutes=30)).timestamp())
    answer = _dispo(client, token, dispo="DEMO", call_id="c-1", occurred_at=str(when)).get_json()
    assert answer["status"] == "pending" and "not mapped" in answer["reason"]
    assert _dispo(client, token, dispo="DEMO", call_id="c-1").get_json()["status"] == "duplicate"
    assert _outcomes(app) == []
    page = rep.get("/settings/integrations").get_data(as_text=True)
    assert 'name="outcome-DEMO"' in page and "dispositions__waiting" in page
    saved = rep.post("/settings/integrations/dispositions", data={"outcome-DEMO": "meeting"})
    assert saved.status_code == 303
    assert _outcomes(app) == [("meeting", "dialer")]
    with app.app_context():
        assert db.session.scalars(select(PendingDialerCall)).all() == []
        call = db.session.scalars(select(Call)).one()
        assert int(call.occurred_at.timestamp()) == when
    # The dialer retrying after the mapping changes nothing.
    assert _dispo(client, token, dispo="DEMO", call_id="c-1").get_json()["status"] == "duplicate"
    assert len(_outcomes(app)) == 1


def test_the_rep_can_change_a_default_and_unmap_one(app, rep):
    token = make_token(rep)
    client = app.test_client()
    rep.post("/settings/integrations/dispositions", data={"outcome-NI": "conversation", "outcome-A": ""})
    assert _dispo(client, token, dispo="NI", call_id="x1").get_json()["outcome"] == "conversation"
    assert _dispo(client, token, dispo="A", call_id="x2").get_json()["status"] == "pending"
    rep.post("/settings/integrations/dispositions", data={"new_code": "hotlead", "new_outcome": "follow_up"})
    assert _dispo(client, token, dispo="HOTLEAD", call_id="x3").get_json()["outcome"] == "follow_up"


def test_a_read_token_or_a_bad_request_logs_nothing(app, rep):
    read = make_token(rep, scope="read")
    client = app.test_client()
    assert _dispo(client, read, dispo="SALE", call_id="1").status_code == 403
    write = make_token(rep, "w")
    assert _dispo(client, write, dispo="SALE").status_code == 422
    assert _dispo(client, write, dispo="NOT OK", call_id="1").status_code == 422
    assert _dispo(client, write, dispo="SALE", call_id="1", occurred_at="noon").status_code == 422
    assert _dispo(client, "closer_pat_" + "x" * 43, dispo="SALE", call_id="1").status_code == 401
    assert rep.post("/settings/integrations/dispositions", data={"outcome-NI": "bogus"}).status_code == 422
    assert _outcomes(app) == []


def test_the_coach_maps_a_code_for_the_team_and_a_members_own_mapping_wins(app):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    sam = new_rep(app, "sam@example.com", "Sam Seller")
    kim = new_rep(app, "kim@example.com", "Kim Keen")
    for rep in (sam, kim):
        join(rep, invite_token(coach, team_id))
    sam_token, kim_token = make_token(sam), make_token(kim)
    client = app.test_client()
    assert _dispo(client, sam_token, dispo="DEMO", call_id="s1").get_json()["status"] == "pending"
    page = coach.get(f"/teams/{team_id}/dispositions").get_data(as_text=True)
    assert 'name="outcome-DEMO"' in page and "dispositions__waiting" in page
    kim.post("/settings/integrations/dispositions", data={"outcome-NI": "conversation"})

    saved = coach.post(f"/teams/{team_id}/dispositions", data={"outcome-DEMO": "meeting", "outcome-NI": "gatekeeper"})
    assert saved.status_code == 303
    assert _outcomes(app) == [("meeting", "dialer")]  # Sam's waiting call, logged by the team's mapping
    assert _dispo(client, sam_token, dispo="NI", call_id="s2").get_json()["outcome"] == "gatekeeper"
    assert _dispo(client, kim_token, dispo="NI", call_id="k1").get_json()["outcome"] == "conversation"
    assert sam.get(f"/teams/{team_id}/dispositions").status_code == 403
