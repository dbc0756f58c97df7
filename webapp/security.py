"""Security headers on every response, and where sessions come from."""

from __future__ import annotations

import io
import logging

from flask import Flask, Response, abort, g, jsonify, redirect, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wsgi import get_content_length

from webapp.extensions import db, login_manager
from webapp.models import User
from webapp.services import device_sessions

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Whose pages this browser holds: a cookie the service worker reads (so it never shows one rep's
# kept main screen to the next) and a header on every page it can compare with the kept copy's.
OWNER_COOKIE = "closer_user"
OWNER_HEADER = "X-Closer-User"

log = logging.getLogger(__name__)
STREAM_READ_BYTES = 64 * 1024


def cap_streamed_bodies(app: Flask) -> None:
    """Refuse a chunked body over ``MAX_CONTENT_LENGTH`` with a 413, before anything reads it.

    A body without Content-Length skips the size check, and Werkzeug cuts a
    stream at the cap without a word, so a form or a sync would be parsed
    from its first megabyte. Registered before CSRF protection, which reads
    forms first.
    """

    @app.before_request
    def read_streamed_body_up_to_the_cap() -> None:
        environ = request.environ
        limit = request.max_content_length
        if limit is None or get_content_length(environ) is not None or not environ.get("wsgi.input_terminated"):
            return
        stream, body = environ["wsgi.input"], bytearray()
        while len(body) <= limit:
            chunk = stream.read(min(STREAM_READ_BYTES, limit + 1 - len(body)))
            if not chunk:
                break
            body += chunk
        if len(body) > limit:
            abort(413)
        # From here on it is an ordinary body of known length.
        environ["wsgi.input"] = io.BytesIO(bytes(body))
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)


def init_app(app: Flask) -> None:
    """Install the headers hook and the Flask-Login loaders."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to keep dialling."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        # The id in the cookies is the device session's token (``User.get_id``): one query, built once.
        return device_sessions.user_for(token)

    @login_manager.unauthorized_handler
    def unauthorized() -> Response:
        if wants_json():
            return jsonify(error="unauthorized", message="Log in first."), 401
        if request.headers.get("HX-Request") == "true":
            # A redirect would be swapped into the fragment; send the whole page to login.
            response = Response(status=204)
            response.headers["HX-Redirect"] = url_for("auth.login")
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.after_request
    def keep_private_pages_private(response: Response) -> Response:
        # Only requests that loaded their rep: static files and the service worker never do, and keep their rules.
        # A request with an API token has no browser to keep cookies or a device session for.
        if "_login_user" not in g or g.get("api_token") is not None:
            return response
        user = g._login_user
        if user.is_authenticated and response.status_code < 500:
            _note_device_in_use(user)
        elif not user.is_authenticated and "_user_id" in session:
            # A session ended elsewhere: drop its dead token, and have Flask-Login delete the
            # remember cookie, so the browser stops presenting them.
            session.pop("_user_id")
            session["_remember"] = "clear"
        if response.mimetype == "text/html":
            response.headers.setdefault(OWNER_HEADER, str(user.id) if user.is_authenticated else "")
            if user.is_authenticated and "Cache-Control" not in response.headers:
                # Back after Log out must not show the rep's pages from the browser's cache.
                response.headers["Cache-Control"] = "no-store"
        _set_owner_cookie(app, response, user)
        return response


def _note_device_in_use(user: User) -> None:
    """Keep "last active" on the settings page current; a failure here never fails the page."""
    try:
        device_sessions.touch(user)
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not note the device session as in use", exc_info=True)


def _set_owner_cookie(app: Flask, response: Response, user) -> None:
    """Name the logged-in rep in a cookie the service worker can read; drop it for nobody.

    It names no secret (the page carries the same id) and lives as long as
    the login: as long as the remember cookie when there is one, else until
    the browser closes, like the session cookie.
    """
    wanted = str(user.id) if user.is_authenticated else None
    if request.cookies.get(OWNER_COOKIE) == wanted:
        return
    secure = app.config["SESSION_COOKIE_SECURE"]
    if wanted is None:
        response.delete_cookie(OWNER_COOKIE, secure=secure, samesite="Lax")
        return
    remembered = session.get("_remember") == "set" or app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in (
        request.cookies
    )
    max_age = app.config["REMEMBER_COOKIE_DURATION"] if remembered else None
    response.set_cookie(OWNER_COOKIE, wanted, max_age=max_age, secure=secure, httponly=False, samesite="Lax")


def wants_json() -> bool:
    """Whether this request should get a JSON answer (the API)."""
    return request.path.startswith("/api/")
