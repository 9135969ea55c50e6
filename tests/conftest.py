"""Shared fixtures: the app on a fresh database, a client that carries CSRF tokens like a
browser does, logins per role, and factories for rounds, users and responses.

Every test that uses `app` (directly or through client, auth, runner or the factories) runs
twice: on SQLite and on PostgreSQL (TEST_POSTGRES_URL, default the local server). Without a
reachable server the PostgreSQL runs are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import shutil
import socket

import pytest
from sqlalchemy import Integer, create_engine, make_url, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from survey import create_app
from survey.accounts.models import Role, User
from survey.accounts.services import create_user
from survey.config import normalise_database_url
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.provisioning import seed_all
from survey.questionnaires.models import RoundStatus
from survey.questionnaires.services import create_round

PASSWORD = "ett-långt-lösenord-2024"
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


# --- the databases: every test that uses `app` runs on SQLite and on PostgreSQL ------------

POSTGRES_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE_PREFIX = "mr_uppfoljning_test"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


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


def pytest_collection_modifyitems(items):
    """Mark each database test's run `sqlite` or `postgresql`, for -m selection."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("database_kind") if callspec else None
        if kind in ("sqlite", "postgresql"):
            item.add_marker(kind)


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer(os.environ.get("TEST_POSTGRES_URL") or POSTGRES_DEFAULT_URL)
    yield server
    server.finish()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request) -> str:
    """Which database the test runs on; every test using `app` runs once on each."""
    return request.param


@pytest.fixture
def database_url(database_kind, tmp_path, request) -> str:
    """SQLite in a temporary folder, or this session's PostgreSQL database (with tables)."""
    if database_kind == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("postgres_server").main()


@pytest.fixture
def empty_database_url(database_kind, tmp_path, request):
    """A database without any tables, as on a fresh machine (for migrations, init-db)."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    server.require()
    name = server.scratch_database()
    yield server.create_database(name)
    server.drop_database(name)


def app_config(database_url: str, **extra) -> dict:
    """The configuration of a test app on `database_url`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "localhost",
        # Cheap hashing keeps the suite fast; production uses the defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        **extra,
    }


@pytest.fixture
def app(database_url, request):
    app = create_app(app_config(database_url))
    # Tests run inside an application context, so factories and assertions can use
    # db.session; each request of the test client gets its own context and session.
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        if sqlite:
            db.drop_all()
            db.create_all()
            seed_all()
        else:
            request.getfixturevalue("postgres_server").reset()
        yield app
        db.session.remove()
        if sqlite:
            db.drop_all()
        db.engine.dispose()


class BrowserClient:
    """A test client that sends the page's CSRF token with every form post, as a browser does.

    Each request runs in a context of its own, as in production: its own application
    context, `g` (where Flask-Login caches the user) and database session. The test's
    session is rolled back around each request, so objects the test holds are reloaded
    with what the request committed; factories commit what they create.
    """

    def __init__(self, client):
        self.client = client
        self.token = None

    def _send(self, method, *args, **kwargs):
        db.session.rollback()
        response = contextvars.Context().run(getattr(self.client, method), *args, **kwargs)
        db.session.rollback()
        return response

    def _remember_token(self, response):
        match = _TOKEN.search(response.get_data(as_text=True)) if response.mimetype == "text/html" \
            else None
        if match:
            self.token = match.group(1)
        return response

    def _ensure_token(self):
        if self.token is None:
            self.get("/login")
        return self.token

    def get(self, url, **kwargs):
        return self._remember_token(self._send("get", url, **kwargs))

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self._ensure_token())
        return self._remember_token(self._send("post", url, data=data, **kwargs))

    def post_json(self, url, payload, **kwargs):
        headers = {"X-CSRFToken": self._ensure_token(), "Accept": "application/json"}
        headers.update(kwargs.pop("headers", {}))
        return self._send("post", url, json=payload, headers=headers, **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


@pytest.fixture
def client(app):
    return BrowserClient(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def organisation(app):
    """Look up a seeded organisation by short name."""

    def get(short_name: str = "ASN") -> Organisation:
        return db.session.scalar(select(Organisation).filter_by(short_name=short_name))

    return get


@pytest.fixture
def make_user(app, organisation):
    def make(role: Role | str = Role.RESPONDENT, org: str | None = "ASN",
             email: str | None = None, name: str | None = None) -> User:
        role = Role(role)
        org_id = organisation(org).id if role == Role.RESPONDENT else None
        email = email or f"{role.value}-{org or 'x'}@example.org".lower()
        user = create_user(email, name or f"Test {role.label}", PASSWORD, role, org_id)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_round(app):
    def make(year: int = 2024, status: RoundStatus = RoundStatus.OPEN,
             questionnaire: str = "sarskild-fraga"):
        round_ = create_round(questionnaire, year, dt.date(year, 1, 15), dt.date(year, 2, 28))
        round_.status = status
        db.session.commit()
        return round_

    return make


class AuthActions:
    def __init__(self, client: BrowserClient, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/login", {"email": email, "password": password})

    def login_as(self, role: Role | str = Role.RESPONDENT, org: str | None = "ASN") -> User:
        role = Role(role)
        email = f"{role.value}-{org or 'x'}@example.org".lower()
        user = db.session.scalar(select(User).filter_by(email=email)) or self.make_user(role, org)
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        self.client.get("/")  # a fresh token for the logged-in session
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


# --- every role, and a response to point ids at (the route-access and hostile-input walks) --

#: The roles the walks over app.url_map call every route as.
ROLES = ("anonymous", "respondent_a", "respondent_b", "analyst", "admin")
ROLE_EMAILS = {"respondent_a": "respondent-asn@example.org",
               "respondent_b": "respondent-frn@example.org",
               "analyst": "analyst-x@example.org", "admin": "admin-x@example.org"}


@pytest.fixture
def world(app, make_user, make_round, organisation):
    """A round, A's response with a saved answer (one revision), and every role's user.

    Respondent A (ASN) owns the response, respondent B (FRN) must not see it; the ids are
    those a route's path parameters point at.
    """
    from survey.responses.services import save_answer, start_response

    round_ = make_round()
    owner = make_user(Role.RESPONDENT, "ASN")
    make_user(Role.RESPONDENT, "FRN")
    make_user(Role.ANALYST, None)
    make_user(Role.ADMIN, None)
    target = make_user(Role.RESPONDENT, "KN")
    response = start_response(round_, organisation("ASN"), owner)
    question = round_.questions[0]
    answer = save_answer(response, question, "A:s text", 0, owner)
    db.session.commit()
    return {
        "round_id": round_.id, "response_id": response.id, "question_id": question.id,
        "revision_id": answer.revisions[0].id, "user_id": target.id,
        "organisation_id": db.session.scalar(
            select(Organisation.id).filter_by(short_name="ASN")),
    }


@pytest.fixture
def browser_as(app):
    """A new BrowserClient logged in as one of ROLES (anonymous: not logged in)."""

    def make(role: str) -> BrowserClient:
        browser = BrowserClient(app.test_client())
        email = ROLE_EMAILS.get(role)
        if email is not None:
            reply = browser.post("/login", {"email": email, "password": PASSWORD})
            assert reply.status_code == 302, f"{role} could not log in"
            browser.get("/")  # the logged-in session's token
        return browser

    return make


# --- charts on a page, and the system tools some tests need --------------------------------

_CHART_BLOCK = re.compile(
    r'<script type="application/json" id="(?P<id>[^"]+)-data">(?P<json>.*?)</script>', re.S)


@pytest.fixture(scope="session")
def chart_data():
    """chart_data(html, chart_id): the figure of one chart on a page, parsed from its
    `<script type="application/json">` block (`dashboards/templates/dashboards/macros.html`).

    Read chart contents this way, never by searching the page's HTML: whether "å" arrives as
    "å" or as "\\u00e5" depends on the JSON engine plotly finds (json or orjson), not on us.
    """

    def read(html: str, chart_id: str) -> dict:
        charts = {found["id"]: found["json"] for found in _CHART_BLOCK.finditer(html)}
        assert chart_id in charts, f"no chart {chart_id!r} on the page, only {sorted(charts)}"
        return json.loads(charts[chart_id])

    return read


@pytest.fixture(scope="session")
def require_tool():
    """require_tool(command, package): the path of a system tool on PATH (chromium, soffice).

    Without it the test is skipped with the Debian package to install; under CI it fails
    instead, so that CI never passes without the tool. `bash tests/run.sh` installs the
    packages when run as root.
    """

    def find(command: str, package: str) -> str:
        path = shutil.which(command)
        if path is not None:
            return path
        reason = (f"{command} is not installed (not on PATH): install Debian's {package} "
                  f"package with `sudo apt-get install {package}`.")
        if in_ci():
            pytest.fail(f"{reason} CI is set, so this test must run.", pytrace=False)
        pytest.skip(reason)

    return find


# --- counts the hostile-input walk reports at the end of the run -----------------------

HOSTILE_WALK_COUNTS: dict[str, tuple[int, float]] = {}


def pytest_terminal_summary(terminalreporter):
    for kind, (requests, seconds) in sorted(HOSTILE_WALK_COUNTS.items()):
        terminalreporter.write_line(
            f"hostile-input walk: {requests} requests on {kind} in {seconds:.1f} s")
