"""Database plumbing: UTC timestamps, SQLite connection settings, write transactions."""

from __future__ import annotations

import datetime as dt
import os

import click
from flask import has_request_context, request
from sqlalchemy import DateTime, Enum, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    SQLite stores no zone, so values are normalised to UTC on the way in and
    marked as UTC on the way out; PostgreSQL gets `timestamptz`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _wants_write_lock() -> bool:
    # Requests that change data, and CLI commands, take SQLite's write lock at
    # BEGIN so that concurrent savers queue on the busy timeout instead of
    # failing with "database is locked" when a read lock is upgraded.
    # Everything else (page views, a Python shell) reads without blocking writers.
    if has_request_context():
        return request.method in WRITE_METHODS
    return click.get_current_context(silent=True) is not None


def create_private_file(path: str) -> None:
    """Create an empty file with mode 0600 unless it exists (or its folder does not)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, FileNotFoundError):
        return
    os.close(fd)


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 30000) -> None:
    """WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling is switched off (isolation_level=None)
    so that SQLAlchemy's `begin` event decides how each transaction starts.
    """

    database = engine.url.database

    @event.listens_for(engine, "do_connect")
    def _create_private(dialect, connection_record, cargs, cparams):
        # The file holds every answer: create it readable by its owner only (0600), as
        # the instance folder's secret key is. SQLite gives the -wal and -shm files the
        # database file's mode. An existing file keeps the mode it has.
        if database and database != ":memory:" and not database.startswith("file:"):
            create_private_file(database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def enum_column_type(enum_class, length: int = 20) -> Enum:
    """A portable enum column: stored as its string value, checked by a named constraint."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        create_constraint=True,
        name=enum_class.__name__.lower(),
    )


def update_if_unchanged(obj, version_column, seen_version: int, **values) -> bool:
    """Optimistic locking: write `values` and bump the version only if it is still `seen_version`.

    A conditional UPDATE (`… WHERE id = :id AND version = :seen`), so an edit that began hours
    ago cannot overwrite a newer save; the row lock makes it safe on PostgreSQL too. `obj` is
    reloaded either way, so on False it holds what is stored now, for the conflict message.
    """
    from survey.extensions import db  # the models import this module; avoid a cycle

    model = type(obj)
    result = db.session.execute(
        update(model)
        .where(model.id == obj.id, version_column == seen_version)
        .values({version_column: version_column + 1, **values}),
        execution_options={"synchronize_session": False},
    )
    db.session.refresh(obj)
    return result.rowcount == 1
