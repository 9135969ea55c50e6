"""Shared fixtures: the app on a fresh database, a client that carries CSRF tokens like a
browser does, logins per role, and factories for rounds and users. What the fixtures are built
from (and what tests import) lives in tests/support; its plugin is loaded here.

Every test that uses `app` (directly or through client, auth, runner or the factories) runs
twice: on SQLite and on PostgreSQL (TEST_POSTGRES_URL, default the local server). Without a
reachable server the PostgreSQL runs are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from sqlalchemy import select
from support.charts import chart_figure
from support.ci import in_ci
from support.clients import PASSWORD, AuthActions, BrowserClient
from support.config import app_config
from support.postgres import POSTGRES_DEFAULT_URL, PostgresServer
from support.walks import ROLE_EMAILS

from survey import create_app
from survey.accounts.models import Role, User
from survey.accounts.services import create_user
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.provisioning import seed_all
from survey.questionnaires.models import RoundStatus
from survey.questionnaires.services import create_round

pytest_plugins = ["support.plugin"]


# --- the databases: every test that uses `app` runs on SQLite and on PostgreSQL ------------

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
             questionnaire: str = "sarskild-fraga", deadline: dt.date | None = None):
        round_ = create_round(questionnaire, year, dt.date(year, 1, 15),
                              deadline or dt.date(year, 2, 28))
        round_.status = status
        db.session.commit()
        return round_

    return make


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


# --- a response to point ids at, a browser per role (the route-access, hostile-input walks) --

@pytest.fixture
def world(app, make_user, make_round, organisation):
    """A round, A's response with a saved answer (one revision), a sent e-mail, and every
    role's user.

    Respondent A (ASN) owns the response, respondent B (FRN) must not see it; the ids are
    those a route's path parameters point at.
    """
    from survey.database import utcnow
    from survey.mail.models import OutgoingMail
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
    message = OutgoingMail(recipient=owner.email, subject="Påminnelse", body="Text",
                           sent_at=utcnow())
    db.session.add(message)
    db.session.commit()
    return {
        "round_id": round_.id, "response_id": response.id, "question_id": question.id,
        "revision_id": answer.revisions[0].id, "user_id": target.id, "message_id": message.id,
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
            reply = browser.post("/logga-in", {"email": email, "password": PASSWORD})
            assert reply.status_code == 302, f"{role} could not log in"
            browser.get("/")  # the logged-in session's token
        return browser

    return make


# --- charts on a page, and the system tools some tests need --------------------------------

@pytest.fixture(scope="session")
def chart_data():
    """chart_data(html, chart_id): the figure of one chart on a page (support.charts)."""
    return chart_figure


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
