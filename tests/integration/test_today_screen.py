"""What the main screen tells its page script, so the script never re-derives a rule the server knows."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.domain.streaks import day_bounds_utc
from webapp.extensions import db
from webapp.models import User
from webapp.services.today import LATEST_LIMIT, day_window, today_for


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    "timezone, day_start, day, starts, ends, next_ends",
    [
        ("UTC", 0, date(2025, 1, 1), "2025-01-01 00:00", "2025-01-02 00:00", "2025-01-03 00:00"),
        # Clocks go forward in the night of 29 to 30 March: that working day is 23 hours long.
        ("Europe/Berlin", 4, date(2025, 3, 29), "2025-03-29 03:00", "2025-03-30 02:00", "2025-03-31 02:00"),
        ("Asia/Kathmandu", 4, date(2025, 6, 10), "2025-06-09 22:15", "2025-06-10 22:15", "2025-06-11 22:15"),
        ("America/Los_Angeles", 6, date(2025, 11, 1), "2025-11-01 13:00", "2025-11-02 14:00", "2025-11-03 14:00"),
    ],
)
def test_a_day_window_is_the_reps_working_day_and_the_next_in_utc_ms(timezone, day_start, day, starts, ends, next_ends):
    window = day_window(User(timezone=timezone, day_start_hour=day_start), day)
    assert (window.day, window.starts_at_ms, window.ends_at_ms, window.next_ends_at_ms) == (
        day,
        ms(starts),
        ms(ends),
        ms(next_ends),
    )


def tally_attributes(html: str) -> dict[str, str]:
    tag = re.search(r'<section id="tally"[^>]*>', html).group(0)
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', tag))


def test_the_tally_carries_the_reps_day_as_the_server_counts_it(app, rep):
    response = rep.post(
        "/settings/game",
        data={
            "working_days": [str(d) for d in range(7)],
            "day_start_hour": "4",
            "goal_dials": "40",
            "goal_conversations": "5",
            "goal_follow_ups": "1",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        day = today_for(user)
        start, end = day_bounds_utc(day, "Europe/London", 4)
        _, next_end = day_bounds_utc(day + timedelta(days=1), "Europe/London", 4)
    expected = {
        "data-day": day.isoformat(),
        "data-day-starts-at": str(int(start.timestamp() * 1000)),
        "data-day-ends-at": str(int(end.timestamp() * 1000)),
        "data-next-day-ends-at": str(int(next_end.timestamp() * 1000)),
    }
    page = tally_attributes(rep.get("/").get_data(as_text=True))
    fragment = tally_attributes(rep.tap("sale").get_data(as_text=True))
    for attributes in (page, fragment):
        assert {name: attributes[name] for name in expected} == expected


def test_the_latest_calls_list_says_how_long_it_is(rep):
    assert f'<ol id="recent-list" class="recent__list" data-limit="{LATEST_LIMIT}">' in rep.get("/").get_data(
        as_text=True
    )


def test_the_waiting_row_template_is_the_servers_own_row_with_placeholders(rep):
    client_id = str(uuid.uuid4())
    rep.tap("sale", client_id)
    html = rep.get("/").get_data(as_text=True)
    template = html.split('<template id="waiting-rows">')[1].split("</template>")[0]
    placeholders = 'data-client-id="{client_id}" data-outcome="{outcome}" data-points="{points}">'
    assert re.findall(r"<li [^>]*>", template) == [
        f'<li class="recent__item recent__item--waiting" {placeholders}',
        f'<li class="recent__item recent__item--waiting recent__item--undone" {placeholders}',
    ]
    assert '<time datetime="{occurred_at}">{time}</time>' in template
    assert 'data-undo-waiting="{client_id}" aria-label="Undo {label} at {time}"' in template
    assert "hx-post" not in template
    # The server's row it stands for: the same parts, and an Undo that is disabled while it is sent.
    server_row = html.split(f'data-client-id="{client_id}"')[1].split("</li>")[0]
    assert '<span class="recent__points">+' in server_row and 'hx-disabled-elt="this"' in server_row
