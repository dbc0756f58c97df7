"""The worker's minute: reminders on time and once, even with two workers on one database; a real queue end to end."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.integration.notify_helpers import subscribe, user_id
from tests.integration.team_helpers import new_rep
from webapp import worker
from webapp.domain.notification_copy import WORDINGS
from webapp.domain.streaks import local_day
from webapp.extensions import db
from webapp.models import InboxItem, User, utcnow
from webapp.services.notifications import inbox

LONDON = "Europe/London"


def today_in_london() -> date:
    return local_day(utcnow(), LONDON)


def at(hh_mm: str, day: date | None = None) -> datetime:
    hours, minutes = (int(p) for p in hh_mm.split(":"))
    return datetime.combine(day or today_in_london(), time(hours, minutes), tzinfo=ZoneInfo(LONDON)).astimezone(UTC)


def every_day_is_working(app, email="rep@example.com", **streak):
    """The rep works every day (so the test runs any day of the week), with ``streak`` settled through yesterday."""
    with app.app_context():
        user = db.session.get(User, user_id(app, email))
        user.working_days = "0,1,2,3,4,5,6"
        if streak:
            user.streak_as_of = today_in_london() - timedelta(days=1)
            user.streak_current, user.streak_freezes = streak["current"], streak.get("freezes", 0)
            user.goal_dials = streak.get("goal", 20)
        db.session.commit()


def reminders(app, email="rep@example.com"):
    with app.app_context():
        return [
            (i.kind, i.ref, i.title, i.body)
            for i in db.session.scalars(
                select(InboxItem).where(InboxItem.user_id == user_id(app, email)).order_by(InboxItem.id)
            )
        ]


def minute(app, now):
    with app.app_context():
        worker.run_minute(now)


def test_the_start_nudge_goes_at_the_reps_time_and_only_once(app, rep):
    every_day_is_working(app)
    minute(app, at("09:14"))
    assert reminders(app) == []
    minute(app, at("09:15"))
    minute(app, at("09:16"))
    ((kind, ref, title, _),) = reminders(app)
    assert (kind, ref) == ("start_nudge", f"start_nudge:{today_in_london()}:0")
    assert title in {w.title for w in WORDINGS["start_nudge"]}


def test_no_nudge_to_a_rep_already_dialling(app, rep):
    every_day_is_working(app)
    rep.tap("no_answer")
    minute(app, at("09:15"))
    assert reminders(app) == []


def test_the_streak_warning_says_how_many_dials_are_left(app, rep):
    every_day_is_working(app, current=5, goal=20)  # the streak's minimum: 10 dials
    for _ in range(2):
        rep.tap("voicemail")
    minute(app, at("19:59"))
    assert reminders(app) == []
    minute(app, at("20:00"))
    ((kind, _, title, body),) = reminders(app)
    assert kind == "streak_risk" and "8 dials" in title + body


def test_no_streak_warning_when_a_freeze_would_cover_the_day(app, rep):
    every_day_is_working(app, current=5, freezes=1)
    minute(app, at("20:00"))
    assert reminders(app) == []


def test_a_snoozed_reminder_comes_back_an_hour_later_if_still_needed(app, rep):
    every_day_is_working(app)
    minute(app, at("09:15"))
    with app.app_context():
        item_id = db.session.scalar(select(InboxItem.id))
        inbox.snooze(user_id(app), item_id, now=at("09:20"))
    minute(app, at("10:19"))
    assert len(reminders(app)) == 1
    minute(app, at("10:20"))
    assert [ref for _, ref, _, _ in reminders(app)] == [
        f"start_nudge:{today_in_london()}:0",
        f"start_nudge:{today_in_london()}:1",
    ]


def test_two_workers_running_the_same_minute_send_each_reminder_once(push_on, rep, standin):
    every_day_is_working(push_on)
    subscribe(rep, standin)
    for n in range(3):
        other = new_rep(push_on, f"rep{n}@example.com", f"Rep {n}", tz=LONDON)
        every_day_is_working(push_on, f"rep{n}@example.com")
        subscribe(other, standin)
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait(timeout=10)
            minute(push_on, at("09:15"))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with push_on.app_context():
        assert db.session.scalar(select(func.count()).select_from(InboxItem)) == 4
    received = standin.wait_for(4)
    minute(push_on, at("09:16"))
    assert len(received) == 4
    assert len({r.path for r in received}) == 4


@pytest.fixture(params=["sqlite"] + (["redis"] if os.environ.get("TEST_REDIS_URL") else []))
def real_queue(request, push_on, tmp_path):
    """The worker's queue on real storage (a SQLite file, or Redis), as ``flask worker`` uses it."""
    push_on.config.update(TASK_QUEUE_IMMEDIATE=False, TASK_QUEUE_FILE=str(tmp_path / "tasks.db"), REDIS_URL=None)
    if request.param == "redis":
        push_on.config["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    worker.bind(push_on)
    worker.queue.flush()
    yield worker.queue
    worker.queue.flush()
    push_on.config.update(TASK_QUEUE_IMMEDIATE=True, REDIS_URL=None)
    worker.bind(push_on)


def test_one_worker_tick_end_to_end_enqueue_consume_and_send(push_on, rep, standin, real_queue):
    browser = subscribe(rep, standin)
    with push_on.app_context():
        inbox.post(user_id(push_on), "coach_note", "Nice work", "Ten dials before lunch.")
    worker.every_minute()  # what the consumer's scheduler enqueues each minute
    assert len(real_queue) == 1 and standin.received == []
    ran = []
    while (task := real_queue.dequeue()) is not None:
        ran.append(type(task).__name__)
        real_queue.execute(task)
    assert ran == ["every_minute", "deliver_push"]
    (request,) = standin.wait_for(1)
    assert browser.decrypt(request.body)["title"] == "Nice work"


def test_the_minute_is_scheduled_every_minute():
    periodic = {type(task).__name__ for task in worker.queue.read_periodic(datetime(2026, 3, 2, 9, 15))}
    assert periodic == {"every_minute"}
