"""Command-line tasks: ``flask --app webapp seed-demo``, ``worker``, ``backup``, ``vapid-keys``."""

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

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default=None, help="Display name of a new account (default: the email's first part).")
    def create_admin(email: str, name: str | None) -> None:
        """Make EMAIL an instance admin; a new account asks for its password (or reads CLOSER_ADMIN_PASSWORD)."""
        import os

        from webapp.services.accounts import FormErrors, find_by_email
        from webapp.services.admin.directory import make_admin

        password = None
        if find_by_email(email) is None:
            password = os.environ.get("CLOSER_ADMIN_PASSWORD") or click.prompt(
                "Password for the new account", hide_input=True, confirmation_prompt=True
            )
        try:
            user, created = make_admin(email, name, password)
        except FormErrors as invalid:
            raise click.ClickException(" ".join(invalid.errors.values())) from None
        made = "Created the account and made it" if created else "Made"
        click.echo(f"{made} {user.email} an admin. Log in and open /admin.")

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Threads running tasks.")
    def run_worker(workers: int) -> None:
        """Run the background worker: reminders, team news, pushes, and every queued task."""
        from webapp.worker import queue

        where = current_app.config.get("REDIS_URL") or current_app.config["TASK_QUEUE_FILE"]
        click.echo(f"Closer worker: {workers} threads, queue at {where}.")
        queue.create_consumer(workers=workers, worker_type="thread", periodic=True).run()

    @app.cli.command("backup")
    @click.argument("destination", required=False)
    def backup(destination: str | None) -> None:
        """Write a consistent copy of the SQLite database (default instance/backups/); PostgreSQL: use pg_dump."""
        from webapp.backup import BackupRefused, backup_sqlite, default_destination

        target = destination or default_destination(current_app.instance_path)
        try:
            written = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
        except BackupRefused as refused:
            raise click.ClickException(str(refused)) from None
        click.echo(f"Backed up the database to {written}.")

    @app.cli.command("vapid-keys")
    def vapid_keys() -> None:
        """Print a new VAPID private key for the environment (push is signed with it)."""
        from webapp.services.notifications.keys import new_private_key

        click.echo(f"VAPID_PRIVATE_KEY={new_private_key()}")
        click.echo("VAPID_SUBJECT=mailto:you@example.com   # an address push services may write to")
