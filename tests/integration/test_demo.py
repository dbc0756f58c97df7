"""The demo data a fresh `make run` shows: plausible, consistent, and only on an empty database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Call, CallReview, DailyTotal, User
from webapp.services.demo import DEMO_REPS, seed_if_empty


def test_demo_reps_get_two_weeks_of_consistent_history_and_reviews(app):
    now = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    with app.test_request_context():
        assert seed_if_empty("closer-demo-1", now=now) == len(DEMO_REPS)
        assert seed_if_empty("closer-demo-1", now=now) == 0  # never twice, never over real users
        days = db.session.scalar(select(func.count(func.distinct(Call.local_date))))
        assert 9 <= days <= 12  # weekdays of the last two weeks
        calls = db.session.scalar(select(func.count()).select_from(Call))
        assert db.session.scalar(select(func.sum(DailyTotal.dials))) == calls
        demo = db.session.scalar(select(User).where(User.email == "demo@closer.test"))
        assert db.session.scalar(select(func.count()).where(CallReview.user_id == demo.id)) > 0


def test_the_demo_rep_sees_objections_on_the_insights_page(app):
    from tests.conftest import Visitor

    with app.test_request_context():
        seed_if_empty("closer-demo-1")
    visitor = Visitor(app.test_client())
    assert visitor.login("demo@closer.test", "closer-demo-1").status_code == 303
    html = visitor.get("/insights").get_data(as_text=True)
    assert "No objections reviewed yet" not in html
    assert "No budget" in html
