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
        # A writing session lasts longer than Flask-WTF's default hour; an
        # expired token is still handled without losing text.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=10),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": dt.timedelta(seconds=0),
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
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if len(str(app.config["SECRET_KEY"])) < MIN_SECRET_LENGTH and not app.testing:
        raise RuntimeError(
            f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters; "
            "set a long random value or remove it to have one generated."
        )


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
