"""The background worker: a Huey task queue, its periodic tasks, and how to add one.

Web requests never wait on a push service or a clock: they write rows, and
this worker (``flask --app webapp worker``) does the rest. The queue lives
in Redis when ``REDIS_URL`` is set (several workers on several hosts share
it), else in a SQLite file (``TASK_QUEUE_FILE``, by default
``instance/tasks.db``).

Adding a task (a webhook delivery, an email)::

    # webapp/worker.py, or a module imported by ``_register_tasks``
    @task(retries=3, retry_delay=30)
    def send_welcome_email(user_id: int) -> None:
        emails.send_welcome(user_id)      # a service; it runs inside the app context

    send_welcome_email(user.id)           # from a service, after its change: queued, not run here

A periodic one takes a crontab: ``@periodic(crontab(minute="0", hour="3"))``.
Every worker runs every periodic task, so a periodic task must be safe to
run twice at once: claim the work in the database (a unique row, or an
``UPDATE ... WHERE state = 'queued'``) before doing it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from webapp.models import utcnow

log = logging.getLogger("closer.worker")

# One queue for the app. Its storage is chosen from the app's settings in ``bind``.
queue = Huey("closer", storage_class=MemoryStorage, results=False, utc=True)
_bound: dict[str, Flask] = {}


def bind(app: Flask) -> None:
    """Point the queue at the app's storage, and remember the app the tasks run in."""
    if app.config.get("TASK_QUEUE_IMMEDIATE"):
        queue.immediate = True
    else:
        queue.immediate = False
        if app.config.get("REDIS_URL"):
            queue.storage = RedisStorage("closer", url=app.config["REDIS_URL"])
        else:
            queue.storage = SqliteStorage("closer", filename=app.config["TASK_QUEUE_FILE"])
    _bound["app"] = app


def bound_app() -> Flask:
    """The app the tasks run in (the last one bound)."""
    if "app" not in _bound:
        raise RuntimeError("The worker's queue is not bound to an app; create_app binds it.")
    return _bound["app"]


def _in_app(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with bound_app().app_context():
            return function(*args, **kwargs)

    return run


def task(**options: Any):
    """Make a function a queued task: calling it enqueues it; the worker runs it in the app context."""

    def decorate(function: Callable[..., Any]):
        return queue.task(**options)(_in_app(function))

    return decorate


def periodic(schedule: Callable[[datetime], bool], **options: Any):
    """Make a function a periodic task, run by every worker on ``schedule`` (a ``crontab``)."""

    def decorate(function: Callable[..., Any]):
        return queue.periodic_task(schedule, **options)(_in_app(function))

    return decorate


# --- Email ----------------------------------------------------------------------
# A request queues one of these and answers at once; the SMTP conversation happens here.


@task(retries=3, retry_delay=60)
def email_reset_link(user_id: int) -> bool:
    """Email a reset link (made here, so its token never sits in the queue)."""
    from webapp.services.mail import messages

    return messages.send_reset_link(user_id)


@task(retries=3, retry_delay=60)
def email_invite(team_id: int, coach_id: int, address: str) -> bool:
    """Email a team invite link from its coach (made here, so its token never sits in the queue)."""
    from webapp.services.mail import messages

    return messages.send_invite(team_id, coach_id, address)


@task(retries=3, retry_delay=60)
def email_weekly_summary(user_id: int, week_start: str) -> bool:
    """Email one claimed weekly summary (``week_start``: the Monday, ISO)."""
    from datetime import date

    from webapp.services.mail import weekly

    return weekly.send_summary(user_id, date.fromisoformat(week_start))


def run_weekly(now: datetime | None = None) -> int:
    """Claim the weekly summaries due now and queue their sends; how many. Nothing while email is off."""
    from webapp.services.mail import mail_on, weekly

    if not mail_on():
        return 0
    claimed = weekly.claim_due(now or utcnow())
    for user_id, week_start in claimed:
        email_weekly_summary(user_id, week_start.isoformat())
    return len(claimed)


@periodic(crontab(minute="7"))
def every_hour() -> None:
    """Weekly summaries come due on Monday 08:00 in each rep's timezone: look each hour."""
    run_weekly()


# --- Notifications --------------------------------------------------------------


@task()
def deliver_push(delivery_id: int) -> str | None:
    """Send one claimed push delivery."""
    from webapp.services.notifications import push

    return push.deliver(delivery_id)


def run_minute(now: datetime | None = None) -> None:
    """One minute of work: reminders, team news, then queue the pushes and webhook deliveries due.

    Each step is its own unit of work and claims what it does in the
    database, so a second worker running the same minute does nothing twice.
    """
    from webapp.services.notifications import digest, push, reminders

    now = now or utcnow()
    for step in (reminders.send_due_reminders, digest.deliver_news):
        try:
            step(now)
        except Exception:  # one broken step must not stop the others
            log.exception("%s failed", step.__name__)
    for delivery_id in push.claim_due(now):
        deliver_push(delivery_id)
    send_webhooks(now)


def send_webhooks(now: datetime | None = None) -> None:
    """Queue a send of every webhook delivery due now (each claimed by exactly one worker)."""
    from webapp.services.integrations import webhook_delivery

    for delivery_id in webhook_delivery.claim_due(now or utcnow()):
        deliver_webhook(delivery_id)


@task()
def deliver_webhook(delivery_id: int) -> str | None:
    """Send one claimed webhook delivery."""
    from webapp.services.integrations import webhook_delivery

    return webhook_delivery.deliver(delivery_id)


@task()
def send_webhooks_now() -> None:
    """Send the deliveries due now without waiting for the minute (after "Send a test event")."""
    send_webhooks()


@periodic(crontab(minute="*"))
def every_minute() -> None:
    """Reminders, team news, pushes and webhook deliveries, each minute."""
    run_minute()
