"""Security headers on every response, and where sessions come from."""

from __future__ import annotations

from flask import Flask, Response, jsonify, redirect, request, url_for
from sqlalchemy import bindparam, select

from webapp.extensions import db, login_manager
from webapp.models import User

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


# Built once: every request loads its user, and ``session.get`` builds and keys
# its query anew each time (about twice the cost of running this one).
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def init_app(app: Flask) -> None:
    """Install the headers hook and the Flask-Login loaders."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to keep dialling."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).scalar_one_or_none()

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


def wants_json() -> bool:
    """Whether this request should get a JSON answer (the API)."""
    return request.path.startswith("/api/")
