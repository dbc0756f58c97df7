"""Teams through the app: membership and roles, invites, boards, the feed, high-fives, challenges,
the coach view, CSV, TV links and the JSON board. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep, tv_token
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.domain.ranking import Metric, Period
from webapp.extensions import db
from webapp.models import (
    DailyTotal,
    EarnedBadge,
    HighFive,
    PlayerTotals,
    Team,
    TeamChallenge,
    TeamInvite,
    TeamMember,
    TeamMessage,
    User,
    Win,
)
from webapp.services.calls import record_call, undo_call
from webapp.services.teams import boards as board_service
from webapp.services.teams import challenges, feed, links, seats

# ---------------------------------------------------------------- helpers


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def add_quiet_reps(team_id: int, names: list[str], tz="Europe/London", joined_at=LONG_AGO) -> list[int]:
    """Members created straight in the database (no password hashing), for long boards; they joined long ago."""
    ids = []
    for name in names:
        user = User(
            email=f"{name.lower().replace(' ', '.')}@example.com", display_name=name, password_hash="!", timezone=tz
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(
            TeamMember(user_id=user.id, team_id=team_id, role="member", private_mode=False, joined_at=joined_at)
        )
        ids.append(user.id)
    db.session.commit()
    return ids


def set_day(uid: int, day: date, dials=0, points=0, **outcomes) -> None:
    """A day row as the write path would leave it (for board tests that need many reps)."""
    counts = {**dict.fromkeys(OUTCOME_CODES, 0), **outcomes}
    row = DailyTotal(user_id=uid, local_date=day, dials=dials, points=points, bounce_backs=0, goal_met=False, **counts)
    db.session.merge(row)
    db.session.commit()


def board_values(board) -> list[tuple[int, str, int]]:
    return [(row.rank, row.name, row.value) for row in board.rows]


# ---------------------------------------------------------------- membership and roles


def test_creating_a_team_makes_the_creator_its_coach(app, rep, team_id):
    with app.app_context():
        team = db.session.get(Team, team_id)
        member = db.session.get(TeamMember, user_id("rep@example.com"))
        assert (team.name, team.timezone, member.team_id, member.role) == (
            "Night Owls",
            "Europe/London",
            team_id,
            "coach",
        )
    assert rep.get("/teams").headers["Location"] == f"/teams/{team_id}"
    assert "Coach" in rep.get(f"/teams/{team_id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "timezone": "Europe/London"}, "Give the team a name"),
        ({"name": "x" * 61, "timezone": "Europe/London"}, "Give the team a name"),
        ({"name": "Owls", "timezone": "Mars/Olympus"}, "Choose the team&#39;s timezone"),
    ],
)
def test_a_bad_team_gets_a_clear_message_and_nothing_is_created(app, rep, data, message):
    response = rep.post("/teams", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 0


def test_a_rep_in_a_team_cannot_start_a_second_one(app, rep, team_id):
    response = rep.post("/teams", data={"name": "Second", "timezone": "UTC"})
    assert response.status_code == 422 and "Leave it first" in response.get_data(as_text=True)


def test_an_invite_joins_a_logged_in_rep_only_after_one_confirmation(app, rep, team_id):
    token = invite_token(rep, team_id)
    other = new_rep(app, "mo@example.com", "Mo Mate")
    page = other.get(f"/join/{token}")
    assert page.status_code == 200 and "Join Night Owls" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")) is None
    response = join(other, token)
    assert response.headers["Location"] == "/"  # a new member lands on Today, not on a board at 0
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")).role == "member"


def test_opening_an_invite_link_joins_nothing_until_the_rep_confirms(app, rep, team_id, visitor):
    token = invite_token(rep, team_id)
    page = visitor.get(f"/join/{token}").get_data(as_text=True)
    assert "Create an account" in page and "Log in to join" in page
    # The next registration in this browser, without the confirmation, joins no team.
    visitor.register(email="new@example.com", name="Nia New")
    with app.app_context():
        assert db.session.get(TeamMember, user_id("new@example.com")) is None


def test_the_register_page_from_an_invite_names_the_team_and_asks_to_confirm(app, rep, team_id, visitor):
    token = invite_token(rep, team_id)
    join_page = visitor.get(f"/join/{token}").get_data(as_text=True)
    register_url = re.search(r'href="(/register\?invite=[^"]+)"', join_page).group(1)
    page = visitor.get(register_url.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'<input[^>]*type="checkbox"[^>]*name="invite"[^>]*value="{token}"[^>]*checked', page)
    assert "Join Night Owls" in page


def test_a_confirmed_invite_lands_the_new_rep_in_the_team_and_the_first_login_on_today(app, rep, team_id, visitor):
    token = invite_token(rep, team_id)
    response = visitor.register(email="new@example.com", name="Nia New", log_in=False, invite=token)
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.get(TeamMember, user_id("new@example.com")).team_id == team_id
    first = visitor.login(email="new@example.com")
    assert first.status_code == 303 and first.headers["Location"] == "/"


def test_a_confirmed_invite_with_an_existing_email_joins_nothing(app, rep, team_id, visitor):
    token = invite_token(rep, team_id)
    new_rep(app, "mo@example.com", "Mo Mate")
    response = visitor.register(email="mo@example.com", name="Not Mo", log_in=False, invite=token)
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")) is None


def test_an_invite_withdrawn_before_registering_just_skips_the_team(app, rep, team_id, visitor):
    token = invite_token(rep, team_id)
    with app.app_context():
        invite_id = db.session.scalar(select(TeamInvite.id))
    rep.post(f"/teams/{team_id}/invites/{invite_id}/revoke")
    response = visitor.register(email="new@example.com", name="Nia New", log_in=False, invite=token)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(TeamMember, user_id("new@example.com")) is None
        assert db.session.scalar(select(TeamInvite.uses)) == 0


def test_invite_tokens_are_long_random_and_stored_only_as_digests(app, rep, team_id):
    tokens = {invite_token(rep, team_id) for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 43 for t in tokens)
    with app.app_context():
        stored = set(db.session.scalars(select(TeamInvite.token_hash)))
    assert stored == {seats.token_digest(t) for t in tokens}
    assert not stored & tokens


def test_a_revoked_invite_stops_working_at_once(app, rep, team_id):
    token = invite_token(rep, team_id)
    with app.app_context():
        invite_id = db.session.scalar(select(TeamInvite.id))
    assert rep.post(f"/teams/{team_id}/invites/{invite_id}/revoke").status_code == 303
    other = new_rep(app, "mo@example.com", "Mo Mate")
    assert other.get(f"/join/{token}").status_code == 404
    join(other, token)
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")) is None


def test_an_invite_expires_after_seven_days(app, rep, team_id):
    with app.test_request_context():
        seat = seats.seat_of(db.session.get(User, user_id("rep@example.com")))
        made = datetime.now(UTC) - timedelta(days=7, minutes=1)
        token = links.create_invite(seat, made)
        assert links.invite_for(token, made + timedelta(days=6)) is not None
    other = new_rep(app, "mo@example.com", "Mo Mate")
    assert other.get(f"/join/{token}").status_code == 404
    assert join(other, token).status_code == 303
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")) is None


def test_a_rep_belongs_to_one_team_at_a_time(app, rep, team_id, mate):
    other_coach = new_rep(app, "cora@example.com", "Cora Coach")
    other_team = make_team(other_coach, "Early Birds")
    page = mate.get(f"/join/{invite_token(other_coach, other_team)}").get_data(as_text=True)
    assert "takes you out of it" in page
    join(mate, invite_token(other_coach, other_team))
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")).team_id == other_team
        assert db.session.scalar(select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team_id)) == 1
    assert mate.get(f"/teams/{team_id}").status_code == 404


def test_a_member_can_leave_and_keeps_their_own_numbers(app, rep, team_id, mate):
    mate.tap("sale")
    assert mate.post(f"/teams/{team_id}/leave").status_code == 303
    with app.app_context():
        assert db.session.get(TeamMember, user_id("mo@example.com")) is None
    assert mate.get("/api/v1/me/today").get_json()["dials"] == 1
    assert "Mo Mate" not in rep.get(f"/teams/{team_id}").get_data(as_text=True)


def test_the_coach_hands_the_role_on_before_leaving(app, rep, team_id, mate):
    response = rep.post(f"/teams/{team_id}/leave")
    assert "Hand the coach role" in rep.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        mo = user_id("mo@example.com")
        assert db.session.get(TeamMember, user_id("rep@example.com")) is not None
    assert rep.post(f"/teams/{team_id}/members/{mo}/coach").status_code == 303
    with app.app_context():
        assert db.session.get(TeamMember, mo).role == "coach"
        assert db.session.get(TeamMember, user_id("rep@example.com")).role == "member"
    assert rep.get(f"/teams/{team_id}/coach").status_code == 403
    assert mate.get(f"/teams/{team_id}/coach").status_code == 200
    assert rep.post(f"/teams/{team_id}/leave").status_code == 303


def test_the_last_one_out_closes_the_team(app, rep, team_id):
    rep.post(f"/teams/{team_id}/leave")
    with app.app_context():
        assert db.session.get(Team, team_id) is None


def test_the_coach_removes_a_member(app, rep, team_id, mate):
    with app.app_context():
        mo = user_id("mo@example.com")
    assert rep.post(f"/teams/{team_id}/members/{mo}/remove").status_code == 303
    assert mate.get(f"/teams/{team_id}").status_code == 404
    assert rep.post(f"/teams/{team_id}/members/{mo}/remove").status_code == 404


def test_a_plain_member_cannot_use_the_coachs_routes(app, rep, team_id, mate):
    with app.app_context():
        coach_id = user_id("rep@example.com")
    assert mate.get(f"/teams/{team_id}/coach").status_code == 403
    assert mate.post(f"/teams/{team_id}/members/{coach_id}/remove").status_code == 403
    assert (
        mate.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "5", "period": "week"}).status_code
        == 403
    )
    with app.app_context():
        assert db.session.get(TeamMember, coach_id).role == "coach"
        assert db.session.scalar(select(func.count()).select_from(TeamChallenge)) == 0


# ---------------------------------------------------------------- boards


def test_ties_share_a_rank_and_the_viewers_row_is_highlighted(app, rep, team_id, mate):
    for _ in range(2):
        rep.tap("no_answer")
        mate.tap("no_answer")
    html = rep.get(f"/teams/{team_id}?period=today&metric=dials").get_data(as_text=True)
    ranks = re.findall(r'aria-label="Rank (\d+)">\d+</span>\s*<span class="board__name">([^<]+)', html)
    assert ranks == [("1", "Mo Mate"), ("1", "Rita Rep ")]
    assert re.search(
        r'board__row--you" aria-current="true" data-user="\d+">\s*<span class="board__rank" aria-label="Rank 1"', html
    )
    assert html.count('aria-current="true" data-user') == 1


def test_the_viewer_far_down_a_long_board_stays_visible(app, rep, team_id):
    today = datetime.now(UTC).date()
    with app.app_context():
        ids = add_quiet_reps(team_id, [f"Rep {n:02}" for n in range(25)])
        for n, uid in enumerate(ids):
            set_day(uid, today, dials=100 + n, points=100 + n)
    rep.tap("no_answer")
    html = rep.get(f"/teams/{team_id}?period=today&metric=points").get_data(as_text=True)
    html = html[html.index('id="board"') :]  # the board itself, not the weekly league card above it
    assert html.count('<li class="board__row') == 11  # the top ten and the viewer, pinned
    assert "Your place" in html and 'aria-label="Rank 26"' in html and "See all 26" in html
    everyone = rep.get(f"/teams/{team_id}?period=today&metric=points&all=1").get_data(as_text=True)
    everyone = everyone[everyone.index('id="board"') :]
    assert everyone.count('<li class="board__row') == 26 and "Your place" not in everyone


def test_the_week_board_turns_over_at_monday_midnight_in_the_teams_timezone(app, rep):
    team_id = make_team(rep, "Coast", tz="America/Los_Angeles")
    sunday_night_la = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 21:00 Sun in LA, 05:00 Mon in London
    monday_la = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 01:00 Mon in LA
    with app.test_request_context():
        user = db.session.get(User, user_id("rep@example.com"))
        record_call(
            user,
            "no_answer",
            uuid.uuid4(),
            datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
            now=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
        )  # Sunday (London)
        record_call(user, "voicemail", uuid.uuid4(), sunday_night_la, now=sunday_night_la)  # Monday (London)
        team = db.session.get(Team, team_id)
        before = board_service.board(team, Period.WEEK, Metric.DIALS, sunday_night_la)
        after = board_service.board(team, Period.WEEK, Metric.DIALS, monday_la)
    assert (before.start, before.end, board_values(before)) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
        [(1, "Rita Rep", 1)],
    )
    assert (after.start, after.end, board_values(after)) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
        [(1, "Rita Rep", 1)],
    )
    with app.test_request_context():
        team = db.session.get(Team, team_id)
        month = board_service.board(team, Period.MONTH, Metric.DIALS, sunday_night_la)
        december = board_service.board(team, Period.MONTH, Metric.DIALS, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert board_values(month) == [(1, "Rita Rep", 2)]
    assert board_values(december) == [(1, "Rita Rep", 0)]


def test_periods_and_metrics_read_the_right_days_and_outcomes(app, rep, team_id):
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    with app.app_context():
        ann, ben = add_quiet_reps(team_id, ["Ann", "Ben"])
        set_day(ann, today, dials=10, points=40, conversation=2, meeting=1, sale=1)
        set_day(ben, today, dials=20, points=30, conversation=1)
        if monday != today:
            set_day(ben, monday, dials=5, points=5)
        set_day(ann, today - timedelta(days=40), dials=999, points=999)  # long ago: on no board
        team = db.session.get(Team, team_id)
        boards = {
            (p, m): {row.name: row.value for row in board_service.board(team, p, m).rows}
            for p in (Period.TODAY, Period.WEEK)
            for m in (Metric.POINTS, Metric.DIALS, Metric.CONVERSATIONS, Metric.MEETINGS)
        }
    assert boards[Period.TODAY, Metric.POINTS] == {"Ann": 40, "Ben": 30, "Rita Rep": 0}
    assert boards[Period.TODAY, Metric.CONVERSATIONS] == {"Ann": 4, "Ben": 1, "Rita Rep": 0}
    assert boards[Period.TODAY, Metric.MEETINGS] == {"Ann": 2, "Ben": 0, "Rita Rep": 0}
    assert boards[Period.WEEK, Metric.DIALS]["Ben"] == (25 if monday != today else 20)


def test_percent_of_own_goal_puts_different_targets_level(app, rep, team_id):
    wednesday = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    with app.app_context():
        low, high = add_quiet_reps(team_id, ["Low Target", "High Target"])
        db.session.get(User, low).goal_dials, db.session.get(User, high).goal_dials = 30, 80
        db.session.commit()
        for back in range(3):  # Mon, Tue, Wed: both exactly on their goal
            day = date(2026, 11, 25) - timedelta(days=back)
            set_day(low, day, dials=30)
            set_day(high, day, dials=80)
        result = board_service.board(db.session.get(Team, team_id), Period.WEEK, Metric.GOAL, wednesday)
    rows = {row.name: (row.rank, row.shown) for row in result.rows}
    assert rows["Low Target"] == rows["High Target"] == (1, "100%")


def test_most_improved_compares_this_week_so_far_with_the_same_days_last_week(app, rep, team_id):
    wednesday = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    with app.app_context():
        grower, steady = add_quiet_reps(team_id, ["Grower", "Steady"])
        set_day(grower, date(2026, 11, 17), dials=10)  # last Tuesday
        set_day(grower, date(2026, 11, 20), dials=500)  # last Friday: after "the same days", not counted
        set_day(grower, date(2026, 11, 24), dials=40)  # this Tuesday
        set_day(steady, date(2026, 11, 18), dials=30)
        set_day(steady, date(2026, 11, 25), dials=20)
        result = board_service.board(db.session.get(Team, team_id), Period.MONTH, Metric.IMPROVED, wednesday)
    assert [(r.rank, r.name, r.value, r.shown) for r in result.rows] == [
        (1, "Grower", 30, "+30 dials"),
        (2, "Rita Rep", 0, "level"),
        (3, "Steady", -10, "building"),
    ]
    assert result.period is Period.WEEK and result.start == date(2026, 11, 23)


def test_private_mode_takes_a_rep_off_the_boards_and_they_still_see_them(app, rep, team_id, mate):
    mate.tap("sale")
    rep.tap("no_answer")
    assert mate.post(f"/teams/{team_id}/private", data={"private": "on"}).status_code == 303
    html = mate.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "Private mode is on" in html and 'data-value="1"' in html
    assert "board__row--you" not in html
    rows = rep.get(f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=points").get_json()["rows"]
    assert rows == [{"rank": 1, "display_name": "Rita Rep", "value": 1, "dialer_calls": 0}]
    assert "Sale" in rep.get(f"/teams/{team_id}").get_data(as_text=True)  # still in the feed
    mate.post(f"/teams/{team_id}/private", data={"private": "off"})
    rows = rep.get(f"/api/v1/teams/{team_id}/leaderboard?period=today&metric=points").get_json()["rows"]
    assert [r["display_name"] for r in rows] == ["Mo Mate", "Rita Rep"]


def test_the_json_board_has_the_rows_the_page_shows(app, rep, team_id, mate):
    mate.tap("meeting")
    rep.tap("no_answer")
    body = rep.get(f"/api/v1/teams/{team_id}/leaderboard?period=week&metric=points").get_json()
    assert body["period"] == "week" and body["metric"] == "points" and body["team_id"] == team_id
    assert [(r["rank"], r["display_name"]) for r in body["rows"]] == [(1, "Mo Mate"), (2, "Rita Rep")]
    assert body["rows"][0]["value"] > body["rows"][1]["value"] > 0
    assert set(body["rows"][0]) == {"rank", "display_name", "value", "dialer_calls"}
    bad = rep.get(f"/api/v1/teams/{team_id}/leaderboard?period=year")
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_query"


def test_the_board_fragment_answers_304_until_something_changes(app, rep, team_id, mate):
    url = f"/teams/{team_id}/board?period=today&metric=dials"
    first = rep.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache, private"
    etag = first.headers["ETag"]
    again = rep.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    mate.tap("no_answer")
    changed = rep.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert 'data-value="1"' in changed.get_data(as_text=True)


def test_a_tap_moves_only_the_tapping_members_counter_not_the_teams_row(app, rep, team_id, mate):
    with app.app_context():
        before = db.session.get(Team, team_id).version
    mate.tap("no_answer")
    rep.tap("voicemail")
    with app.app_context():
        assert db.session.get(Team, team_id).version == before  # fifty reps tapping never queue on one row
        counters = dict(db.session.execute(select(TeamMember.user_id, TeamMember.activity)).all())
        assert sorted(counters.values()) == [1, 1]


def test_points_from_a_review_refresh_the_points_board(app, rep, team_id, mate):
    client_id = str(uuid.uuid4())
    mate.tap("not_interested", client_id)
    url = f"/teams/{team_id}/board?period=today&metric=points"
    etag = rep.get(url, headers={"HX-Request": "true"}).headers["ETag"]
    assert rep.get(url, headers={"HX-Request": "true", "If-None-Match": etag}).status_code == 304
    mate.post(f"/calls/{client_id}/review", htmx=True, data={"timing_right": "yes", "objection": "too_busy"})
    changed = rep.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_each_viewer_and_board_has_its_own_etag(app, rep, team_id, mate):
    url = f"/teams/{team_id}/board?period=today&metric=dials"
    assert rep.get(url).headers["ETag"] != mate.get(url).headers["ETag"]
    assert rep.get(url).headers["ETag"] != rep.get(url.replace("dials", "points")).headers["ETag"]


# ---------------------------------------------------------------- the feed and high-fives


def feed_keys(html: str) -> list[str]:
    return re.findall(r'id="feed-([wm]\d+)"', html)


def test_wins_reach_the_feed_but_personal_rewards_stay_personal(app, rep, team_id, mate):
    mate.post("/rewards", data={"label": "Secret cake", "metric": "dials", "threshold": "1"})
    mate.tap("meeting")
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "Meeting booked" in html and "Badge: First meeting" in html and "Mo Mate" in html
    assert "Secret cake" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Win).where(Win.kind == "reward")) == 1


def test_a_message_reaches_the_feed_and_earns_the_first_message_badge(app, rep, team_id, mate):
    response = mate.post(
        f"/teams/{team_id}/messages", htmx=True, data={"body": "  Asking about their Q1 plans   works! "}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="feed-live"' in html
    assert "Asking about their Q1 plans works!" in html
    assert "Badge: Say hello" in html and 'id="post-form"' in html and "hx-swap-oob" in html
    assert "Asking about their Q1 plans" in rep.get(f"/teams/{team_id}").get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(EarnedBadge.code).where(EarnedBadge.user_id == user_id("mo@example.com")))
            == "first_message"
        )


@pytest.mark.parametrize("body, message", [("   ", "Write something first"), ("x" * 281, "under 280")])
def test_an_empty_or_long_message_is_refused_and_nothing_is_posted(app, rep, team_id, body, message):
    response = rep.post(f"/teams/{team_id}/messages", htmx=True, data={"body": body})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#feed-status"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeamMessage)) == 0


def test_a_high_five_counts_once_per_member_and_says_who_gave_it(app, rep, team_id, mate):
    mate.tap("sale")
    with app.app_context():
        win = db.session.scalar(select(Win.id).where(Win.kind == "sale"))
    third = new_rep(app, "tia@example.com", "Tia Third")
    join(third, invite_token(rep, team_id))
    first = rep.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).get_data(as_text=True)
    assert "1 high-five" in first and "from Rita Rep" in first and 'aria-pressed="true"' in first
    again = rep.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).get_data(as_text=True)
    assert "1 high-five" in again
    html = third.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).get_data(as_text=True)
    assert "2 high-fives" in html and "from Rita Rep, Tia Third" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 2
        assert db.session.execute(select(func.sum(PlayerTotals.high_fives_given))).scalar() == 2


def test_a_rep_cannot_high_five_their_own_win(app, rep, team_id, mate):
    mate.tap("sale")
    with app.app_context():
        win = db.session.scalar(select(Win.id).where(Win.kind == "sale"))
    response = mate.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True)
    assert response.status_code == 409 and "let your team cheer it" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 0


def test_ten_high_fives_given_earn_the_cheerleader_badge(app, rep, team_id, mate):
    for n in range(10):
        mate.post(f"/teams/{team_id}/messages", data={"body": f"tip number {n}"})
    with app.app_context():
        ids = list(db.session.scalars(select(TeamMessage.id).order_by(TeamMessage.id)))
    responses = [rep.post(f"/teams/{team_id}/feed/m{i}/high-five", htmx=True).get_data(as_text=True) for i in ids]
    assert "Badge: Cheerleader" in responses[-1]
    assert not any("Cheerleader" in html for html in responses[:-1])


def test_undoing_a_meeting_takes_it_and_its_high_fives_out_of_the_feed(app, rep, team_id, mate):
    client_id = str(uuid.uuid4())
    mate.tap("meeting", client_id)
    with app.app_context():
        win = db.session.scalar(select(Win.id).where(Win.kind == "meeting"))
    rep.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True)
    mate.post(f"/calls/{client_id}/undo", htmx=True)
    assert f"feed-w{win}" not in rep.get(f"/teams/{team_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 0
    assert rep.post(f"/teams/{team_id}/feed/w{win}/high-five", htmx=True).status_code == 404


def test_older_feed_items_load_in_pages_with_no_gaps_or_repeats(app, rep, team_id, mate):
    same_moment = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with app.app_context():
        team_members = [user_id("rep@example.com"), user_id("mo@example.com")]
        for n in range(23):  # ties on time, across both sources
            db.session.add(
                TeamMessage(
                    team_id=team_id,
                    user_id=team_members[n % 2],
                    body=f"post {n}",
                    created_at=same_moment - timedelta(minutes=n // 3),
                )
            )
            db.session.add(
                Win(  # shared tough calls stand alone in the feed (a burst gathers badges: test_feed_bursts.py)
                    user_id=team_members[n % 2],
                    kind="tough",
                    ref=f"tough:{n}",
                    title=f"win {n}",
                    detail="",
                    occurred_at=same_moment - timedelta(minutes=n // 4),
                    local_date=same_moment.date(),
                )
            )
        db.session.commit()
        expected = db.session.scalar(select(func.count()).select_from(Win).where(Win.kind != "reward")) + 23
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    seen = feed_keys(html[html.index('id="feed-live"') :])
    cursor = re.search(r'feed/older\?before=([0-9-]+)"', html).group(1)
    pages = 0
    while cursor:
        page = rep.get(f"/teams/{team_id}/feed/older?before={cursor}", headers={"HX-Request": "true"}).get_data(
            as_text=True
        )
        seen += feed_keys(page)
        found = re.search(r'feed/older\?before=([0-9-]+)"', page)
        cursor = found.group(1) if found else None
        pages += 1
    assert pages >= 2 and "start of the team" in page
    assert len(seen) == len(set(seen)) == expected


def test_the_live_feed_keeps_everything_newer_than_the_first_page(app, rep, team_id, mate):
    for n in range(20):
        mate.post(f"/teams/{team_id}/messages", data={"body": f"post {n}"})
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    live_url = re.search(r'hx-get="(/teams/\d+/feed/live[^"]*)"', html).group(1).replace("&amp;", "&")
    first = rep.get(live_url)
    before = feed_keys(first.get_data(as_text=True))
    assert rep.get(live_url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    for n in range(5):
        mate.post(f"/teams/{team_id}/messages", data={"body": f"new post {n}"})
    after = feed_keys(rep.get(live_url, headers={"If-None-Match": first.headers["ETag"]}).get_data(as_text=True))
    assert after[5:] == before and len(after) == len(before) + 5


# ---------------------------------------------------------------- challenges


def set_challenge(coach: Visitor, team_id: int, target=5, metric="dials", period="week"):
    return coach.post(f"/teams/{team_id}/challenge", data={"metric": metric, "target": str(target), "period": period})


def test_a_challenge_bar_shows_on_every_members_main_screen(app, rep, team_id, mate):
    assert set_challenge(rep, team_id, target=500).status_code == 303
    mate.tap("no_answer")
    rep.tap("voicemail")
    for visitor in (rep, mate):
        html = visitor.get("/").get_data(as_text=True)
        assert "500 dials this week" in html and '<progress class="challenge__bar" max="500" value="2"' in html
    tap_html = mate.tap("no_answer").get_data(as_text=True)
    assert 'id="challenge"' in tap_html and 'hx-swap-oob="true" aria-label="Team challenge"' in tap_html
    assert 'value="3"' in tap_html


def test_a_rep_without_a_team_sees_no_challenge_bar(app, rep):
    html = rep.get("/").get_data(as_text=True)
    assert 'aria-label="Team challenge" hidden' in html


def test_the_tap_that_reaches_the_challenge_celebrates_and_every_member_shares_it(app, rep, team_id, mate):
    set_challenge(rep, team_id, target=3)
    rep.tap("no_answer")
    mate.tap("no_answer")
    html = mate.tap("no_answer").get_data(as_text=True)
    assert "Your dial reached the team challenge" in html and "Challenge reached!" in html
    assert "Your dial reached" not in mate.tap("no_answer").get_data(as_text=True)  # celebrated once
    coach_screen = rep.get("/").get_data(as_text=True)
    assert "Challenge reached!" in coach_screen and "Your dial reached" not in coach_screen
    feed = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "Challenge reached: 3 dials this week" in feed
    with app.app_context():
        holders = set(db.session.scalars(select(EarnedBadge.user_id).where(EarnedBadge.code == "team_challenge")))
        assert holders == {user_id("rep@example.com"), user_id("mo@example.com")}
        assert (
            db.session.scalar(select(func.count()).select_from(TeamMessage).where(TeamMessage.kind == "challenge")) == 1
        )


def test_outcomes_that_do_not_count_leave_a_meetings_challenge_alone(app, rep, team_id, mate):
    set_challenge(rep, team_id, target=2, metric="meetings", period="month")
    for _ in range(3):
        mate.tap("conversation")
    assert "of 2" in rep.get("/").get_data(as_text=True)
    mate.tap("meeting")
    assert "Challenge reached" not in mate.get("/").get_data(as_text=True)
    assert "Challenge reached!" in mate.tap("sale").get_data(as_text=True)


def test_a_challenge_already_met_when_set_is_reached_at_once(app, rep, team_id, mate):
    mate.tap("no_answer")
    set_challenge(rep, team_id, target=1)
    assert "Challenge reached!" in mate.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"metric": "dials", "target": "0", "period": "week"}, "whole number from 1"),
        ({"metric": "hugs", "target": "5", "period": "week"}, "Choose dials, conversations"),
        ({"metric": "dials", "target": "5", "period": "year"}, "Choose today, this week"),
    ],
)
def test_a_bad_challenge_gets_a_clear_message_and_nothing_changes(app, rep, team_id, data, message):
    response = rep.post(f"/teams/{team_id}/challenge", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeamChallenge)) == 0


def test_a_new_challenge_replaces_the_running_one_and_the_coach_can_end_it(app, rep, team_id, mate):
    set_challenge(rep, team_id, target=50)
    set_challenge(rep, team_id, target=20, metric="meetings", period="month")
    assert "20 meetings this month" in mate.get("/").get_data(as_text=True)
    assert "50 dials" not in mate.get("/").get_data(as_text=True)
    rep.post(f"/teams/{team_id}/challenge/end")
    assert 'aria-label="Team challenge" hidden' in mate.get("/").get_data(as_text=True)


# ---------------------------------------------------------------- the coach view and CSV


def test_the_coach_view_shows_each_members_day_week_funnel_streak_and_last_call(app, rep, team_id, mate):
    for outcome in ("no_answer", "conversation", "follow_up", "meeting", "sale"):
        mate.tap(outcome)
    html = rep.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    with app.app_context():
        mo = user_id("mo@example.com")
    card = html[html.index(f'data-user="{mo}"') :]
    card = card[: card.index("</li>\n    \n")] if "</li>\n    \n" in card else card
    assert re.search(r'data-stat="today">5<', card) and re.search(r'data-stat="week">5<', card)
    stages = dict(re.findall(r'data-stage="(\w+)"><span class="funnel__count">(\d+)', card)[:5])
    assert stages == {"dials": "5", "conversations": "4", "follow_ups": "3", "meetings": "2", "sales": "1"}
    assert re.search(r'data-stat="streak">\d+<', card) and "<time datetime=" in card


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_export_has_the_teams_calls_in_the_range_and_nothing_else(app, rep, team_id, mate):
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    outsider = new_rep(app, "out@example.com", "Otto Outsider")
    outsider.tap("sale")
    with app.test_request_context():
        mo = db.session.get(User, user_id("mo@example.com"))
        mo.display_name = '=HYPERLINK("x")'
        db.session.get(TeamMember, mo.id).joined_at = wednesday - timedelta(days=30)  # a member all along
        db.session.commit()
        for back, outcome in ((9, "sale"), (1, "no_answer"), (0, "meeting")):
            when = wednesday - timedelta(days=back)
            record_call(mo, outcome, uuid.uuid4(), when, now=when)
        undone = record_call(mo, "sale", uuid.uuid4(), wednesday, now=wednesday).call
        undo_call(mo, undone.client_id, now=wednesday)
    response = rep.get(f"/teams/{team_id}/coach/calls.csv?from=2026-11-24&to=2026-11-25")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:2] == ["date", "time_utc"] and rows[0][3:7] == ["rep", "outcome", "points", "bounce_back"]
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        ("2026-11-24", "2026-11-24T10:00:00Z", "No answer"),
        ("2026-11-25", "2026-11-25T10:00:00Z", "Meeting booked"),
    ]
    assert all(r[3] == '\'=HYPERLINK("x")' for r in rows[1:])  # a name never runs as a formula


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2026-11-25&to=2026-11-24", "comes before"),
        ("from=yesterday&to=2026-11-24", "Enter both dates"),
        ("from=2024-01-01&to=2026-01-01", "at most 366 days"),
    ],
)
def test_a_bad_csv_range_gets_a_clear_message(app, rep, team_id, query, message):
    response = rep.get(f"/teams/{team_id}/coach/calls.csv?{query}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


# ---------------------------------------------------------------- TV mode


def test_the_tv_link_shows_board_and_feed_without_a_login_and_is_read_only(app, rep, team_id, mate, visitor):
    mate.tap("sale")
    mate.post(f"/teams/{team_id}/messages", data={"body": "Still dialling"})
    token = tv_token(rep, team_id)
    page = visitor.get(f"/tv/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Night Owls" in html and "Mo Mate" in html and "Still dialling" in html
    assert "<form" not in html and "hx-post" not in html and "style=" not in html
    live = visitor.get(f"/tv/{token}/live")
    assert visitor.get(f"/tv/{token}/live", headers={"If-None-Match": live.headers["ETag"]}).status_code == 304
    with app.app_context():
        assert db.session.get(Team, team_id).tv_token_hash == seats.token_digest(token)


def test_revoking_the_tv_link_stops_it_at_once(app, rep, team_id, visitor):
    token = tv_token(rep, team_id)
    etag = visitor.get(f"/tv/{token}/live").headers["ETag"]
    rep.post(f"/teams/{team_id}/tv/revoke")
    assert visitor.get(f"/tv/{token}").status_code == 404
    gone = visitor.get(f"/tv/{token}/live", headers={"If-None-Match": etag})
    assert gone.status_code == 404 and "Night Owls" not in gone.get_data(as_text=True)


def test_a_new_tv_link_retires_the_old_one(app, rep, team_id, visitor):
    old = tv_token(rep, team_id)
    new = tv_token(rep, team_id)
    assert visitor.get(f"/tv/{old}").status_code == 404
    assert visitor.get(f"/tv/{new}").status_code == 200


# ---------------------------------------------------------------- pages hold together


def test_team_pages_have_no_inline_styles_and_say_what_they_vary_on(app, rep, team_id, mate):
    mate.tap("meeting")
    for path in (f"/teams/{team_id}", f"/teams/{team_id}/members", f"/teams/{team_id}/coach", "/teams"):
        html = rep.get(path, follow_redirects=True).get_data(as_text=True)
        assert "style=" not in html and "<script>" not in html
    response = mate.post(f"/teams/{team_id}/messages", htmx=True, data={"body": "hi"})
    assert "HX-Request" in response.headers.get("Vary", "")


def test_a_rep_without_a_team_is_offered_to_start_one(rep):
    html = rep.get("/teams").get_data(as_text=True)
    assert "Start a team" in html and "invite link" in html


def test_the_demo_reps_are_a_demo_team_coached_by_dana(app):
    from webapp.services.demo import DEMO_REPS, seed_if_empty

    with app.test_request_context():
        sunday = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # no history to replay: a quick seed
        assert seed_if_empty("a long enough phrase", days=0, now=sunday) == len(DEMO_REPS)
        dana = db.session.scalar(select(User).where(User.email == "demo@closer.test"))
        seat = seats.seat_of(dana)
        assert seat.is_coach and seat.team.name == "Demo Team"
        members = seats.members_of(seat.team.id)
        assert {user.email for _, user in members} == {email for email, *_ in DEMO_REPS}
        assert challenges.challenge_for(seat.team, sunday).label == "1,000 dials this week"
        assert feed.feed_first_page(seat.team, dana.id).items
