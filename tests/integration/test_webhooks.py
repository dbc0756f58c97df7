"""Team webhooks: signed deliveries a receiver on 127.0.0.1 verifies, retries then giving up, the address check."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp import worker
from webapp.domain.webhooks import SIGNATURE_HEADER, verify
from webapp.extensions import db
from webapp.models import WebhookDelivery
from webapp.services.integrations import webhook_delivery


class Receiver:
    """A webhook receiver on 127.0.0.1 that checks each signature, answering ``status``."""

    def __init__(self, status: int = 200):
        self.status = status
        self.secret = ""
        self.received: list[dict] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if verify(receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body, int(time.time())):
                    receiver.received.append({**json.loads(body), "_event_id": self.headers["Closer-Event-Id"]})
                else:
                    receiver.bad_signatures += 1
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def coach(app):
    app.config.update(WEBHOOK_ALLOW_PRIVATE=True)  # the receiver is on this machine
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    coach.team_id = make_team(coach)
    return coach


def add_hook(coach, url: str, events=("meeting", "sale", "badge", "challenge"), slack=False):
    data = {"url": url, "events": list(events)}
    if slack:
        data["slack"] = "on"
    response = coach.post(f"/teams/{coach.team_id}/webhooks", data=data)
    assert response.status_code == 201, response.get_data(as_text=True)
    return re.search(r'id="new-webhook-secret"[^>]*value="(whsec_[^"]+)"', response.get_data(as_text=True)).group(1)


def run_worker(app) -> None:
    """One minute of the worker (tasks it queues run at once in tests)."""
    with app.app_context():
        worker.run_minute()


def _deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_meeting_reaches_the_team_chat_signed_and_in_words(app, coach, receiver):
    receiver.secret = add_hook(coach, receiver.url, slack=True)
    sam = new_rep(app, "sam@example.com", "Sam Seller")
    join(sam, invite_token(coach, coach.team_id))
    sam.tap("meeting")
    sam.tap("no_answer")  # not an event this webhook hears
    assert receiver.received == []  # the tap never waits on the receiver
    run_worker(app)
    assert receiver.bad_signatures == 0
    (event,) = [e for e in receiver.received if e["type"] == "meeting"]
    assert event["text"] == "Sam Seller booked a meeting"
    assert event["id"].startswith("evt_") and event["id"] == event["_event_id"]
    assert event["data"]["rep"]["display_name"] == "Sam Seller" and event["team_id"] == coach.team_id
    assert {d.state for d in _deliveries(app)} == {"sent"}
    page = coach.get(f"/teams/{coach.team_id}/webhooks").get_data(as_text=True)
    assert "meeting" in page and "sent" in page and "whsec_" not in page


def test_the_test_button_sends_at_once_and_the_coach_sees_the_status(app, coach, receiver):
    receiver.secret = add_hook(coach, receiver.url)
    with app.app_context():
        from webapp.models import TeamWebhook

        hook_id = db.session.scalars(select(TeamWebhook.id)).one()
    response = coach.post(f"/teams/{coach.team_id}/webhooks/{hook_id}/test")
    assert response.status_code == 303
    assert [e["type"] for e in receiver.received] == ["test"]
    assert "sent" in coach.get(f"/teams/{coach.team_id}/webhooks").get_data(as_text=True)


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(app, coach, receiver):
    receiver.status = 500
    receiver.secret = add_hook(coach, receiver.url, events=["sale"])
    app.config.update(WEBHOOK_RETRY_BASE_SECONDS=0.05, WEBHOOK_GIVE_UP_SECONDS=3)
    coach.tap("sale")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        run_worker(app)
        states = {d.state for d in _deliveries(app)}
        if states == {"failed"}:
            break
        assert states <= {"queued", "failed"}, states
        time.sleep(0.02)
    (delivery,) = _deliveries(app)
    assert delivery.state == "failed" and delivery.attempts >= 3
    assert delivery.last_status == 500
    assert len(receiver.received) == delivery.attempts  # each attempt arrived, signed, with one event id
    assert len({e["id"] for e in receiver.received}) == 1
    assert "failed" in coach.get(f"/teams/{coach.team_id}/webhooks").get_data(as_text=True)


def test_a_slow_receiver_times_out_and_is_retried(app, coach, receiver):
    receiver.secret = add_hook(coach, receiver.url, events=["sale"])
    app.config.update(WEBHOOK_TIMEOUT_SECONDS=0.2)
    stalled = threading.Event()
    original = receiver.server.RequestHandlerClass.do_POST

    def slow(handler):
        stalled.wait(2)
        original(handler)

    receiver.server.RequestHandlerClass.do_POST = slow
    coach.tap("sale")
    started = time.monotonic()
    run_worker(app)
    assert time.monotonic() - started < 1.5
    stalled.set()
    (delivery,) = _deliveries(app)
    assert delivery.state == "queued" and delivery.last_error == "ReadTimeout"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "http://localhost/x",
    ],
)
def test_addresses_inside_the_network_are_refused_unless_allowed(app, coach, url):
    app.config.update(WEBHOOK_ALLOW_PRIVATE=False)
    response = coach.post(f"/teams/{coach.team_id}/webhooks", data={"url": url, "events": ["sale"]})
    assert response.status_code == 422
    assert "private" in response.get_data(as_text=True)
    assert _deliveries(app) == []


def test_a_name_that_later_resolves_inside_is_refused_at_send_time(app, coach, receiver):
    add_hook(coach, receiver.url, events=["sale"])
    app.config.update(WEBHOOK_ALLOW_PRIVATE=False)
    coach.tap("sale")
    run_worker(app)
    assert receiver.received == []
    (delivery,) = _deliveries(app)
    assert delivery.state == "queued" and "private" in delivery.last_error


def test_only_the_coach_manages_webhooks(app, coach):
    member = new_rep(app, "m@example.com", "Mo Member")
    join(member, invite_token(coach, coach.team_id))
    assert member.get(f"/teams/{coach.team_id}/webhooks").status_code == 403
    assert (
        member.post(f"/teams/{coach.team_id}/webhooks", data={"url": "http://x", "events": ["sale"]}).status_code == 403
    )
    outsider = new_rep(app, "o@example.com", "Oz Outsider")
    assert outsider.get(f"/teams/{coach.team_id}/webhooks").status_code == 404


def test_each_delivery_is_sent_once_even_with_two_workers(app, coach, receiver):
    receiver.secret = add_hook(coach, receiver.url, events=["sale"])
    coach.tap("sale")
    with app.app_context():
        first = webhook_delivery.claim_due()
        second = webhook_delivery.claim_due()
    assert len(first) == 1 and second == []
