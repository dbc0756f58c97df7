"""Closer: an offline-first, gamified call tracker for people who make cold calls."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings from the environment (or ``test_config``), extensions, blueprints."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    from webapp.config import Config, check_mail, check_secret_key

    app.config.from_mapping(Config.from_env(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    check_secret_key(app.config)
    check_mail(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address, scheme and host as the proxies saw them: rate limits key on the
        # real address, and links made with _external=True say https and the public host.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config["PROJECT_ROOT"] = root

    from webapp import api_auth, converters, database, security
    from webapp.extensions import csrf, db, htmx, limiter, login_manager, mail, migrate

    converters.init_app(app)  # before any blueprint adds an <int:…> rule

    security.cap_streamed_bodies(app)  # before CSRF protection reads a form
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"))
    login_manager.init_app(app)
    api_auth.init_app(app)  # before CSRF protection and the limiter, which ask whether a token came
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    security.init_app(app)

    from webapp.views import (
        admin,
        api,
        api_calls,
        auth,
        calls,
        coaching,
        game,
        goals,
        integrations,
        my_data,
        navigation,
        notifications,
        pwa,
        recovery,
        settings,
        team_dispositions,
        team_webhooks,
        teams,
        today_people,
    )

    for module in (
        auth,
        recovery,
        admin,
        calls,
        game,
        settings,
        integrations,
        my_data,
        api,
        api_calls,
        pwa,
        coaching,
        teams,
        team_webhooks,
        team_dispositions,
        notifications,
        today_people,
        navigation,
        goals,
    ):
        app.register_blueprint(module.bp)

    from webapp import worker
    from webapp.services.notifications import keys

    keys.init_app(app)
    worker.bind(app)

    from webapp import cli, errors, formats, i18n, rendering

    i18n.init_app(app)
    formats.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
