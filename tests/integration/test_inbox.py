"""The bell and its list: unread count, mark all read, open, snooze; each rep sees only their own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.integration.notify_helpers import user_id
from tests.integration.team_helpers import new_rep
from webapp.extensions import db
from webapp.models import InboxItem, NotificationSettings, utcnow
from webapp.services.notifications import inbox


def post(app, email="rep@example.com", **item):
    with app.app_context():
        made = inbox.post(
            user_id(app, email),
            item.pop("kind", "coach_note"),
            item.pop("title", "A word from your coach"),
            item.pop("body", "Great calls today."),
            item.pop("url", "/badges"),
            **item,
        )
        return made.id


def reminder(app, email="rep@example.com"):
    return post(
        app,
        email,
        kind="start_nudge",
        title="Ready for the first dial?",
        ref="start_nudge:2026-03-02:0",
        local_date=date(2026, 3, 2),
    )


def test_the_bell_speaks_the_unread_count_on_every_page(app, rep):
    html = rep.get("/").get_data(as_text=True)
    assert 'aria-label="Notifications, none unread"' in html
    post(app)
    post(app, title="Another")
    html = rep.get("/settings").get_data(as_text=True)
    assert 'aria-label="Notifications, 2 unread"' in html
    assert '<span class="bell__count" aria-hidden="true">2</span>' in html
    assert 'aria-label="Notifications, 2 unread"' in rep.get("/notifications/bell").get_data(as_text=True)


def test_the_list_shows_newest_first_and_mark_all_read_clears_the_count(app, rep):
    post(app, title="Older")
    post(app, title="Newer")
    html = rep.get("/notifications").get_data(as_text=True)
    assert html.index("Newer") < html.index("Older")
    assert "2 unread" in html
    response = rep.post("/notifications/read")
    assert response.status_code == 303
    html = rep.get("/notifications").get_data(as_text=True)
    assert "All read" in html and 'aria-label="Notifications, none unread"' in html


def test_opening_an_item_goes_where_it_leads_and_counts_as_opened(app, rep):
    item_id = post(app, url="/teams/7#feed")
    response = rep.get(f"/notifications/{item_id}/open")
    assert response.status_code == 303 and response.headers["Location"] == "/teams/7#feed"
    with app.app_context():
        item = db.session.get(InboxItem, item_id)
        assert item.opened_at is not None and item.read_at is not None


def test_an_item_never_leads_off_the_app(app, rep):
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil"):
        item_id = post(app, url=url)
        assert rep.get(f"/notifications/{item_id}/open").headers["Location"] == "/"


def test_a_reminder_snoozes_from_the_list_and_from_the_notification(app, rep):
    item_id = reminder(app)
    html = rep.get("/notifications").get_data(as_text=True)
    assert "Snooze 1 h" in html
    assert rep.post(f"/notifications/{item_id}/snooze").status_code == 303
    with app.app_context():
        snoozed = db.session.get(InboxItem, item_id).snoozed_until
    assert timedelta(minutes=59) < snoozed - utcnow() <= timedelta(hours=1)
    response = rep.post(f"/api/v1/notifications/{item_id}/snooze")
    assert response.status_code == 200 and response.get_json()["id"] == item_id


def test_only_reminders_snooze(app, rep):
    item_id = post(app)
    assert rep.post(f"/api/v1/notifications/{item_id}/snooze").status_code == 409
    assert "Only reminders can be snoozed" in rep.post(
        f"/notifications/{item_id}/snooze", follow_redirects=True
    ).get_data(as_text=True)


def test_one_rep_cannot_open_or_snooze_anothers_notifications(app, rep):
    new_rep(app, "mo@example.com", "Mo Mate")
    theirs = reminder(app, "mo@example.com")
    assert rep.get(f"/notifications/{theirs}/open").status_code == 404
    assert rep.post(f"/notifications/{theirs}/snooze").status_code == 404
    assert rep.post(f"/api/v1/notifications/{theirs}/snooze").status_code == 404
    assert "Ready for the first dial?" not in rep.get("/notifications").get_data(as_text=True)
    rep.post("/notifications/read")
    with app.app_context():
        assert db.session.get(InboxItem, theirs).read_at is None


def test_the_list_needs_a_login(app, visitor):
    assert visitor.get("/notifications").status_code == 302
    assert visitor.post("/api/v1/notifications/1/snooze", csrf=False).status_code in (400, 401)


# ---------------------------------------------------------------- settings


def settings_form(**changes):
    form = {
        "start_nudge": "on",
        "streak_risk": "on",
        "high_fives": "on",
        "team_wins": "on",
        "nudge_at": "09:15",
        "at_risk_lead_hours": "4",
        "quiet_start": "21:30",
        "quiet_end": "07:30",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_settings_save_the_kinds_and_times(app, rep):
    response = rep.post(
        "/settings/notifications", data=settings_form(nudge_at="08:40", high_fives=None, quiet_start="22:00")
    )
    assert response.status_code == 303
    with app.app_context():
        prefs = db.session.get(NotificationSettings, user_id(app))
        assert (prefs.nudge_minute, prefs.high_fives, prefs.quiet_start_minute) == (8 * 60 + 40, False, 22 * 60)
    html = rep.get("/settings").get_data(as_text=True)
    assert 'value="08:40"' in html and 'name="high_fives">' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nudge_at", "25:00", "nudge time as a time"),
        ("nudge_at", "", "nudge time as a time"),
        ("quiet_end", "7pm", "end as a time"),
        ("at_risk_lead_hours", "12", "from 1 to 8 hours"),
        ("at_risk_lead_hours", "x", "from 1 to 8 hours"),
    ],
)
def test_bad_settings_say_why_and_change_nothing(app, rep, field, value, message):
    response = rep.post("/settings/notifications", data=settings_form(**{field: value}, team_wins=None))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(NotificationSettings, user_id(app)) is None


def test_a_paused_reminder_says_so_in_settings_and_resumes_with_one_tap(app, rep):
    with app.app_context():
        uid = user_id(app)
        for days in (1, 2, 3):
            day = date.today() - timedelta(days=days)
            inbox.post(
                uid,
                "start_nudge",
                "Nudge",
                ref=f"start_nudge:{day}:0",
                local_date=day,
                now=utcnow() - timedelta(days=days),
            )
    html = rep.get("/settings").get_data(as_text=True)
    assert "Start-of-day nudge paused itself after 3 reminders in a row went unopened." in html
    assert rep.post("/settings/notifications/resume/start_nudge").status_code == 303
    assert "paused itself" not in rep.get("/settings").get_data(as_text=True)
    assert rep.post("/settings/notifications/resume/nonsense").status_code == 404
