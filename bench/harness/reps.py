"""Reps, registered and logged in like a browser would, with their session cookies and CSRF tokens."""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass

from harness.web import form, local_http, session_cookie

PASSWORD = "bench phrase, long enough"
TIMEZONES = ("UTC", "Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo")


@dataclass
class RepSession:
    """A logged-in rep as a load tool replays it."""

    cookie: str  # the whole Cookie header value, "session=..."
    token: str  # X-CSRFToken for that session
    email: str = ""
    user_id: int | None = None

    def headers(self, htmx: bool = False) -> dict:
        """Cookie and CSRF token, and ``HX-Request`` for an htmx request."""
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.token}
        return {**headers, "HX-Request": "true"} if htmx else headers


def email_of(number: int) -> str:
    return f"rep{number:02d}@bench.test"


def _csrf(port: int, cookie: str | None) -> tuple[str | None, dict]:
    _, headers, body = local_http(port, "GET", "/api/v1/csrf", {"Cookie": cookie} if cookie else None)
    return session_cookie(headers, cookie), json.loads(body)


def _settled(port: int, cookie: str, email: str) -> RepSession:
    """The session after a login or registration: its token, checked to be logged in and stable."""
    cookie, answer = _csrf(port, cookie)
    if not answer.get("authenticated"):
        raise RuntimeError(f"{email} is not logged in")
    # The cookie must be stable from now on, or a replaying load tool would send a stale one.
    if _csrf(port, cookie)[0] != cookie:
        raise RuntimeError("the session cookie keeps changing; a load tool cannot replay it")
    return RepSession(cookie, answer["csrf_token"], email, answer.get("user_id"))


def log_in(port: int, email: str, password: str = PASSWORD) -> RepSession:
    """Log in over HTTP: a token, ``POST /login``, then the token of the logged-in session."""
    cookie, answer = _csrf(port, None)
    status, headers, _ = local_http(
        port,
        "POST",
        "/login",
        {"Cookie": cookie, "X-CSRFToken": answer["csrf_token"]},
        form(email=email, password=password),
    )
    if status != 303:
        raise RuntimeError(f"login of {email} answered {status}")
    return _settled(port, session_cookie(headers, cookie), email)


def register_over_http(port: int, email: str, name: str, tz: str = "UTC", password: str = PASSWORD) -> RepSession:
    """Create an account through ``POST /register``, then log in on the login page, like the forms do."""
    cookie, answer = _csrf(port, None)
    fields = form(email=email, display_name=name, password=password, timezone=tz)
    status, _, body = local_http(
        port, "POST", "/register", {"Cookie": cookie, "X-CSRFToken": answer["csrf_token"]}, fields
    )
    if status != 303:
        raise RuntimeError(f"registration of {email} answered {status}: {body[:200]!r}")
    return log_in(port, email, password)


def register_in_process(database_url: str, count: int) -> list[str]:
    """Create ``count`` reps through the app's own service (no HTTP, no rate limit); their emails."""
    from harness.databases import dispose, in_process_app
    from webapp.services.accounts import register

    app = in_process_app(database_url)
    emails = [email_of(i) for i in range(count)]
    with app.app_context():
        for i, email in enumerate(emails):
            register(email, f"Bench Rep {i:02d}", PASSWORD, TIMEZONES[i % len(TIMEZONES)])
    dispose(app)
    return emails


def post(port: int, rep: RepSession, path: str, fields: dict | None = None, htmx=False, timeout=10.0):
    """A state change as the page sends it: cookie, CSRF header, a form body."""
    return local_http(port, "POST", path, rep.headers(htmx), form(**(fields or {})), timeout=timeout)


def tap(port: int, rep: RepSession, outcome: str, client_id: str | None = None, timeout=10.0):
    """``POST /calls`` as the tap button sends it (htmx, a fresh client UUID)."""
    fields = {"outcome": outcome, "client_id": client_id or str(uuid.uuid4())}
    return post(port, rep, "/calls", fields, htmx=True, timeout=timeout)


def check_taps_work(port: int, reps: list[RepSession], outcome: str) -> None:
    """One tap per rep, each logged, or an error that says what came back."""
    for rep in reps:
        status, headers, body = tap(port, rep, outcome)
        if status != 200 or b"Logged:" not in body or "hx-redirect" in headers:
            raise RuntimeError(f"a test tap was not logged (HTTP {status}): {body[:200]!r}")


def write_sessions_file(reps: list[RepSession], path: str) -> str:
    """The sessions file ``tap.lua`` reads: ``<Cookie>\\t<token>`` per line."""
    with open(path, "w") as fh:
        fh.writelines(f"{rep.cookie}\t{rep.token}\n" for rep in reps)
    return path


def start_team(port: int, coach: RepSession, members: list[RepSession], name: str = "Bench Team") -> int:
    """The coach starts a team over HTTP, makes an invite link, and every member joins through it."""
    status, headers, _ = post(port, coach, "/teams", {"name": name, "timezone": "UTC"})
    found = re.search(r"/teams/(\d+)", headers.get("location", ""))
    if status != 303 or not found:
        raise RuntimeError(f"starting a team answered {status}")
    team_id = int(found.group(1))
    status, _, body = post(port, coach, f"/teams/{team_id}/invites")
    token = re.search(rb"/join/([A-Za-z0-9_\-]+)", body)
    if status != 201 or not token:
        raise RuntimeError(f"making an invite answered {status}")
    for rep in members:
        status, _, _ = post(port, rep, f"/join/{token.group(1).decode()}")
        if status != 303:
            raise RuntimeError(f"{rep.email} could not join the team: {status}")
    return team_id


def send_taps(port: int, reps: list[RepSession], outcomes: list[str], count: int, threads=10, limit=600.0) -> dict:
    """Exactly ``count`` taps (unless ``limit`` s run out) from ``threads`` threads; statuses and errors."""
    lock = threading.Lock()
    state = {"next": 0, "statuses": {}, "errors": 0}
    deadline = time.monotonic() + limit

    def worker(offset: int) -> None:
        rng = random.Random(offset * 104729 + time.time_ns())
        while time.monotonic() < deadline:
            with lock:
                n = state["next"]
                if n >= count:
                    return
                state["next"] = n + 1
            try:
                status, _, _ = tap(port, reps[(n + offset) % len(reps)], rng.choice(outcomes))
            except OSError:
                with lock:
                    state["errors"] += 1
                continue
            with lock:
                state["statuses"][status] = state["statuses"].get(status, 0) + 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(max(0.1, deadline - time.monotonic() + 5))
    sent = sum(state["statuses"].values()) + state["errors"]
    return {**state, "sent": sent, "seconds": time.monotonic() - started, "complete": sent >= count}
