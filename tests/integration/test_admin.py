"""The instance admin: create-admin, the accounts page, switching accounts off and on, and the audit log."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep
from webapp.extensions import db
from webapp.models import AdminAction, Call, User


def make_admin(app, runner, email="admin@example.com") -> Visitor:
    """An admin made on the command line, logged in on their own browser."""
    result = runner.invoke(args=["create-admin", email], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Created the account and made it" in result.output
    visitor = Visitor(app.test_client())
    assert visitor.login(email).status_code == 303
    return visitor


def uid(app, email: str) -> int:
    with app.app_context():
        return db.session.query(User.id).filter_by(email=email).scalar()


def test_create_admin_promotes_an_existing_account_without_asking_a_password(app, runner, rep):
    result = runner.invoke(args=["create-admin", "REP@example.com"])
    assert result.exit_code == 0 and "Made rep@example.com an admin" in result.output
    assert rep.get("/admin").status_code == 200
    with app.app_context():
        assert db.session.query(AdminAction).filter_by(action="make_admin", actor="command line").count() == 1


def test_create_admin_refuses_a_weak_password(runner):
    result = runner.invoke(args=["create-admin", "boss@example.com"], input="short\nshort\n")
    assert result.exit_code != 0 and "10 characters" in result.output


def test_only_admins_see_the_admin_pages(app, runner, rep, visitor):
    for path in ("/admin", "/admin/audit"):
        assert rep.get(path).status_code == 404
        assert visitor.get(path).status_code == 302
    assert rep.post(f"/admin/accounts/{uid(app, 'rep@example.com')}/deactivate").status_code == 404
    assert 'href="/admin"' not in rep.get("/more").get_data(as_text=True)
    admin = make_admin(app, runner)
    assert 'href="/admin"' in admin.get("/more").get_data(as_text=True)  # under More, beside Settings


def test_the_accounts_page_lists_team_and_last_activity_and_searches(app, runner):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name="Night Owls")
    member = new_rep(app, "rep@example.com", "Rita Rep")
    join(member, invite_token(coach, team_id))
    member.tap("no_answer")
    new_rep(app, "solo@example.com", "Sol Alone")
    admin = make_admin(app, runner)
    page = admin.get("/admin").get_data(as_text=True)
    assert "Rita Rep" in page and "Night Owls" in page and "Night Owls (coach)" in page and "No team" in page
    rita = re.search(rf'data-user="{uid(app, "rep@example.com")}".*?</li>', page, re.S).group(0)
    assert "last active <time" in rita
    found = admin.get("/admin?q=owls").get_data(as_text=True)
    assert "Rita Rep" in found and "Cora Coach" in found and "Sol Alone" not in found
    assert "Sol Alone" in admin.get("/admin?q=SOLO@").get_data(as_text=True)
    assert "No account matches" in admin.get("/admin?q=100%25_").get_data(as_text=True)


def test_deactivating_logs_out_everywhere_keeps_out_keeps_data_and_the_coach_sees_it(app, runner):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    member = new_rep(app, "rep@example.com", "Rita Rep")
    join(member, invite_token(coach, team_id))
    assert member.tap("conversation").status_code == 200
    admin = make_admin(app, runner)
    rita = uid(app, "rep@example.com")

    assert admin.post(f"/admin/accounts/{rita}/deactivate").status_code == 303
    assert member.get("/").status_code == 302  # logged out
    again = Visitor(app.test_client()).login()
    assert again.status_code == 403 and "switched off" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Call).filter_by(user_id=rita).count() == 1  # data kept
    assert 'data-status="deactivated"' in coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert 'data-status="deactivated"' in admin.get("/admin").get_data(as_text=True)
    assert coach.post(f"/teams/{team_id}/members/{rita}/reset-link").status_code == 404
    assert admin.post(f"/admin/accounts/{rita}/reset-link").status_code == 303  # refused with a message

    assert admin.post(f"/admin/accounts/{rita}/reactivate").status_code == 303
    assert Visitor(app.test_client()).login().status_code == 303


def test_a_reset_link_made_before_deactivation_stops_working(app, runner, rep, visitor):
    admin = make_admin(app, runner)
    rita = uid(app, "rep@example.com")
    made = admin.post(f"/admin/accounts/{rita}/reset-link")
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    link = re.search(r'value="http://localhost(/reset/[^"]+)"', made.get_data(as_text=True)).group(1)
    assert visitor.get(link).status_code == 200
    admin.post(f"/admin/accounts/{rita}/deactivate")
    assert visitor.get(link).status_code == 410


def test_an_admin_cannot_switch_themself_off(app, runner):
    admin = make_admin(app, runner)
    response = admin.post(f"/admin/accounts/{uid(app, 'admin@example.com')}/deactivate")
    assert response.status_code == 303
    assert admin.get("/admin").status_code == 200


def test_every_admin_action_is_in_the_audit_log(app, runner, rep):
    admin = make_admin(app, runner)
    rita = uid(app, "rep@example.com")
    admin.post(f"/admin/accounts/{rita}/reset-link")
    admin.post(f"/admin/accounts/{rita}/deactivate")
    admin.post(f"/admin/accounts/{rita}/reactivate")
    log = admin.get("/admin/audit").get_data(as_text=True)
    actions = re.findall(r'data-action="(\w+)"', log)
    assert actions == ["reactivate", "deactivate", "reset_link", "make_admin"]
    assert "admin@example.com</strong> deactivated <strong>rep@example.com" in log


def test_demo_data_has_one_admin(app):
    from webapp.services.demo import seed_if_empty

    with app.test_request_context():
        seed_if_empty("closer-demo-1")
        admins = db.session.query(User.email).filter_by(is_admin=True).all()
    assert admins == [("demo@closer.test",)]


def test_a_switched_off_account_gets_no_reminders_and_its_devices_no_pushes(app, runner, rep):
    from datetime import UTC, datetime

    from webapp.models import PushSubscription
    from webapp.services.notifications import reminders

    admin = make_admin(app, runner)
    rita = uid(app, "rep@example.com")
    with app.app_context():
        db.session.add(
            PushSubscription(
                user_id=rita, endpoint="https://push.example/1", p256dh="k", auth="a", created_at=datetime.now(UTC)
            )
        )
        db.session.commit()
    nudge_time = datetime(2026, 12, 2, 9, 16, tzinfo=UTC)  # a Wednesday, just after the start nudge in London
    with app.app_context():
        assert rita in [user.id for user, _ in reminders._candidates(nudge_time)]
    admin.post(f"/admin/accounts/{rita}/deactivate")
    with app.app_context():
        assert db.session.query(PushSubscription).filter_by(user_id=rita).count() == 0
        assert rita not in [user.id for user, _ in reminders._candidates(nudge_time)]
