"""Command-line tasks: ``flask --app webapp seed-demo``."""

from __future__ import annotations

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    """Register the commands."""

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create demo reps with two weeks of calls, only when the database has no users."""
        from webapp.services.demo import seed_if_empty

        made = seed_if_empty(current_app.config["DEMO_LOGIN_PASSWORD"])
        if made:
            click.echo(f"Seeded {made} demo reps; log in as {current_app.config['DEMO_LOGIN_EMAIL']}.")
        else:
            click.echo("Users exist already; no demo data added.")
