"""The team feed gathers a rep's burst of wins into one item led by the calls in it; big moments and posts stand
alone; pages, the live block, high-fives and the TV see the same items. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.team_helpers import invite_token, join, make_team, new_rep, tv_token
from webapp.domain.feed_bursts import BURST_GAP, bursts, joins_bursts
from webapp.extensions import db
from webapp.models import Call, HighFive, TeamMember, TeamMessage, User, Win
from webapp.services.teams.version import bump

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def uid(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def add_win(user_id: int, kind: str, ref: str, title: str, when: datetime, detail: str = "") -> int:
    win = Win(user_id=user_id, kind=kind, ref=ref, title=title, detail=detail, occurred_at=when, local_date=when.date())
    db.session.add(win)
    db.session.commit()
    return win.id


def add_calls(user_id: int, *moments: datetime, undone: bool = False) -> None:
    for when in moments:
        db.session.add(
            Call(
                user_id=user_id,
                client_id=uuid.uuid4(),
                outcome="no_answer",
                occurred_at=when,
                local_date=when.date(),
                points=1,
                undone_at=when if undone else None,
            )
        )
    db.session.commit()


def add_post(team_id: int, user_id: int, body: str, when: datetime) -> int:
    post = TeamMessage(team_id=team_id, user_id=user_id, body=body, created_at=when)
    db.session.add(post)
    db.session.commit()
    return post.id


def items(html: str) -> list[tuple[str, str]]:
    """The feed's items in order: (key, the text of its title line)."""
    return re.findall(r'<li id="feed-([wm]\d+)".*?<p class="feed-item__title">(.*?)</p>', html, re.S)


def wins_of(html: str) -> dict[str, list[int]]:
    """Each win item's wins, by key."""
    return {
        key: [int(n) for n in ids.split()] for key, ids in re.findall(r'id="feed-(w\d+)"[^>]*data-wins="([^"]*)"', html)
    }


def live_block(html: str) -> str:
    start = html.index('id="feed-live"')
    return html[start : html.index("</ol>", start)]


def live_url(html: str) -> str:
    return re.search(r'hx-get="(/teams/\d+/feed/live[^"]*)"', html).group(1).replace("&amp;", "&")


@pytest.fixture
def mate(app, rep, team_id):
    """Mo Mate, a plain member of the Night Owls."""
    visitor = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(visitor, invite_token(rep, team_id)).status_code == 303
    with app.app_context():
        visitor.id = uid("mo@example.com")
    return visitor


def test_a_badge_a_goal_met_and_a_best_in_one_burst_are_one_item_led_by_the_calls(app, rep, team_id, mate):
    with app.app_context():
        add_calls(mate.id, minutes(-40), minutes(-20), minutes(-5), minutes(0), minutes(12), minutes(19))
        add_calls(mate.id, minutes(-3), undone=True)  # taken back: not counted
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        goal = add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(12), "30 of 30")
        best = add_win(mate.id, "best", "best:2026-11-20", "New personal best day", minutes(19), "31 dials (was 30)")
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert items(live_block(html)) == [
        (f"w{badge}", "5 calls · Badge: Warmed up · Dial goal met · New personal best day")
    ]
    assert wins_of(html) == {f"w{badge}": [badge, goal, best]}
    assert "Mo Mate" in html and "31 dials (was 30)" not in html  # a burst is one line, no details


def test_a_first_meeting_stands_alone_beside_the_burst_of_the_same_tap(app, rep, team_id, mate):
    mate.tap("meeting")  # the first call: the First dial badge, the meeting, and the First meeting badge
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    with app.app_context():
        first_meeting = db.session.scalar(select(Win.id).where(Win.ref == "badge:first_meeting"))
        grouped = sorted(db.session.scalars(select(Win.id).where(Win.id != first_meeting)))
    found = dict(items(html))
    assert found[f"w{first_meeting}"] == "Badge: First meeting"
    bursts_found = {key: ids for key, ids in wins_of(html).items() if len(ids) > 1}
    assert list(bursts_found.values()) == [grouped]
    assert found[next(iter(bursts_found))] == (
        "1 call · Badges: First dial, Breaking the ice, Foot in the door · Meeting booked · Follow-up goal met"
    )
    assert len(found) == 2


def test_a_post_stands_alone_and_does_not_break_the_burst(app, rep, team_id, mate):
    with app.app_context():
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        post = add_post(team_id, uid("rep@example.com"), "Go Mo!", minutes(5))
        goal = add_win(mate.id, "goal", "goal:2026-11-20:conversations", "Conversations goal met", minutes(10))
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    assert items(html) == [(f"m{post}", "Go Mo!"), (f"w{badge}", "Badge: Warmed up · Conversation goal met")]
    assert wins_of(html)[f"w{badge}"] == [badge, goal]
    # The burst says when it began and when it last grew.
    assert '9:00\xa0AM</time>–<time datetime="2026-11-20T09:10:00+00:00">9:10\xa0AM</time>' in html


def test_a_pause_longer_than_the_burst_makes_two_items(app, rep, team_id, mate):
    with app.app_context():
        add_calls(mate.id, minutes(-1), minutes(25), minutes(75))  # 09:25 leads up to the second burst
        first = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        later = add_win(
            mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(0) + BURST_GAP + timedelta(seconds=1)
        )
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    assert items(html) == [(f"w{later}", "1 call · Dial goal met"), (f"w{first}", "1 call · Badge: Warmed up")]


def test_a_burst_of_one_win_and_no_calls_reads_as_before_with_its_details(app, rep, team_id, mate):
    with app.app_context():
        best = add_win(mate.id, "best", "best:2026-11-20", "New personal best day", minutes(0), "31 dials (was 30)")
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    assert items(html) == [(f"w{best}", "New personal best day")] and "31 dials (was 30)" in html


def many_bursts(app, team_id: int, mate_id: int) -> tuple[dict[int, int], set[int]]:
    """Three reps winning on and off over a day, with posts between: every win's rep, and the posts."""
    with app.app_context():
        coach = uid("rep@example.com")
        third = User(email="tia@example.com", display_name="Tia Third", password_hash="!", timezone="Europe/London")
        db.session.add(third)
        db.session.commit()
        db.session.add(TeamMember(user_id=third.id, team_id=team_id, role="member", private_mode=False))
        db.session.commit()
        reps = [coach, mate_id, third.id]
        owner: dict[int, int] = {}
        posts: set[int] = set()
        kinds = [("badge", "badge:day_25"), ("goal", "goal:x:dials"), ("level", "level:{n}"), ("best", "best:{n}")]
        for n in range(90):
            rep_id = reps[n % 3]
            # Steps of 7 to 52 minutes, so some wins chain into bursts and some stand apart; ties on time too.
            when = minutes((n * 37) % 11 * 5 + n * 9)
            kind, ref = kinds[n % 4]
            owner[add_win(rep_id, kind, f"{ref.format(n=n)}:{n}", f"{kind} {n}", when)] = rep_id
            if n % 7 == 0:
                posts.add(add_post(team_id, reps[(n + 1) % 3], f"post {n}", when))
        return owner, posts


def read_whole_feed(visitor, team_id: int) -> tuple[list[str], dict[str, list[int]]]:
    html = visitor.get(f"/teams/{team_id}").get_data(as_text=True)
    block = html[html.index('id="feed-live"') :]
    keys = re.findall(r'id="feed-([wm]\d+)"', block)
    grouped = wins_of(block)
    cursor = re.search(r'feed/older\?before=([0-9-]+)"', block)
    pages = 0
    while cursor:
        page = visitor.get(f"/teams/{team_id}/feed/older?before={cursor.group(1)}", headers={"HX-Request": "true"})
        text = page.get_data(as_text=True)
        keys += re.findall(r'id="feed-([wm]\d+)"', text)
        grouped.update(wins_of(text))
        cursor = re.search(r'feed/older\?before=([0-9-]+)"', text)
        pages += 1
    assert pages >= 2 and "start of the team" in text
    return keys, grouped


def test_paging_across_many_bursts_shows_every_win_once_and_each_burst_whole(app, rep, team_id, mate):
    owner, posts = many_bursts(app, team_id, mate.id)
    keys, grouped = read_whole_feed(rep, team_id)
    assert len(keys) == len(set(keys))
    assert {key for key in keys if key[0] == "m"} == {f"m{post}" for post in posts}
    shown = [win for wins in grouped.values() for win in wins]
    assert sorted(shown) == sorted(owner)  # every win exactly once
    with app.app_context():
        rows = db.session.execute(select(Win.id, Win.kind, Win.ref, Win.occurred_at, Win.user_id)).all()
    expected = []
    for rep_id in set(owner.values()):
        mine = sorted(
            (r for r in rows if r.user_id == rep_id and joins_bursts(r.kind, r.ref)),
            key=lambda r: (r.occurred_at, r.id),
        )
        times = bursts([r.occurred_at for r in mine])
        cut = iter(mine)
        expected += [[next(cut).id for _ in burst] for burst in times]
    expected += [[r.id] for r in rows if not joins_bursts(r.kind, r.ref)]
    assert sorted(grouped.values()) == sorted(expected)
    assert any(len(wins) > 2 for wins in grouped.values())  # the data did make bursts


def test_the_live_poll_grows_a_burst_in_place_under_the_same_id(app, rep, team_id, mate):
    with app.app_context():
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        post = add_post(team_id, uid("rep@example.com"), "Nice one", minutes(5))
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    url = live_url(html)
    first = rep.get(url)
    assert rep.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        goal = add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(25))
        bump(team_id)  # as the write path does
        db.session.commit()
    after = rep.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    html = after.get_data(as_text=True)
    assert html.count(f'id="feed-w{badge}"') == 1 and wins_of(html)[f"w{badge}"] == [badge, goal]
    assert [key for key, _ in items(html)] == [f"m{post}", f"w{badge}"]  # in place, below the post that came after


def test_a_burst_that_is_the_first_pages_last_item_still_grows_in_the_live_block(app, rep, team_id, mate):
    with app.app_context():
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        for n in range(14):
            add_post(team_id, uid("rep@example.com"), f"post {n}", minutes(1 + n))
        older = add_win(mate.id, "badge", "badge:early_bird", "Badge: Early bird", minutes(-120))
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert items(live_block(html))[-1][0] == f"w{badge}" and f"feed-w{older}" not in live_block(html)
    with app.app_context():
        goal = add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(29))
    after = rep.get(live_url(html)).get_data(as_text=True)
    assert wins_of(after)[f"w{badge}"] == [badge, goal] and f"feed-w{older}" not in after
    cursor = re.search(r'feed/older\?before=([0-9-]+)"', html).group(1)
    page = rep.get(f"/teams/{team_id}/feed/older?before={cursor}", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert wins_of(page) == {f"w{older}": [older]}


def test_an_older_page_shows_a_burst_whole_though_it_grew_above_the_cursor(app, rep, team_id, mate):
    with app.app_context():
        coach = uid("rep@example.com")
        start = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        for n in range(15):
            add_post(team_id, coach, f"post {n}", minutes(1 + n))
        grown = add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(20))
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert f"feed-w{start}" not in live_block(html)  # fifteen posts came after the burst began
    cursor = re.search(r'feed/older\?before=([0-9-]+)"', html).group(1)
    page = rep.get(f"/teams/{team_id}/feed/older?before={cursor}", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert wins_of(page) == {f"w{start}": [start, grown]}


def test_one_high_five_for_a_burst_named_by_its_meeting(app, rep, team_id, mate):
    mate.tap("meeting")
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    key, wins = next((key, wins) for key, wins in wins_of(html).items() if len(wins) > 1)
    given = rep.post(f"/teams/{team_id}/feed/{key}/high-five", htmx=True).get_data(as_text=True)
    assert f'id="feed-{key}"' in given and "1 high-five" in given and "from Rita Rep" in given
    assert 'aria-pressed="true"' in given
    again = rep.post(f"/teams/{team_id}/feed/w{wins[-1]}/high-five", htmx=True)  # any win of the burst is the burst
    assert again.status_code == 200 and "1 high-five" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 1
        kept_on = db.session.scalar(select(Win.kind).join(HighFive, HighFive.win_id == Win.id))
    assert kept_on == "meeting"
    assert "Rita Rep high-fived your meeting" in mate.get("/").get_data(as_text=True)
    refused = mate.post(f"/teams/{team_id}/feed/{key}/high-five", htmx=True)
    assert refused.status_code == 409  # one's own burst


def test_high_fives_on_wins_of_a_burst_count_once_per_giver(app, rep, team_id, mate):
    with app.app_context():
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        goal = add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(5))
        # Two high-fives one giver left on two separate items before the feed gathered bursts.
        db.session.add_all(
            [
                HighFive(team_id=team_id, giver_id=uid("rep@example.com"), win_id=badge),
                HighFive(team_id=team_id, giver_id=uid("rep@example.com"), win_id=goal),
            ]
        )
        db.session.commit()
    html = live_block(rep.get(f"/teams/{team_id}").get_data(as_text=True))
    assert "1 high-five" in html and "2 high-fives" not in html and "High-fived" in html


def test_another_team_never_sees_the_burst(app, rep, team_id, mate):
    with app.app_context():
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(5))
    outsider = new_rep(app, "olga@example.com", "Olga Other")
    other_team = make_team(outsider, name="Early Birds")
    assert "Warmed up" not in outsider.get(f"/teams/{other_team}").get_data(as_text=True)
    assert outsider.get(f"/teams/{team_id}/feed/live").status_code == 404
    assert outsider.post(f"/teams/{team_id}/feed/w{badge}/high-five", htmx=True).status_code == 404
    assert outsider.post(f"/teams/{other_team}/feed/w{badge}/high-five", htmx=True).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HighFive)) == 0


def test_the_tv_shows_the_same_bursts(app, rep, team_id, mate, visitor):
    with app.app_context():
        add_calls(mate.id, minutes(-1), minutes(1))
        badge = add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(5))
    html = visitor.get(f"/tv/{tv_token(rep, team_id)}").get_data(as_text=True)
    assert (f"w{badge}", "2 calls · Badge: Warmed up · Dial goal met") in items(html)
    assert "hx-post" not in html


def test_a_german_rep_reads_the_burst_in_german(app, rep, team_id, mate):
    with app.app_context():
        add_calls(mate.id, minutes(-1), minutes(1))
        add_win(mate.id, "badge", "badge:day_25", "Badge: Warmed up", minutes(0))
        add_win(mate.id, "goal", "goal:2026-11-20:dials", "Dials goal met", minutes(5))
    html = rep.get(f"/teams/{team_id}", headers={"Accept-Language": "de"}).get_data(as_text=True)
    line = items(live_block(html))[0][1]
    assert line.startswith("2 Anrufe · ") and "Warmed up" not in line and "goal met" not in line


def test_a_buddys_moment_high_fived_in_its_burst_shows_as_given(app, rep, team_id, mate):
    """A goal met in the same burst as a sale: the high-five is kept on the sale, and the buddy line still knows."""
    assert rep.post(f"/teams/{team_id}/buddies/{mate.id}/invite").status_code == 303
    with app.app_context():
        rita = uid("rep@example.com")
    assert mate.post(f"/teams/{team_id}/buddies/{rita}/accept").status_code == 303
    mate.tap("sale")
    line = rep.get("/today/buddy").get_data(as_text=True)
    key = line.split("/buddies/moment/")[1].split("/")[0]
    with app.app_context():
        assert db.session.scalar(select(Win.kind).where(Win.id == int(key[1:]))) == "goal"
    assert rep.post(f"/teams/{team_id}/buddies/moment/{key}/high-five", htmx=True).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Win.kind).join(HighFive, HighFive.win_id == Win.id)) == "sale"
    assert "High-fived" in rep.get("/today/buddy").get_data(as_text=True)
