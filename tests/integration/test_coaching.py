"""Resilience coaching through the app: the ten-second review, "That was tough", resets, closer to yes."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.team_helpers import make_team
from webapp.domain.encouragement import LINES, Moment
from webapp.domain.resilience import RESET_POINTS, RESETS_REWARDED_PER_DAY
from webapp.domain.reviews import REVIEW_POINTS
from webapp.extensions import db
from webapp.models import CallReview, EarnedBadge, Reset, ReviewWeek, ToughCall, User, Win
from webapp.services.calls import record_call
from webapp.services.coaching import resets
from webapp.services.coaching.after_call import closer_to_yes_for
from webapp.services.game.totals import lifetime_of

REVIEW_ID = re.compile(r'href="/calls/([0-9a-f-]{36})/review"')


def review_offer_id(html: str) -> str | None:
    """The call id of the review offered in a tap response, if any."""
    found = REVIEW_ID.search(html)
    return found.group(1) if found else None


def tap_no(rep) -> str:
    client_id = str(uuid.uuid4())
    rep.tap("not_interested", client_id)
    return client_id


def points_today(rep) -> int:
    return rep.get("/api/v1/me/today").get_json()["points"]


def the_user(email="rep@example.com") -> User:
    return db.session.scalar(select(User).where(User.email == email))


def move_reset_start_back(app, reset_id: int, seconds: int) -> None:
    """Time passes for a reset: the test moves its server-recorded start into the past."""
    with app.app_context():
        reset = db.session.get(Reset, reset_id)
        reset.started_at = reset.started_at - timedelta(seconds=seconds)
        db.session.commit()


def start_reset(rep, kind="breathing", minutes="1") -> int:
    response = rep.post("/resets", data={"kind": kind, "minutes": minutes})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


# ---------------------------------------------------------------- the review


def test_a_no_offers_the_review_and_that_was_tough_and_other_outcomes_do_not(rep):
    html = rep.tap("not_interested").get_data(as_text=True)
    client_id = review_offer_id(html)
    assert client_id and "Review (10 s)" in html and "That was tough" in html
    sheet = rep.get(f"/calls/{client_id}/review?screen=sheet", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="sheet"' in sheet and "Ten-second review" in sheet and "Skip" in sheet
    assert "Asked the right questions?" in sheet and "Happy with current provider" in sheet
    quiet = rep.tap("voicemail").get_data(as_text=True)
    assert review_offer_id(quiet) is None
    assert "That was tough" not in quiet  # offered after a no, not after every call...
    assert "That was tough" in rep.get("/calls/recent").get_data(as_text=True)  # ...and for any call from the list


def test_a_sale_after_a_no_gets_no_comeback_consolation(rep):
    tap_no(rep)
    html = rep.tap("sale").get_data(as_text=True)
    assert not any(line in html for line in LINES[Moment.COMEBACK])
    assert "That was tough" not in html and "Logged: Sale" in html


def test_a_review_saved_from_the_sheet_empties_it_and_says_so_in_the_after_call_bar(rep):
    client_id = tap_no(rep)
    response = rep.post(f"/calls/{client_id}/review", htmx=True, data={"screen": "sheet", "objection": "no_budget"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="review-slot"' in html and f"+{REVIEW_POINTS} points" in html
    assert "<form" not in html and 'id="tally"' in html


def test_saving_a_review_takes_one_post_and_earns_points_once(app, rep):
    client_id = tap_no(rep)
    before = points_today(rep)
    response = rep.post(
        f"/calls/{client_id}/review",
        htmx=True,
        data={"screen": "main", "listened_actively": "yes", "objection": "no_budget"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"+{REVIEW_POINTS} points" in html
    assert 'id="tally"' in html and f'data-points="{before + REVIEW_POINTS}"' in html  # the tally moves at once
    assert points_today(rep) == before + REVIEW_POINTS

    edited = rep.post(
        f"/calls/{client_id}/review",
        htmx=True,
        data={"listened_actively": "no", "objection": "bad_timing", "next_time": "Ask about timing first"},
    )
    assert edited.status_code == 200 and "points" not in edited.get_data(as_text=True)
    assert points_today(rep) == before + REVIEW_POINTS
    with app.app_context():
        review = db.session.scalar(select(CallReview))
        assert (review.listened_actively, review.objection, review.next_time) == (
            False,
            "bad_timing",
            "Ask about timing first",
        )
        week = db.session.scalar(select(ReviewWeek))
        assert (week.reviews, week.no_budget, week.bad_timing) == (1, 0, 1)
        assert (week.listened_actively_yes, week.listened_actively_answered) == (0, 1)


def test_the_edit_form_shows_the_saved_answers(rep):
    client_id = tap_no(rep)
    rep.post(f"/calls/{client_id}/review", data={"timing_right": "no", "objection": "too_busy"})
    html = rep.get(f"/calls/{client_id}/review").get_data(as_text=True)
    assert 'name="timing_right" value="no" checked' in html
    assert 'name="objection" value="too_busy" checked' in html


def test_a_plain_form_review_redirects_to_recent_calls_with_a_message(rep):
    client_id = tap_no(rep)
    response = rep.post(f"/calls/{client_id}/review", data={"objection": "other"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/calls/recent")
    assert f"Review saved: +{REVIEW_POINTS} points." in rep.get("/calls/recent").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Nothing to save yet"),
        ({"objection": "too_expensive"}, "Unknown objection"),
        ({"asked_right_questions": "maybe"}, "must be yes, no or left blank"),
        ({"objection": "other", "next_time": "x" * 141}, "at most 140 characters"),
    ],
)
def test_a_bad_review_gets_a_clear_message_and_changes_nothing(app, rep, data, message):
    client_id = tap_no(rep)
    before = points_today(rep)
    response = rep.post(f"/calls/{client_id}/review", htmx=True, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert points_today(rep) == before
    with app.app_context():
        assert db.session.scalar(select(CallReview)) is None
        assert db.session.scalar(select(ReviewWeek)) is None


def test_skipping_the_review_is_one_tap_and_writes_nothing(app, rep):
    tap_no(rep)
    response = rep.get("/review/skip", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    with app.app_context():
        assert db.session.scalar(select(CallReview)) is None
    page = rep.get("/").get_data(as_text=True)
    assert review_offer_id(page) is None  # never nagged: a plain page load offers nothing


def test_reviews_of_five_objections_earn_the_objection_spotter_badge(app, rep):
    html = ""
    for objection in ("no_budget", "bad_timing", "too_busy", "not_decision_maker", "happy_with_provider"):
        html = rep.post(f"/calls/{tap_no(rep)}/review", htmx=True, data={"objection": objection}).get_data(as_text=True)
    assert "Badge: Objection spotter" in html
    with app.app_context():
        assert db.session.query(EarnedBadge).filter_by(code="objections_5").count() == 1


def test_undoing_a_reviewed_call_takes_its_review_out_of_insights(app, rep):
    client_id = tap_no(rep)
    rep.post(f"/calls/{client_id}/review", data={"objection": "no_budget", "timing_right": "yes"})
    rep.post(f"/calls/{client_id}/undo", htmx=True)
    with app.app_context():
        week = db.session.scalar(select(ReviewWeek))
        assert (week.reviews, week.no_budget, week.timing_right_answered) == (0, 0, 0)
    assert rep.get(f"/calls/{client_id}/review").status_code == 404


# ---------------------------------------------------------------- one rep never sees another's


def test_another_reps_calls_and_resets_answer_404(app, rep):
    client_id = tap_no(rep)
    reset_id = start_reset(rep)
    other = rep.__class__(app.test_client())
    other.register(email="other@example.com", name="Otto Other")
    assert other.get(f"/calls/{client_id}/review").status_code == 404
    assert other.post(f"/calls/{client_id}/review", data={"objection": "other"}).status_code == 404
    assert other.post(f"/calls/{client_id}/tough", htmx=True).status_code == 404
    assert other.post(f"/calls/{client_id}/tough/share").status_code == 404
    assert other.get(f"/resets/{reset_id}").status_code == 404
    assert other.post(f"/resets/{reset_id}/finish").status_code == 404
    assert other.get("/calls/not-a-uuid/review").status_code == 404
    assert client_id not in other.get("/calls/recent").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CallReview)) is None
        assert db.session.scalar(select(ToughCall)) is None


def test_coaching_pages_need_a_login(visitor):
    for url in ("/calls/recent", "/insights", "/big-picture", "/resets/new"):
        assert visitor.get(url).status_code == 302


# ---------------------------------------------------------------- recent calls


def test_recent_calls_lists_today_and_yesterday_with_review_and_tough(app, rep):
    now = datetime.now(UTC)
    with app.test_request_context():
        user = the_user()
        record_call(user, "voicemail", uuid.uuid4(), now - timedelta(days=3), now=now)
        yesterday = record_call(user, "sale", uuid.uuid4(), now - timedelta(days=1), now=now).call
        yesterday_id = str(yesterday.client_id)
    today_id = tap_no(rep)
    undone_id = tap_no(rep)
    rep.post(f"/calls/{undone_id}/undo", htmx=True)
    rep.post(f"/calls/{today_id}/review", data={"objection": "other"})
    html = rep.get("/calls/recent").get_data(as_text=True)
    assert today_id in html and yesterday_id in html and undone_id not in html
    assert "Voicemail" not in html  # three days ago
    assert "Edit review" in html and "Yesterday" in html and "That was tough" in html
    assert "style=" not in html


# ---------------------------------------------------------------- that was tough


def test_share_with_your_team_is_offered_to_a_rep_with_a_team(rep):
    make_team(rep)
    html = rep.post(f"/calls/{tap_no(rep)}/tough", htmx=True).get_data(as_text=True)
    assert 'Share "tough call survived" with your team' in html


def test_that_was_tough_is_one_tap_with_a_kind_line_and_a_reset(app, rep):
    rep.tap("voicemail")
    client_id = tap_no(rep)
    html = rep.post(f"/calls/{client_id}/tough", htmx=True).get_data(as_text=True)
    assert "coach-line" in html and "Box breathing" in html and "Walk" in html
    assert 'Share "tough call survived"' not in html  # no team to share it with
    rep.post(f"/calls/{client_id}/tough", htmx=True)  # twice is still one mark
    with app.app_context():
        assert db.session.query(ToughCall).count() == 1


def test_sharing_a_tough_call_writes_one_team_feed_win(app, rep):
    client_id = tap_no(rep)
    rep.post(f"/calls/{client_id}/tough", htmx=True)
    for _ in range(2):
        response = rep.post(f"/calls/{client_id}/tough/share", htmx=True)
        assert response.status_code == 200 and "Shared" in response.get_data(as_text=True)
    with app.app_context():
        wins = db.session.scalars(select(Win).where(Win.kind == "tough")).all()
        assert [(w.ref, w.title) for w in wins] == [(f"tough:{client_id}", "Tough call survived")]
        assert db.session.scalar(select(ToughCall)).shared_at is not None
    assert "Tough call survived" in rep.get("/wins").get_data(as_text=True)


def test_the_kind_lines_vary_from_one_tough_call_to_the_next(rep):
    lines = []
    for _ in range(4):
        html = rep.post(f"/calls/{tap_no(rep)}/tough", htmx=True).get_data(as_text=True)
        lines.append(re.search(r'class="coach-line">([^<]+)<', html).group(1))
    assert len(set(lines)) == 4


# ---------------------------------------------------------------- a run of no's


def test_a_reset_is_offered_after_three_nos_in_a_row_by_default(rep):
    first, second = rep.tap("not_interested"), rep.tap("voicemail")  # a voicemail neither ends nor adds to the run
    assert "no's in a row" not in first.get_data(as_text=True) + second.get_data(as_text=True)
    assert "no's in a row" not in rep.tap("not_interested").get_data(as_text=True)
    third = rep.tap("not_interested").get_data(as_text=True)
    assert "3 no's in a row" in third and "A short reset?" in third
    rep.tap("conversation")
    assert "no's in a row" not in rep.tap("not_interested").get_data(as_text=True)


def test_the_reset_threshold_is_a_setting(app, rep):
    assert rep.post("/settings/resets", data={"reset_after_nos": "2"}).status_code == 303
    rep.tap("not_interested")
    assert "2 no's in a row" in rep.tap("not_interested").get_data(as_text=True)
    assert 'value="2" selected' in rep.get("/settings").get_data(as_text=True)


@pytest.mark.parametrize("value", ["0", "11", "lots", ""])
def test_a_bad_reset_threshold_changes_nothing(app, rep, value):
    response = rep.post("/settings/resets", data={"reset_after_nos": value})
    assert response.status_code == 422 and "from 1 to 10" in response.get_data(as_text=True)
    with app.app_context():
        assert the_user().reset_after_nos == 3


# ---------------------------------------------------------------- resets


def test_a_reset_finished_on_time_is_logged_and_rewarded(app, rep):
    before = points_today(rep)
    reset_id = start_reset(rep, "walk", "1")
    page = rep.get(f"/resets/{reset_id}").get_data(as_text=True)
    assert "Walk · 1 min" in page and "reset.js" in page and "style=" not in page
    move_reset_start_back(app, reset_id, 60)
    response = rep.post(f"/resets/{reset_id}/finish")
    assert response.status_code == 303
    done = rep.get(f"/resets/{reset_id}").get_data(as_text=True)
    assert f"Reset done: +{RESET_POINTS} points." in done and "coach-line" in done
    assert points_today(rep) == before + RESET_POINTS
    rep.post(f"/resets/{reset_id}/finish")  # a second Done changes nothing
    assert points_today(rep) == before + RESET_POINTS


def test_finishing_a_reset_before_half_its_time_is_refused_kindly_and_changes_nothing(app, rep):
    reset_id = start_reset(rep, "breathing", "4")
    move_reset_start_back(app, reset_id, 60)
    response = rep.post(f"/resets/{reset_id}/finish")
    html = response.get_data(as_text=True)
    # About a minute to go, however long the request itself took.
    assert response.status_code == 422 and re.search(r"Nearly there: (1 min|5\d seconds) to go\.", html)
    assert "once half the time has passed" in html
    with app.app_context():
        reset = db.session.get(Reset, reset_id)
        assert (reset.finished_at, reset.points) == (None, 0)
        assert lifetime_of(the_user()).resets == 0


def test_i_am_ready_is_accepted_once_half_the_reset_has_passed(app, rep):
    before = points_today(rep)
    reset_id = start_reset(rep, "walk", "2")
    move_reset_start_back(app, reset_id, 60)  # half of two minutes
    assert rep.post(f"/resets/{reset_id}/finish").status_code == 303
    assert f"Reset done: +{RESET_POINTS} points." in rep.get(f"/resets/{reset_id}").get_data(as_text=True)
    assert points_today(rep) == before + RESET_POINTS


def test_just_before_half_time_i_am_ready_is_refused(app, rep):
    reset_id = start_reset(rep, "stretch", "2")
    move_reset_start_back(app, reset_id, 50)
    response = rep.post(f"/resets/{reset_id}/finish")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and re.search(r"Nearly there: (10|\d) seconds? to go\.", html)
    with app.app_context():
        assert db.session.get(Reset, reset_id).finished_at is None


def test_the_reset_page_tells_its_script_the_half_way_moment_the_server_enforces(app, rep):
    reset_id = start_reset(rep, "breathing", "3")
    html = rep.get(f"/resets/{reset_id}").get_data(as_text=True)
    started = int(html.split('data-started-at="', 1)[1].split('"', 1)[0])
    ready = int(html.split('data-ready-at="', 1)[1].split('"', 1)[0])
    ends = int(html.split('data-ends-at="', 1)[1].split('"', 1)[0])
    assert ready - started == 90_000 and ends - started == 180_000
    assert "I&#39;m ready" in html or "I'm ready" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "nap", "minutes": "2"}, "Choose a breathing break, a stretch or a walk."),
        ({"kind": "walk", "minutes": "6"}, "Choose 1 to 5 minutes."),
        ({"kind": "walk", "minutes": "two"}, "Choose 1 to 5 minutes."),
    ],
)
def test_a_bad_reset_choice_gets_a_clear_message(app, rep, data, message):
    response = rep.post("/resets", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Reset).count() == 0


def test_resets_are_rewarded_up_to_the_daily_cap_and_always_counted(app, rep):
    start = datetime.now(UTC).replace(microsecond=0)
    with app.test_request_context():
        user = the_user()
        earned = []
        for i in range(RESETS_REWARDED_PER_DAY + 2):
            began = start + timedelta(minutes=3 * i)
            reset = resets.start_reset(user, "stretch", 1, now=began)
            earned.append(resets.finish_reset(user, reset.id, now=began + timedelta(seconds=60)).reset.points)
        assert earned == [RESET_POINTS] * RESETS_REWARDED_PER_DAY + [0, 0]
        assert lifetime_of(user).resets == RESETS_REWARDED_PER_DAY + 2
        assert db.session.query(EarnedBadge).filter_by(code="resets_5").count() == 1


def test_a_reset_never_touches_the_streak(app, rep):
    rep.tap("no_answer")
    streak_before = rep.get("/api/v1/me/summary").get_json()["streak"]
    reset_id = start_reset(rep)
    move_reset_start_back(app, reset_id, 61)
    rep.post(f"/resets/{reset_id}/finish")
    assert rep.get("/api/v1/me/summary").get_json()["streak"] == streak_before


def test_taking_a_reset_without_javascript_works_from_the_tough_call_page(rep):
    client_id = tap_no(rep)
    response = rep.post(f"/calls/{client_id}/tough")
    assert response.status_code == 303 and "/resets/new" in response.headers["Location"]
    page = rep.get(response.headers["Location"]).get_data(as_text=True)
    assert "Take a reset" in page
    assert any(line.replace("'", "&#39;") in page for line in LINES[Moment.AFTER_TOUGH_CALL])


# ---------------------------------------------------------------- closer to yes


def test_closer_to_yes_says_honestly_when_there_is_too_little_history(rep):
    html = rep.tap("not_interested").get_data(as_text=True)
    assert "Not enough calls yet to estimate" in html
    assert "<meter" not in html.split('id="after-call"')[1].split("</section>")[0]


def test_closer_to_yes_uses_the_reps_last_30_days(app, rep):
    # 60 dials and 3 follow-ups: about 1 yes every 20 dials; the no at the end is 11 dials after the last one.
    outcomes = (
        ["no_answer"] * 20
        + ["follow_up"]
        + ["no_answer"] * 18
        + ["follow_up"]
        + ["no_answer"] * 8
        + ["follow_up"]
        + ["no_answer"] * 10
    )
    now = datetime.now(UTC)
    with app.test_request_context():
        user = the_user()
        for i, outcome in enumerate(outcomes):
            when = now - timedelta(minutes=5 * (len(outcomes) - i))
            record_call(user, outcome, uuid.uuid4(), when, now=now)
    html = rep.tap("not_interested").get_data(as_text=True)
    assert "About 1 yes every 20 dials - 11 dials in." in html
    assert '<meter class="closer__meter" min="0" max="20" value="11"' in html


def test_closer_to_yes_is_read_from_days_inside_the_window_only(app, rep):
    with app.test_request_context():
        user = the_user()
        now = datetime.now(UTC)
        for i in range(60):
            record_call(
                user,
                "follow_up" if i % 10 == 0 else "no_answer",
                uuid.uuid4(),
                now - timedelta(minutes=60 - i),
                now=now,
            )
        assert closer_to_yes_for(user, now).dials_per_yes == 10
        later = now + timedelta(days=31)
        assert not closer_to_yes_for(user, later).enough_history


def test_the_review_page_says_it_varies_on_htmx_and_the_main_screen_links_to_recent_calls(rep):
    client_id = tap_no(rep)
    page = rep.get(f"/calls/{client_id}/review")
    fragment = rep.get(f"/calls/{client_id}/review", headers={"HX-Request": "true"})
    assert "HX-Request" in page.headers.get("Vary", "") and "HX-Request" in fragment.headers.get("Vary", "")
    assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    main = rep.get("/").get_data(as_text=True)
    assert 'href="/calls/recent"' in main and "style=" not in main
