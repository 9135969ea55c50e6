"""Session cookies and session lifetime: flags, the __Host- prefix, idle and absolute
timeouts, and sessions ended by deactivation or a password change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from support.answering import answer, autosave, question_ids, start
from support.clients import PASSWORD, BrowserClient

from survey import create_app
from survey.accounts.models import User
from survey.extensions import db
from survey.security import sessions

NEW_PASSWORD = "ett-helt-nytt-långt-lösenord"


def _set_cookie(reply, name: str) -> str:
    headers = [h for h in reply.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert headers, reply.headers
    return headers[-1]


def _attributes(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


def test_session_cookie_is_host_prefixed_secure_httponly_and_lax(app, client, make_user):
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    make_user("respondent", "ASN")
    reply = client.post("/logga-in", {"email": "respondent-asn@example.org", "password": PASSWORD})
    assert reply.status_code == 302
    cookie = _set_cookie(reply, "__Host-session")
    assert {"secure", "httponly", "samesite", "path"} <= _attributes(cookie)
    assert "SameSite=Lax" in cookie and "Path=/;" in cookie + ";"
    assert "domain" not in _attributes(cookie)  # __Host- cookies must not name a domain


def test_the_test_client_and_https_clients_keep_the_secure_cookie(app, make_user):
    # Werkzeug's test client sends Secure cookies over http too (as browsers do for
    # http://127.0.0.1 and http://localhost), and of course over https. Over https,
    # Flask-WTF also checks the Referer, which browsers send under our same-origin policy.
    make_user("respondent", "ASN")
    for base_url in ("http://localhost", "https://localhost"):
        browser = BrowserClient(app.test_client())
        browser.get("/logga-in", base_url=base_url)
        reply = browser.post("/logga-in", {"email": "respondent-asn@example.org",
                                        "password": PASSWORD}, base_url=base_url,
                             headers={"Referer": base_url + "/logga-in"})
        assert reply.status_code == 302
        assert browser.get("/", base_url=base_url).status_code == 200, base_url


def _debug_app(tmp_path, **extra):
    return create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
                       **extra})


def test_debug_mode_uses_a_plain_cookie(tmp_path):
    debug = _debug_app(tmp_path, DEBUG=True)
    assert debug.config["SESSION_COOKIE_SECURE"] is False
    assert debug.config["SESSION_COOKIE_NAME"] == "session"
    assert debug.config["SESSION_COOKIE_HTTPONLY"] is True


def test_configured_cookie_settings_win(tmp_path):
    plain = _debug_app(tmp_path, SESSION_COOKIE_SECURE=False)
    assert plain.config["SESSION_COOKIE_NAME"] == "session"  # __Host- requires Secure
    with_domain = _debug_app(tmp_path, SESSION_COOKIE_DOMAIN="malmo.se")
    assert with_domain.config["SESSION_COOKIE_SECURE"] is True
    assert with_domain.config["SESSION_COOKIE_NAME"] == "session"  # __Host- forbids Domain


def test_remember_me_cookie_would_be_strict(app):
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_DURATION"] == dt.timedelta(0)


def test_default_timeouts(app):
    assert app.config["SESSION_IDLE_TIMEOUT"] == dt.timedelta(hours=2)
    assert app.config["SESSION_ABSOLUTE_TIMEOUT"] == dt.timedelta(hours=12)


class Clock:
    def __init__(self, monkeypatch):
        self.offset = 0
        real = sessions.now
        monkeypatch.setattr(sessions, "now", lambda: real() + self.offset)

    def advance(self, **delta):
        self.offset += int(dt.timedelta(**delta).total_seconds())


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _logged_out(reply) -> bool:
    return reply.status_code == 302 and "/logga-in" in reply.headers["Location"]


def test_idle_session_ends_after_two_hours(client, auth, clock):
    auth.login_as("respondent", "ASN")
    clock.advance(hours=1, minutes=59)
    assert client.get("/").status_code == 200  # activity restarts the idle clock
    clock.advance(hours=1, minutes=59)
    assert client.get("/").status_code == 200
    clock.advance(hours=2, seconds=1)
    assert _logged_out(client.get("/"))
    assert _logged_out(client.get("/"))  # and stays ended


def test_session_ends_twelve_hours_after_login_however_active(client, auth, clock):
    auth.login_as("respondent", "ASN")
    for _ in range(11):
        clock.advance(hours=1)
        assert client.get("/").status_code == 200
    clock.advance(hours=1, seconds=1)
    assert _logged_out(client.get("/"))
    auth.login_as("respondent", "ASN")  # a new login starts a new session
    assert client.get("/").status_code == 200


def test_expired_session_autosave_answers_401_json_and_the_text_is_saved_after_login(
        client, auth, make_round, clock):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    assert autosave(client, rid, f"answer-{q1}", "Före pausen", 0).status_code == 200
    clock.advance(hours=3)
    reply = autosave(client, rid, f"answer-{q1}", "Efter en lång lunch", 1)
    assert reply.status_code == 401
    assert reply.is_json and reply.get_json()["error"] == "login"
    assert "Texten du skrev finns kvar" in reply.get_json()["message"]
    assert answer(rid, q1).text == "Före pausen"
    # Logging in again (another tab) and saving once more keeps the text.
    auth.login_as("respondent", "ASN")
    assert autosave(client, rid, f"answer-{q1}", "Efter en lång lunch", 1).status_code == 200
    assert answer(rid, q1).text == "Efter en lång lunch"


def test_expired_session_form_post_gives_the_text_back(client, auth, make_round, clock):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    clock.advance(hours=13)
    reply = client.post(f"/svar/{rid}", {f"answer-{q1}": "Text i ett formulär",
                                              f"version-{q1}": "0"})
    assert reply.status_code == 401
    assert "Text i ett formulär" in reply.get_data(as_text=True)


def test_a_session_without_timestamps_is_not_accepted(app, client, auth):
    auth.login_as("respondent", "ASN")
    with client.client.session_transaction() as session:
        session.pop(sessions.LOGIN_AT)
    assert _logged_out(client.get("/"))


def _stolen_copy(app, client) -> BrowserClient:
    name = app.config["SESSION_COOKIE_NAME"]
    copy = BrowserClient(app.test_client())
    copy.set_cookie(name, client.get_cookie(name).value, domain="localhost")
    assert copy.get("/").status_code == 200
    return copy


def test_deactivating_a_user_ends_a_copied_cookies_session(app, client, auth, make_user):
    target = make_user("respondent", "KN")
    auth.login("respondent-kn@example.org")
    copy = _stolen_copy(app, client)
    admin = BrowserClient(app.test_client())
    admin.post("/logga-in", {"email": make_user("admin", None).email, "password": PASSWORD})
    admin.get("/admin/anvandare")
    assert admin.post(f"/admin/anvandare/{target.id}/inaktivera").status_code == 302
    assert _logged_out(copy.get("/"))
    assert _logged_out(client.get("/"))


def test_a_password_change_ends_a_copied_cookies_session(app, client, auth, make_user):
    target = make_user("respondent", "KN")
    auth.login("respondent-kn@example.org")
    copy = _stolen_copy(app, client)
    admin = BrowserClient(app.test_client())
    admin.post("/logga-in", {"email": make_user("admin", None).email, "password": PASSWORD})
    admin.get("/admin/anvandare")
    reply = admin.post(f"/admin/anvandare/{target.id}/losenord", {"password": NEW_PASSWORD})
    assert reply.status_code == 302
    assert _logged_out(copy.get("/"))
    assert _logged_out(client.get("/"))
    assert db.session.scalar(select(User.active).filter_by(id=target.id)) is True
    assert auth.login("respondent-kn@example.org", NEW_PASSWORD).status_code == 302
