"""Web Push: signed with the server's key, encrypted for the device, and tidy about dead devices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.notify_helpers import SUBJECT, server_public_key, subscribe, user_id
from tests.push_standin import verify_vapid
from webapp.extensions import db
from webapp.models import PushDelivery, PushSubscription, utcnow
from webapp.services.notifications import inbox, push
from webapp.worker import run_minute


def post_and_tick(app, uid, now=None, **item):
    now = now or utcnow()
    with app.app_context():
        inbox.post(
            uid,
            item.pop("kind", "coach_note"),
            item.pop("title", "A word from your coach"),
            item.pop("body", "Great calls today."),
            item.pop("url", "/"),
            now=now,
            **item,
        )
        run_minute(now)
    return now


def deliveries(app):
    with app.app_context():
        return [
            (d.state, d.attempts, d.last_status)
            for d in db.session.scalars(select(PushDelivery).order_by(PushDelivery.id))
        ]


def test_a_push_reaches_the_device_signed_by_the_server_and_readable_only_with_its_keys(push_on, rep, standin):
    browser = subscribe(rep, standin)
    post_and_tick(push_on, user_id(push_on), url="/teams/1#feed")
    (request,) = standin.wait_for(1)
    assert request.path.startswith("/push/")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    claims = verify_vapid(request.headers["authorization"], server_public_key(push_on))
    assert claims["aud"] == standin.origin
    assert claims["sub"] == SUBJECT
    assert claims["exp"] > utcnow().timestamp()
    message = browser.decrypt(request.body)
    assert message["title"] == "A word from your coach"
    assert message["body"] == "Great calls today."
    assert message["url"] == "/teams/1#feed"
    assert message["reminder"] is False
    assert message["icon"].startswith("/static/icons/icon-192.png")
    assert deliveries(push_on) == [("sent", 1, 201)]


def test_each_device_gets_each_item_once(push_on, rep, standin):
    phone, laptop = subscribe(rep, standin, "phone"), subscribe(rep, standin, "laptop")
    now = post_and_tick(push_on, user_id(push_on))
    with push_on.app_context():
        run_minute(now + timedelta(minutes=1))
    received = standin.wait_for(2)
    assert sorted(r.path for r in received) == ["/push/laptop", "/push/phone"]
    by_path = {r.path: r for r in received}
    assert phone.decrypt(by_path["/push/phone"].body)["title"] == laptop.decrypt(by_path["/push/laptop"].body)["title"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_forgot_is_removed(push_on, rep, standin, status):
    subscribe(rep, standin)
    standin.answer(status)
    post_and_tick(push_on, user_id(push_on))
    assert deliveries(push_on) == [("gone", 1, status)]
    with push_on.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    assert rep.get("/notifications").status_code == 200  # the item is still in the list


def test_a_busy_push_service_is_asked_again_after_its_retry_after(push_on, rep, standin):
    browser = subscribe(rep, standin)
    standin.answer(429, **{"Retry-After": "120"})
    now = post_and_tick(push_on, user_id(push_on))
    assert deliveries(push_on) == [("queued", 1, 429)]
    with push_on.app_context():
        run_minute(now + timedelta(seconds=60))  # not yet
        assert len(standin.received) == 1
        run_minute(now + timedelta(seconds=121))
    received = standin.wait_for(2)
    assert len(received) == 2
    assert browser.decrypt(received[1].body)["title"] == "A word from your coach"
    assert deliveries(push_on) == [("sent", 2, 201)]


def test_server_errors_back_off_doubling_and_give_up_after_the_last_attempt(push_on, rep, standin):
    subscribe(rep, standin)
    for _ in range(push.MAX_ATTEMPTS):
        standin.answer(503)
    sent_at = utcnow()
    post_and_tick(push_on, user_id(push_on), now=sent_at)
    waits = []
    with push_on.app_context():
        for _ in range(push.MAX_ATTEMPTS - 1):
            due = db.session.scalar(select(PushDelivery.next_attempt_at))
            waits.append(round((due - sent_at).total_seconds()))
            db.session.rollback()
            run_minute(due - timedelta(seconds=1))  # a second early: nothing goes
            sent_at = utcnow()
            run_minute(due)
    assert waits == [30, 60, 120, 240, 480]
    assert len(standin.received) == push.MAX_ATTEMPTS
    assert deliveries(push_on) == [("failed", push.MAX_ATTEMPTS, 503)]


def test_two_workers_claim_a_delivery_once(push_on, rep, standin):
    subscribe(rep, standin)
    now = utcnow()
    with push_on.app_context():
        inbox.post(user_id(push_on), "coach_note", "Hello", now=now)
        first = push.claim_due(now)
        second = push.claim_due(now)
    assert len(first) == 1 and second == []


def test_without_a_key_push_is_off_and_the_list_still_works(app, rep, standin):
    response = rep.post("/api/v1/push/subscriptions", json={"endpoint": standin.endpoint(), "keys": {}})
    assert response.status_code == 409
    assert "Push is off" in rep.get("/settings").get_data(as_text=True)
    with app.app_context():
        inbox.post(user_id(app), "coach_note", "Still here", now=utcnow())
        run_minute()
    assert standin.received == []
    assert "Still here" in rep.get("/notifications").get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"endpoint": "not a url", "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://push.example/abc", "keys": {"p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
        {"endpoint": "https://push.example/abc"},
        ["a", "list"],
    ],
)
def test_a_malformed_subscription_is_refused_with_a_reason(push_on, rep, body):
    response = rep.post("/api/v1/push/subscriptions", json=body)
    assert response.status_code == 422
    assert response.get_json()["message"]
    with push_on.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_turning_the_switch_off_forgets_only_this_browser(push_on, rep, standin):
    phone, laptop = subscribe(rep, standin, "phone"), subscribe(rep, standin, "laptop")
    assert rep.post("/api/v1/push/subscriptions/remove", json={"endpoint": phone.endpoint}).status_code == 204
    with push_on.app_context():
        assert list(db.session.scalars(select(PushSubscription.endpoint))) == [laptop.endpoint]
