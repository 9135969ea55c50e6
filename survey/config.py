"""Configuration: defaults, instance/config.py, environment, and the secret key."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask

MIN_SECRET_LENGTH = 32


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "survey.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # URL-encoded forms have no size limit of their own: ten answers of
        # 100 000 characters, UTF-8 encoded and percent-escaped, fit in 16 MB.
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 16 * 1024 * 1024,
        "MAX_ANSWER_LENGTH": 100_000,
        # Importing earlier rounds from xlsx (exports/imports/upload.py): the upload's size
        # (below MAX_CONTENT_LENGTH, so the import page itself can say it is too large), what its
        # zip may unpack to and hold, and how many rows are read.
        "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
        "IMPORT_MAX_UNPACKED_BYTES": 200 * 1024 * 1024,
        "IMPORT_MAX_ZIP_MEMBERS": 2000,
        "IMPORT_MAX_ROWS": 10_000,
        # Characters of text read from an import file's rows, each use of a shared string
        # counted (one 30 KB file can repeat one long text in every cell): 50 million allow
        # a whole round at the answer limit (30 organisations × 10 answers × 100 000
        # characters); the rows held for checking then take 50–200 MB at worst. The
        # shared-string table is read whole before any row, and costs more per byte (some
        # 7 bytes of memory per byte of XML for short strings, measured): 20 MB of it.
        "IMPORT_MAX_TEXT_CHARS": 50_000_000,
        "IMPORT_MAX_SHARED_STRINGS_BYTES": 20 * 1024 * 1024,
        # A writing session lasts longer than Flask-WTF's default hour; an
        # expired token is still handled without losing text.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # The cookie outlives no session: the absolute timeout below ends it first.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: decided in `load` from app.debug (Secure and "__Host-session" unless debugging).
        "SESSION_COOKIE_SECURE": None,
        "SESSION_COOKIE_NAME": None,
        # A session ends after this long without a request, and this long after login.
        "SESSION_IDLE_TIMEOUT": dt.timedelta(hours=2),
        "SESSION_ABSOLUTE_TIMEOUT": dt.timedelta(hours=12),
        # Remember-me is not used; should it ever be, its cookie is as strict as the session's.
        "REMEMBER_COOKIE_DURATION": dt.timedelta(seconds=0),
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Login throttling (survey/security/throttling.py): failures within the window per
        # account from one client address, per account from all addresses (holds back only
        # addresses that failed on the account themselves) and per client address; past the
        # limit, attempts wait a delay that doubles from the base up to the maximum. Counters
        # live in the database unless REDIS_URL is set (and in the database while Redis is
        # down). 0 as a limit switches that counter off.
        "LOGIN_FAILURE_WINDOW": dt.timedelta(minutes=15),
        "LOGIN_ACCOUNT_FAILURE_LIMIT": 5,
        "LOGIN_ACCOUNT_WIDE_FAILURE_LIMIT": 20,
        "LOGIN_IP_FAILURE_LIMIT": 20,
        "LOGIN_THROTTLE_BASE_DELAY": dt.timedelta(minutes=1),
        "LOGIN_THROTTLE_MAX_DELAY": dt.timedelta(minutes=15),
        "REDIS_URL": None,
        "REDIS_KEY_PREFIX": "mr-uppfoljning:",
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (werkzeug
        # ProxyFix). Needed so that per-address throttling sees the client, not the proxy.
        "PROXY_COUNT": 0,
        # Strict-Transport-Security max-age (sent over HTTPS, never in debug mode).
        "HSTS_MAX_AGE": 365 * 24 * 3600,
        "SQLITE_BUSY_TIMEOUT_MS": 30_000,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SENDER": "mr-uppfoljning@malmo.se",
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 4,
    }


def normalise_database_url(url: str) -> str:
    """Let `postgres://` and `postgresql://` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    database_url = os.environ.get("DATABASE_URL")
    if database_url and (test_config is None or "SQLALCHEMY_DATABASE_URI" not in test_config):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    _session_cookie(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if len(str(app.config["SECRET_KEY"])) < MIN_SECRET_LENGTH and not app.testing:
        raise RuntimeError(
            f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters; "
            "set a long random value or remove it to have one generated."
        )


def _session_cookie(app: Flask) -> None:
    """Secure cookies with the `__Host-` prefix unless debugging or configured otherwise.

    The prefix makes browsers accept the cookie only if it is Secure, has Path=/ and no
    Domain, so no other host or path can plant or shadow it. Browsers treat
    http://localhost and http://127.0.0.1 as secure, so the demo works over plain HTTP.
    """
    config = app.config
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = not app.debug
    if config["SESSION_COOKIE_NAME"] is None:
        host_only = (not config.get("SESSION_COOKIE_DOMAIN")
                     and (config.get("SESSION_COOKIE_PATH") or config["APPLICATION_ROOT"]) == "/")
        prefixed = config["SESSION_COOKIE_SECURE"] and host_only
        config["SESSION_COOKIE_NAME"] = "__Host-session" if prefixed else "session"


def _instance_secret(instance: Path) -> str:
    """Read the generated secret key, creating it on first start."""
    path = instance / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two workers start at once, one writes and both read its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
