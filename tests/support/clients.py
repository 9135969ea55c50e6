"""Test clients: a browser-like client that carries the CSRF token, and logins."""

from __future__ import annotations

import contextvars
import re

from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.extensions import db

#: Every test user's password.
PASSWORD = "ett-långt-lösenord-2024"
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


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
            self.get("/logga-in")
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


class AuthActions:
    def __init__(self, client: BrowserClient, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/logga-in", {"email": email, "password": password})

    def login_as(self, role: Role | str = Role.RESPONDENT, org: str | None = "ASN") -> User:
        role = Role(role)
        email = f"{role.value}-{org or 'x'}@example.org".lower()
        user = db.session.scalar(select(User).filter_by(email=email)) or self.make_user(role, org)
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        self.client.get("/")  # a fresh token for the logged-in session
        return user

    def logout(self):
        return self.client.post("/logga-ut")
