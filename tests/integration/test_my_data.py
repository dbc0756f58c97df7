"""A rep's own data: the download's contents, and an export imported back exactly once."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.conftest import Visitor
from webapp.extensions import db
from webapp.models import Call, DailyTotal, User


def _download(rep) -> zipfile.ZipFile:
    response = rep.get("/settings/data/closer-export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_download_holds_every_kind_as_csv_and_one_json_with_both_times(app, rep):
    rep.tap("no_answer")
    rep.tap("meeting")
    archive = _download(rep)
    assert set(archive.namelist()) == {
        "calls.csv",
        "reviews.csv",
        "resets.csv",
        "badges.csv",
        "wins.csv",
        "closer-export.json",
    }
    document = json.loads(archive.read("closer-export.json"))
    assert document["format"] == "closer-export" and document["rep"]["timezone"] == "Europe/London"
    assert [c["outcome"] for c in document["calls"]] == ["no_answer", "meeting"]
    first = document["calls"][0]
    assert first["occurred_at_utc"].endswith("Z")
    local = datetime.fromisoformat(first["occurred_at_local"])
    assert local == datetime.fromisoformat(first["occurred_at_utc"].replace("Z", "+00:00"))
    assert local.utcoffset() in (timedelta(0), timedelta(hours=1))  # London, winter or summer
    rows = list(csv.DictReader(io.StringIO(archive.read("calls.csv").decode())))
    assert [r["outcome"] for r in rows] == ["no_answer", "meeting"]
    assert set(rows[0]) >= {"client_id", "occurred_at_utc", "occurred_at_local", "local_date", "points", "source"}
    assert document["badges"] and document["wins"]  # a first call earns a badge; a meeting is a win
    assert rep.get("/settings/data/closer-export.json").get_json()["calls"][1]["outcome"] == "meeting"


def test_an_export_imported_twice_on_another_server_counts_once(app, rep, tmp_path):
    rep.tap("sale")
    rep.tap("conversation")
    rep.tap("voicemail")
    exported = rep.get("/settings/data/closer-export.json").data
    document = json.loads(exported)
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat().replace("+00:00", "Z")
    document["calls"].append({**document["calls"][0], "client_id": "8a1c1a6e-0d3b-4b8e-9d64-3f3c2b8f0a11"})
    document["calls"][-1]["occurred_at_utc"] = old  # older than the sync window: history still comes
    payload = json.dumps(document).encode()

    mover = Visitor(app.test_client())
    mover.register(email="mover@example.com", name="Mo Mover")
    for _attempt in range(2):
        response = mover.post("/settings/data/import", data={"export": (io.BytesIO(payload), "closer-export.json")})
        assert response.status_code == 303
    with app.app_context():
        mover_id = db.session.scalar(select(User.id).where(User.email == "mover@example.com"))
        calls = list(db.session.scalars(select(Call).where(Call.user_id == mover_id)))
        assert sorted(c.outcome for c in calls) == ["conversation", "sale", "sale", "voicemail"]
        assert {c.source for c in calls} == {"import"}
        dials = db.session.scalar(select(func.sum(DailyTotal.dials)).where(DailyTotal.user_id == mover_id))
        assert dials == 4


def test_a_file_that_is_not_an_export_is_refused_with_a_message(app, rep):
    for body in (b"not json", b'{"format": "other"}', b'{"format": "closer-export", "calls": [{"outcome": "sale"}]}'):
        response = rep.post("/settings/data/import", data={"export": (io.BytesIO(body), "x.json")})
        assert response.status_code == 422
        assert "field__error" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_imported_history_is_no_news_for_the_team(app):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep
    from webapp.models import TeamNews

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    mover = new_rep(app, "mover@example.com", "Mo Mover")
    join(mover, invite_token(coach, team_id))
    document = {
        "format": "closer-export",
        "calls": [
            {
                "client_id": "0b5f7f1e-7d1a-4c11-9a53-51d6f0e2b0a1",
                "outcome": "sale",
                "occurred_at_utc": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
            }
        ],
    }
    body = json.dumps(document).encode()
    assert mover.post("/settings/data/import", data={"export": (io.BytesIO(body), "e.json")}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 1
        assert db.session.scalars(select(TeamNews)).all() == []
