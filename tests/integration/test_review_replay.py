"""A review saved on a device waits in its outbox with an id made there and may be sent more than once
(an answer lost on the way, a retry after a reload): the server saves it exactly once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from tests.integration.test_coaching import points_today, tap_no
from webapp.domain.reviews import REVIEW_POINTS
from webapp.extensions import db
from webapp.models import CallReview, ReviewWeek

JSON = {"Accept": "application/json"}


def send_from_outbox(rep, call_id: str, review_id: str, **answers):
    """What the outbox's replay sends: the form's fields, the review's id, and Accept: JSON."""
    return rep.post(f"/calls/{call_id}/review", htmx=True, headers=JSON, data={**answers, "review_id": review_id})


def the_review(app) -> CallReview:
    with app.app_context():
        review = db.session.scalar(select(CallReview))
        db.session.expunge(review)
        return review


def the_week(app) -> tuple[int, int, int, int]:
    with app.app_context():
        week = db.session.scalar(select(ReviewWeek))
        return week.reviews, week.bad_timing, week.no_budget, week.listened_actively_yes


def test_a_review_replayed_from_the_outbox_is_saved_once_and_earns_its_points_once(app, rep):
    call_id, review_id = tap_no(rep), str(uuid.uuid4())
    before = points_today(rep)
    first = send_from_outbox(rep, call_id, review_id, listened_actively="yes", objection="bad_timing")
    assert (first.status_code, first.get_json()) == (200, {"status": "accepted", "points": REVIEW_POINTS})
    saved = the_review(app)

    for _ in range(2):  # the answer was lost: the outbox sends it again, and again after a reload
        again = send_from_outbox(rep, call_id, review_id, listened_actively="yes", objection="bad_timing")
        assert (again.status_code, again.get_json()) == (200, {"status": "duplicate", "points": 0})
    assert points_today(rep) == before + REVIEW_POINTS
    assert the_week(app) == (1, 1, 0, 1)
    with app.app_context():
        assert db.session.query(CallReview).count() == 1
    replayed = the_review(app)
    assert (replayed.client_id, replayed.updated_at, replayed.points) == (uuid.UUID(review_id), saved.updated_at, 3)


def test_a_late_replay_never_overwrites_an_edit_made_since(app, rep):
    call_id, review_id = tap_no(rep), str(uuid.uuid4())
    send_from_outbox(rep, call_id, review_id, objection="bad_timing")
    edited = rep.post(f"/calls/{call_id}/review", htmx=True, data={"objection": "no_budget"})  # another device
    assert edited.status_code == 200
    late = send_from_outbox(rep, call_id, review_id, objection="bad_timing")
    assert late.get_json()["status"] == "duplicate"
    assert the_review(app).objection == "no_budget"
    assert the_week(app) == (1, 0, 1, 0)


def test_a_second_review_of_the_same_call_is_an_edit_and_earns_nothing_again(app, rep):
    call_id = tap_no(rep)
    before = points_today(rep)
    send_from_outbox(rep, call_id, str(uuid.uuid4()), objection="bad_timing")
    second = send_from_outbox(rep, call_id, str(uuid.uuid4()), objection="no_budget")
    assert second.get_json() == {"status": "accepted", "points": 0}
    assert points_today(rep) == before + REVIEW_POINTS
    assert (the_review(app).objection, the_week(app)) == ("no_budget", (1, 0, 1, 0))


def test_the_review_of_a_call_undone_before_it_arrived_answers_404_and_writes_nothing(app, rep):
    call_id = tap_no(rep)
    rep.post(f"/calls/{call_id}/undo", htmx=True)
    response = send_from_outbox(rep, call_id, str(uuid.uuid4()), objection="bad_timing")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CallReview)) is None


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Nothing to save yet"),
        ({"objection": "too_expensive"}, "Unknown objection"),
        ({"objection": "other", "review_id": "not-a-uuid"}, "not one this app makes"),
    ],
)
def test_a_review_the_server_refuses_says_why_in_json_and_changes_nothing(app, rep, answers, message):
    call_id = tap_no(rep)
    data = {"review_id": str(uuid.uuid4()), **answers}
    response = rep.post(f"/calls/{call_id}/review", htmx=True, headers=JSON, data=data)
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_review" and message in response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(CallReview)) is None


def test_the_sheet_and_the_page_still_get_html(rep):
    call_id = tap_no(rep)
    sheet = rep.post(f"/calls/{call_id}/review", htmx=True, data={"screen": "sheet", "objection": "other"})
    assert sheet.mimetype == "text/html" and 'id="review-slot"' in sheet.get_data(as_text=True)
