"""``Authorization: Bearer`` on the API: a personal token stands in for the browser session.

A request to ``/api/`` that carries a bearer token is the token's rep and
nobody else: the session cookie is not read, and no CSRF token is asked for
(a browser never attaches this header on its own, so another site cannot
forge it). A dialer that can only call a URL sends the token in the path
of its disposition URL instead. A revoked or unknown token answers 401, a read token on a write
method 403, both as JSON. Each token has its own rate limit
(``RATELIMIT_API_TOKEN``), keyed on the token, not the address.
"""

from __future__ import annotations

from flask import Flask, g, jsonify, request

from webapp.services.integrations import tokens

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The URL variable of a route authenticated by a token in its path (a dialer's disposition URL).
PATH_TOKEN = "dialer_token"


def bearer_secret() -> str | None:
    """The token in this request's Authorization header, if it has one."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def init_app(app: Flask) -> None:
    """Install the hook; it must run before CSRF protection and the rate limiter."""

    @app.before_request
    def authenticate_bearer_token():
        if not request.path.startswith("/api/"):
            return None
        # A dialer's disposition URL carries its token in the path, and always logs a call.
        in_path = (request.view_args or {}).get(PATH_TOKEN)
        secret = in_path or bearer_secret()
        if secret is None:
            return None
        found = tokens.token_for(secret)
        if found is None:
            return _refuse(401, "invalid_token", "This API token is unknown or was revoked.")
        token, user = found
        if (in_path or request.method not in READ_METHODS) and not token.can_write:
            return _refuse(
                403, "read_only_token", "This token can only read; make a read and write token to log calls."
            )
        g.api_token = token
        g._login_user = user  # Flask-Login's current_user for this request
        tokens.note_use(token)
        return None


def _refuse(status: int, code: str, message: str):
    response = jsonify(error=code, message=message)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="closer"'
    return response, status


def token_in_use():
    """The API token this request came with, or None for a browser session."""
    return g.get("api_token")
