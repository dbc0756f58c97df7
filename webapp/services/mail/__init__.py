"""Outgoing email, sent only from the worker: no web request waits on an SMTP server.

Email is on when ``MAIL_SERVER`` is set (with ``MAIL_DEFAULT_SENDER`` and
``PUBLIC_URL``; the app refuses to start without them). Requests only queue
a task (``webapp.worker``); the task builds the message here and sends it.
Links in emails start with ``PUBLIC_URL``, never with the Host header of the
request that asked, so nobody can have a reset link point elsewhere.

- ``messages`` - the reset link and the team invite.
- ``weekly`` - the weekly summaries.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from flask_mailman import EmailMultiAlternatives

from webapp.i18n import DEFAULT_LOCALE


def mail_on() -> bool:
    """Whether this server sends email."""
    return bool(current_app.config.get("MAIL_SERVER"))


def public_link(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` at ``PUBLIC_URL``, built outside any request."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def send(to: str, subject: str | LazyString | object, template: str, locale: str | None = None, **context) -> None:
    """Send ``templates/email/<template>.txt`` as plain text with its ``.html`` twin as the alternative.

    Written in ``locale`` (the rep's saved choice; an email has no browser to ask, so English without one);
    a ``lazy_gettext`` subject, or any other that words itself when made a string, is translated into it too.
    """
    with force_locale(locale or DEFAULT_LOCALE):
        subject = str(subject)
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    message = EmailMultiAlternatives(subject, text, current_app.config["MAIL_DEFAULT_SENDER"], [to])
    message.attach_alternative(html, "text/html")
    message.send()
