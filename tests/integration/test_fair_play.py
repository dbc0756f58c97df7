"""Fair play through the write path: fast "No answer" runs stop earning after the allowance, live or synced,
and the rep sees why. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from webapp.domain.fair_play import ALLOWANCE
from webapp.extensions import db
from webapp.models import Call, DailyTotal, User
from webapp.services.calls import Tap, record_call, record_calls


def rita(app) -> User:
    return db.session.scalar(select(User).where(User.email == "rep@example.com"))


def points_in_order(user: User) -> list[int]:
    return list(db.session.scalars(select(Call.points).where(Call.user_id == user.id).order_by(Call.occurred_at)))


def test_live_taps_faster_than_a_call_stop_earning_after_the_allowance(app, rep):
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with app.app_context():
        user = rita(app)
        for n in range(10):
            record_call(user, "no_answer", uuid.uuid4(), now + timedelta(seconds=2 * n), now=now + timedelta(minutes=1))
        assert points_in_order(user) == [1] * (1 + ALLOWANCE) + [0] * (9 - ALLOWANCE)
        day = db.session.scalar(select(DailyTotal).where(DailyTotal.user_id == user.id))
        assert day.dials == 10 and day.points == 1 + ALLOWANCE  # still dials; no points past the allowance


def test_a_calling_pace_earns_every_point(app, rep):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    with app.app_context():
        user = rita(app)
        for n in range(10):
            record_call(
                user, "no_answer", uuid.uuid4(), start + timedelta(seconds=20 * n), now=start + timedelta(hours=1)
            )
        assert points_in_order(user) == [1] * 10


def test_a_synced_batch_follows_the_same_rule_and_a_slow_tap_starts_afresh(app, rep):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    fast = [Tap("no_answer", uuid.uuid4(), start + timedelta(seconds=n)) for n in range(8)]
    later = [Tap("no_answer", uuid.uuid4(), start + timedelta(seconds=60 + n)) for n in range(2)]
    with app.app_context():
        user = rita(app)
        record_calls(user, fast[:3], now=start + timedelta(hours=1))
        record_calls(user, fast[3:] + later, now=start + timedelta(hours=1))  # the run goes on across batches
        assert points_in_order(user) == [1] * 6 + [0] * 2 + [1] * 2


def test_the_rep_sees_why_a_tap_earned_nothing(app, rep):
    for _ in range(ALLOWANCE + 1):
        assert "data-fair-play" not in rep.tap("no_answer").get_data(as_text=True)
    html = rep.tap("no_answer").get_data(as_text=True)
    assert "data-fair-play" in html and "faster than one every 15 seconds" in html
