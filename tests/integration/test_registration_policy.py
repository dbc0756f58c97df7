"""Who may register: open, invite only (production's default) or listed domains, chosen by the admin."""

from __future__ import annotations

from tests.conftest import PASSWORD, Visitor
from tests.integration.team_helpers import invite_token, make_team, new_rep
from webapp import create_app
from webapp.extensions import db
from webapp.models import AdminAction, TeamMember, User
from webapp.services.admin import registration


def admin_of(app, runner) -> Visitor:
    result = runner.invoke(args=["create-admin", "admin@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    visitor = Visitor(app.test_client())
    assert visitor.login("admin@example.com").status_code == 303
    return visitor


def accounts(app, email: str) -> int:
    with app.app_context():
        return db.session.query(User).filter_by(email=email).count()


def test_production_defaults_to_invite_only_and_development_to_open(app):
    for env, kind in (("production", "invite"), ("development", "open"), ("testing", "open")):
        with app.app_context():
            app.config["CLOSER_ENV"] = env
            assert registration.current_policy().kind == kind
    app.config["CLOSER_ENV"] = "testing"


def test_invite_only_refuses_a_plain_registration_and_says_so(app, runner, visitor):
    admin = admin_of(app, runner)
    assert admin.post("/admin/registration", data={"kind": "invite", "domains": ""}).status_code == 303
    page = visitor.get("/register").get_data(as_text=True)
    assert 'data-policy="invite"' in page and "invite only" in page and 'name="password"' not in page
    refused = visitor.register(email="new@example.com", log_in=False)
    assert refused.status_code == 422 and "invite only" in refused.get_data(as_text=True)
    assert accounts(app, "new@example.com") == 0


def test_invite_only_still_lets_an_invited_rep_register_and_join(app, runner, visitor):
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    admin = admin_of(app, runner)
    admin.post("/admin/registration", data={"kind": "invite"})
    token = invite_token(coach, team_id)
    form = visitor.get(f"/register?invite={token}").get_data(as_text=True)
    assert 'name="password"' in form and "Join Night Owls" in form
    assert visitor.register(email="new@example.com", invite=token).status_code == 303
    with app.app_context():
        new = db.session.query(User).filter_by(email="new@example.com").one()
        assert db.session.get(TeamMember, new.id).team_id == team_id
    forged = Visitor(app.test_client()).register(email="other@example.com", invite="not-a-live-invite", log_in=False)
    assert forged.status_code == 422 and accounts(app, "other@example.com") == 0


def test_listed_domains_let_in_only_those_addresses(app, runner, visitor):
    admin = admin_of(app, runner)
    saved = admin.post("/admin/registration", data={"kind": "domains", "domains": "Acme.com\n@sales.acme.io, acme.com"})
    assert saved.status_code == 303
    page = visitor.get("/register").get_data(as_text=True)
    assert "acme.com, sales.acme.io" in page and 'name="password"' in page
    assert visitor.register(email="eve@gmail.com", log_in=False).status_code == 422
    assert visitor.register(email="eve@notacme.com", log_in=False).status_code == 422
    assert accounts(app, "eve@gmail.com") == 0
    assert visitor.register(email="Ann@ACME.com").status_code == 303
    assert accounts(app, "ann@acme.com") == 1


def test_a_bad_policy_changes_nothing_and_every_choice_is_audited(app, runner):
    admin = admin_of(app, runner)
    assert admin.post("/admin/registration", data={"kind": "domains", "domains": ""}).status_code == 422
    bad = admin.post("/admin/registration", data={"kind": "domains", "domains": "not a domain!"})
    assert bad.status_code == 422 and "is not a domain" in bad.get_data(as_text=True)
    assert admin.post("/admin/registration", data={"kind": "everyone"}).status_code == 422
    with app.app_context():
        assert registration.current_policy().kind == "open"
    admin.post("/admin/registration", data={"kind": "domains", "domains": "acme.com"})
    admin.post("/admin/registration", data={"kind": "open"})
    with app.app_context():
        lines = db.session.query(AdminAction.detail).filter_by(action="registration").order_by(AdminAction.id).all()
    assert lines == [("domains: acme.com",), ("open",)]
    assert "set who may register" in admin.get("/admin/audit").get_data(as_text=True)


def test_only_an_admin_sets_the_policy(rep):
    assert rep.post("/admin/registration", data={"kind": "open"}).status_code == 404


def test_a_production_server_without_a_choice_is_invite_only(tmp_path):
    app = create_app(
        {
            "CLOSER_ENV": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "prod.db"),
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "TASK_QUEUE_IMMEDIATE": True,
        }
    )
    with app.app_context():
        db.create_all()
    visitor = Visitor(app.test_client())
    assert 'data-policy="invite"' in visitor.get("/register").get_data(as_text=True)
    assert visitor.register(log_in=False).status_code == 422
