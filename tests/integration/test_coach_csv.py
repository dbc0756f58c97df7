"""The coach's CSV: local time in the team's timezone beside UTC, and the review's columns.
Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.integration.team_helpers import make_team
from webapp.domain.reviews import Objection, ReviewInput
from webapp.extensions import db
from webapp.models import TeamMember, User
from webapp.services.calls import record_call
from webapp.services.coaching.reviews import save_review


def test_the_csv_has_local_time_and_the_review_columns(app, rep):
    team_id = make_team(rep, "East", tz="America/New_York")
    when = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)  # 10:30 in New York
    with app.test_request_context():
        rita = db.session.scalar(select(User).where(User.email == "rep@example.com"))
        db.session.get(TeamMember, rita.id).joined_at = when - timedelta(days=30)
        db.session.commit()
        reviewed = record_call(rita, "not_interested", uuid.uuid4(), when, now=when).call
        record_call(rita, "voicemail", uuid.uuid4(), when + timedelta(minutes=5), now=when + timedelta(minutes=5))
        answers = ReviewInput(asked_right_questions=True, listened_actively=False, objection=Objection.NO_BUDGET)
        save_review(rita, str(reviewed.client_id), answers, now=when + timedelta(minutes=1))
    body = rep.get(f"/teams/{team_id}/coach/calls.csv?from=2026-11-25&to=2026-11-25").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["time_utc"], r["time_local"]) for r in rows] == [
        ("2026-11-25T15:30:00Z", "2026-11-25 10:30:00"),
        ("2026-11-25T15:35:00Z", "2026-11-25 10:35:00"),
    ]
    assert (rows[0]["asked_right_questions"], rows[0]["listened_actively"], rows[0]["timing_right"]) == (
        "yes",
        "no",
        "",
    )
    assert rows[0]["objection"] == "No budget"
    assert all(rows[1][c] == "" for c in ("asked_right_questions", "listened_actively", "timing_right", "objection"))
