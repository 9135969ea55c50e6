"""Shared fixtures: the app on a fresh database, a client that carries CSRF tokens like a
browser does, logins per role, and factories for rounds, users and responses."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import re

import pytest
from sqlalchemy import select

from survey import create_app
from survey.accounts.models import Role, User
from survey.accounts.services import create_user
from survey.cli import seed_all
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import RoundStatus
from survey.questionnaires.services import create_round

PASSWORD = "ett-långt-lösenord-2024"
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def database_url(tmp_path) -> str:
    """SQLite in a temporary folder, or the server named by TEST_DATABASE_URL."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SERVER_NAME": "localhost",
        # Cheap hashing keeps the suite fast; production uses the defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    })
    # Tests run inside an application context, so factories and assertions can use
    # db.session; each request of the test client gets its own context and session.
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_all()
        yield app
        db.session.remove()
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
