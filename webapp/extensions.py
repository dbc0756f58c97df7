"""Extensions, created once here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask import current_app, g
from flask_htmx import HTMX
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic can alter and drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay readable after commit: a request renders what it just wrote without reloading it.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()


class CSRFProtectUnlessBearer(CSRFProtect):
    """CSRF protection for browser sessions; a request the API token hook authenticated needs none.

    CSRF rides on cookies a browser sends by itself; a bearer token is a
    header no other site can make a browser send.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        if g.get("api_token") is not None:
            return
        super().protect(apply_exemptions)


def _api_token_key() -> str:
    """The per-token limit's key: the token row (set by ``webapp.api_auth``), whatever address it comes from."""
    return f"api-token:{g.api_token.id}"


def _not_a_token_request() -> bool:
    return g.get("api_token") is None


def _api_token_limit() -> str:
    return current_app.config["RATELIMIT_API_TOKEN"]


csrf = CSRFProtectUnlessBearer()
htmx = HTMX()
# Addresses for the browser routes that name a limit; every API token has its own limit on top.
limiter = Limiter(
    key_func=get_remote_address,
    application_limits=[
        ApplicationLimit(
            _api_token_limit, key_function=_api_token_key, exempt_when=_not_a_token_request, scope="api-token"
        )
    ],
)
# Used only by the worker: no web request waits on an SMTP server.
mail = Mail()
