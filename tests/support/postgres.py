"""PostgreSQL for the tests: a database of this pytest process's own on the server of
TEST_POSTGRES_URL, and a fast reset to "tables just created and seeded" between tests."""

from __future__ import annotations

import hashlib
import itertools
import os
import socket

import pytest
from sqlalchemy import Integer, create_engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from support.ci import in_ci
from survey.config import normalise_database_url
from survey.extensions import db
from survey.provisioning import seed_all

POSTGRES_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE_PREFIX = "mr_uppfoljning_test"


class PostgresServer:
    """The PostgreSQL server of TEST_POSTGRES_URL, used only through databases of our own.

    The database named in the URL (by default `test`, which others use too) is only the
    one we connect to for CREATE/DROP DATABASE. Each pytest process gets its own database,
    named after the host and process id, so two suites running at once (another checkout,
    pytest-xdist) never share tables; leftovers of crashed runs on this host are dropped.
    """

    def __init__(self, url: str):
        self.url = make_url(normalise_database_url(url))
        self.reset = PostgresReset()
        host = socket.gethostname().encode()
        self.prefix = f"{DATABASE_PREFIX}_{hashlib.sha1(host).hexdigest()[:6]}_"
        self.main_database = f"{self.prefix}{os.getpid()}"
        self._scratch = itertools.count(1)
        self._error: str | None = None
        self._checked = False
        self._created = False

    @property
    def where(self) -> str:
        return f"{self.url.host or 'localhost'}:{self.url.port or 5432}"

    def url_for(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def _admin(self):
        # Autocommit: CREATE/DROP DATABASE cannot run inside a transaction.
        return create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                             connect_args={"connect_timeout": 3})

    def require(self) -> None:
        """Skip (or under CI fail) the calling test when the server cannot be reached."""
        if not self._checked:
            self._checked = True
            try:
                with self._admin().connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
            except OperationalError as exc:
                self._error = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if self._error is None:
            return
        if in_ci():
            pytest.fail(f"PostgreSQL på {self.where} nås inte ({self._error}). CI är satt, så "
                        "PostgreSQL-körningen får inte hoppas över: starta servern eller ange "
                        "TEST_POSTGRES_URL.", pytrace=False)
        pytest.skip(f"PostgreSQL på {self.where} nås inte: PostgreSQL-körningen hoppas över")

    def create_database(self, name: str) -> str:
        with self._admin().connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        with self._admin().connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def scratch_database(self) -> str:
        """A new, empty database name (the caller creates and drops it)."""
        return f"{self.main_database}_s{next(self._scratch)}"

    def drop_leftovers(self) -> None:
        """Drop this host's test databases whose pytest process no longer runs."""
        with self._admin().connect() as connection:
            names = connection.exec_driver_sql(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %(prefix)s)",
                {"prefix": self.prefix},
            ).scalars().all()
        for name in names:
            pid = name[len(self.prefix):].split("_")[0]
            if pid.isdigit() and not _process_alive(int(pid)):
                self.drop_database(name)

    def main(self) -> str:
        """This session's database with the models' tables (created on first use)."""
        self.require()
        if not self._created:
            self.drop_leftovers()
            url = self.create_database(self.main_database)
            engine = create_engine(url, poolclass=NullPool)
            db.metadata.create_all(engine)
            engine.dispose()
            self._created = True
        return self.url_for(self.main_database)

    def finish(self) -> None:
        if self._created:
            self.drop_database(self.main_database)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


SEED_SCHEMA = "seeded"


class PostgresReset:
    """Puts this session's PostgreSQL database back to "tables just created and seeded".

    The first test seeds with seed_all() and keeps a copy of every table in a schema of its
    own; later tests get one script: DELETE every table, copy the seeded rows back, and set
    each id sequence after the highest id (1 when empty). About 20 ms, where TRUNCATE
    takes 0.2 s, drop_all/create_all 0.5 s and seed_all alone 0.15 s.
    """

    def __init__(self):
        self.script: list[str] | None = None

    def __call__(self) -> None:
        if self.script is None:
            self._run(_deletes() + _sequence_resets())
            seed_all()
            self.script = self._snapshot()
        else:
            self._run(self.script)

    @staticmethod
    def _run(statements: list[str]) -> None:
        with db.engine.begin() as connection:
            # Fail loudly instead of hanging when a connection of an earlier test is open.
            connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            connection.exec_driver_sql(";\n".join(statements))

    @staticmethod
    def _snapshot() -> list[str]:
        copies = []
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{SEED_SCHEMA}" CASCADE')
            connection.exec_driver_sql(f'CREATE SCHEMA "{SEED_SCHEMA}"')
            for table in db.metadata.sorted_tables:
                if connection.exec_driver_sql(f'SELECT 1 FROM "{table.name}" LIMIT 1').first():
                    connection.exec_driver_sql(f'CREATE TABLE "{SEED_SCHEMA}"."{table.name}" '
                                               f'AS SELECT * FROM "{table.name}"')
                    copies.append(f'INSERT INTO "{table.name}" '
                                  f'SELECT * FROM "{SEED_SCHEMA}"."{table.name}"')
        return _deletes() + copies + _sequence_resets()


def _deletes() -> list[str]:
    # Children first; DELETE of a few rows beats TRUNCATE, which swaps every table's files.
    return [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]


def _sequence_resets() -> list[str]:
    """Each id sequence continues after the table's highest id (at 1 when it is empty)."""
    statements = []
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                and isinstance(column.type, Integer)
            ):
                statements.append(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', "
                    f"'{column.name}'), coalesce(max(\"{column.name}\"), 0) + 1, false) "
                    f'FROM "{table.name}"'
                )
    return statements
