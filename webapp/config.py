"""Settings read from the environment, documented in the README."""

from __future__ import annotations

import os


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _count(name: str, default: int) -> int:
    """A whole number of at least 0, or a start-up error that names the setting."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise RuntimeError(f"{name} must be a whole number (0 or more); it is {raw!r}.")
    return int(raw)


def database_url(raw: str | None, instance_path: str) -> str:
    """Normalise ``DATABASE_URL``: SQLite under ``instance/`` by default, psycopg 3 for PostgreSQL."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "closer.db")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


class Config:
    """Defaults for every setting; ``from_env`` overlays the environment."""

    CLOSER_ENV = "production"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    # Recycle connections instead of pinging on every checkout: a ping is one more round trip per request.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_AUTH = "10 per minute;60 per hour"
    # Failed logins per account (the normalised email), whatever address they come from.
    RATELIMIT_LOGIN_ACCOUNT = "10 per 15 minutes"
    RATELIMIT_HEADERS_ENABLED = True
    # Requests per personal API token, whatever address they come from.
    RATELIMIT_API_TOKEN = "120 per minute;5000 per hour"
    SYNC_WINDOW_DAYS = 7
    # Run the hot path's statements through ``db.session.execute`` instead of compiled on the driver.
    PLAIN_SQL = False
    CLOCK_SKEW_SECONDS = 300
    WTF_CSRF_TIME_LIMIT = 3600
    # Every request body, chunked or not, is cut off here (413); the sync route keeps its own smaller cap.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # How many proxies in front of the app may set X-Forwarded-For/-Proto/-Host; 0 trusts none.
    TRUSTED_PROXIES = 0
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    # Web Push: the server's key and contact (see README); none means push is off.
    VAPID_PRIVATE_KEY: str | None = None
    VAPID_SUBJECT: str | None = None
    PUSH_TIMEOUT_SECONDS = 10
    # The worker's task queue: Redis when set, else a SQLite file (default instance/tasks.db).
    REDIS_URL: str | None = None
    TASK_QUEUE_FILE: str | None = None
    # Outgoing email (Flask-Mailman): off while MAIL_SERVER is unset. Sent only by the worker.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    MAIL_TIMEOUT = 20
    # Always SMTP: Flask-Mailman would otherwise keep mail in memory when TESTING is on, and tests read a real server.
    MAIL_BACKEND = "smtp"
    # The address links in emails start with (never the Host header of whoever asked for the email).
    PUBLIC_URL: str | None = None
    # Team webhooks: allow receivers on private networks, each request's timeout, and the retry schedule.
    WEBHOOK_ALLOW_PRIVATE = False
    WEBHOOK_TIMEOUT_SECONDS = 5
    WEBHOOK_RETRY_BASE_SECONDS = 60
    WEBHOOK_GIVE_UP_SECONDS = 24 * 60 * 60
    DEMO_LOGIN_EMAIL = "demo@closer.test"
    DEMO_LOGIN_PASSWORD = "closer-demo-1"
    PASSWORD_HASH = "scrypt"

    @classmethod
    def from_env(cls, instance_path: str) -> dict:
        """Return the settings as a dict, environment first, defaults after."""
        env = os.environ.get("CLOSER_ENV", cls.CLOSER_ENV).strip().lower()
        relaxed = env in {"development", "testing"}
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        settings.update(
            CLOSER_ENV=env,
            SECRET_KEY=os.environ.get("SECRET_KEY") or (f"dev-only-{env}" if relaxed else None),
            SQLALCHEMY_DATABASE_URI=database_url(os.environ.get("DATABASE_URL"), instance_path),
            RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", cls.RATELIMIT_STORAGE_URI),
            RATELIMIT_ENABLED=_bool("RATELIMIT_ENABLED", cls.RATELIMIT_ENABLED),
            RATELIMIT_API_TOKEN=os.environ.get("RATELIMIT_API_TOKEN", cls.RATELIMIT_API_TOKEN),
            PLAIN_SQL=_bool("CLOSER_PLAIN_SQL", cls.PLAIN_SQL),
            SYNC_WINDOW_DAYS=int(os.environ.get("SYNC_WINDOW_DAYS", cls.SYNC_WINDOW_DAYS)),
            CLOCK_SKEW_SECONDS=int(os.environ.get("CLOCK_SKEW_SECONDS", cls.CLOCK_SKEW_SECONDS)),
            TRUSTED_PROXIES=_count("TRUSTED_PROXIES", cls.TRUSTED_PROXIES),
            VAPID_PRIVATE_KEY=os.environ.get("VAPID_PRIVATE_KEY") or None,
            VAPID_SUBJECT=os.environ.get("VAPID_SUBJECT") or None,
            REDIS_URL=os.environ.get("REDIS_URL") or None,
            WEBHOOK_ALLOW_PRIVATE=_bool("WEBHOOK_ALLOW_PRIVATE", cls.WEBHOOK_ALLOW_PRIVATE),
            WEBHOOK_TIMEOUT_SECONDS=_count("WEBHOOK_TIMEOUT_SECONDS", cls.WEBHOOK_TIMEOUT_SECONDS),
            WEBHOOK_RETRY_BASE_SECONDS=_count("WEBHOOK_RETRY_BASE_SECONDS", cls.WEBHOOK_RETRY_BASE_SECONDS),
            WEBHOOK_GIVE_UP_SECONDS=_count("WEBHOOK_GIVE_UP_SECONDS", cls.WEBHOOK_GIVE_UP_SECONDS),
            TASK_QUEUE_FILE=os.environ.get("TASK_QUEUE_FILE") or os.path.join(instance_path, "tasks.db"),
            MAIL_SERVER=os.environ.get("MAIL_SERVER") or None,
            MAIL_PORT=_count("MAIL_PORT", cls.MAIL_PORT),
            MAIL_USE_TLS=_bool("MAIL_USE_TLS", cls.MAIL_USE_TLS),
            MAIL_USE_SSL=_bool("MAIL_USE_SSL", cls.MAIL_USE_SSL),
            MAIL_USERNAME=os.environ.get("MAIL_USERNAME") or None,
            MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD") or None,
            MAIL_DEFAULT_SENDER=os.environ.get("MAIL_DEFAULT_SENDER") or None,
            PUBLIC_URL=os.environ.get("PUBLIC_URL") or None,
            # Werkzeug's scrypt at its full cost; the test suite alone hashes with a cheap scrypt, so its
            # thousands of registrations do not spend minutes in the KDF (the format stays "scrypt:").
            PASSWORD_HASH="scrypt:1024:8:1" if env == "testing" else cls.PASSWORD_HASH,
            SESSION_COOKIE_SECURE=_bool("SECURE_COOKIES", not relaxed),
            REMEMBER_COOKIE_SECURE=_bool("SECURE_COOKIES", not relaxed),
        )
        return settings


# Signing keys shorter than this can be guessed offline from one session cookie.
MIN_SECRET_KEY_BYTES = 32


def check_secret_key(config) -> None:
    """Refuse to start without a key, or, outside development and testing, with a short one."""
    key = config.get("SECRET_KEY")
    if not key:
        raise RuntimeError(
            "SECRET_KEY is not set. Set it in the environment (a long random string) "
            "before starting Closer in production."
        )
    relaxed = config.get("CLOSER_ENV") in {"development", "testing"}
    size = len(key.encode() if isinstance(key, str) else key)
    if not relaxed and size < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(
            f"SECRET_KEY is {size} bytes long; use at least {MIN_SECRET_KEY_BYTES} bytes in production, for example "
            'python -c "import secrets; print(secrets.token_urlsafe(48))".'
        )


def check_mail(config) -> None:
    """With email on, refuse to start without a sender and the public address links begin with."""
    if not config.get("MAIL_SERVER"):
        return
    missing = [name for name in ("MAIL_DEFAULT_SENDER", "PUBLIC_URL") if not config.get(name)]
    if missing:
        raise RuntimeError(
            f"MAIL_SERVER is set, so email is on; set {' and '.join(missing)} too "
            "(the From address, and the address links in emails start with, like https://closer.example.com)."
        )
    if config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        raise RuntimeError("Set MAIL_USE_TLS (STARTTLS, usually port 587) or MAIL_USE_SSL (port 465), not both.")
