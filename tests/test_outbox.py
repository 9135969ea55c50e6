"""The outbox: each message queued ("I kö"), sent ("Skickat", with the time) or failed
("Misslyckades", with the SMTP server's error); "Skicka igen" for admins; two paged lists."""

from __future__ import annotations

import datetime as dt
import html
import smtplib
import socket

import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.mail.models import OutgoingMail

T0 = dt.datetime(2024, 5, 2, 8, 0, tzinfo=dt.UTC)


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingSMTP:
    """smtplib.SMTP for a server that accepts everything."""

    sent: list = []

    def __init__(self, host, port, timeout=None):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        RecordingSMTP.sent.append(message)


def _page(client, url="/admin/utkorg") -> str:
    reply = client.get(url)
    assert reply.status_code == 200, url
    return html.unescape(reply.get_data(as_text=True))


@pytest.fixture
def failed(app, client, auth, make_round, make_user):
    """A reminder to KN's respondent, sent while the SMTP server refused connections."""
    round_ = make_round(2024)
    make_user("respondent", "KN")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port())
    auth.login_as("admin", None)
    reply = client.post(f"/status/omgangar/{round_.id}/paminn", follow_redirects=True)
    assert "kunde inte skickas" in reply.get_data(as_text=True)
    return db.session.scalar(select(OutgoingMail))


def test_a_refused_smtp_connection_marks_the_message_failed_with_the_error(client, failed):
    assert failed.sent_at is None and failed.failed_at is not None
    assert "refused" in failed.error.lower()
    page = _page(client)
    assert "Ej skickade (1)" in page and "Skickade (0)" in page
    assert "Misslyckades" in page and failed.error in page
    assert "Skicka igen till respondent-kn@example.org" in page


def test_resend_queues_the_message_again_and_sends_it(app, client, failed, monkeypatch):
    RecordingSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    reply = client.post(f"/admin/utkorg/{failed.id}/skicka-igen", follow_redirects=True)
    assert "Meddelandet till respondent-kn@example.org är skickat igen." in \
        html.unescape(reply.get_data(as_text=True))
    assert [m["To"] for m in RecordingSMTP.sent] == ["respondent-kn@example.org"]
    db.session.expire_all()
    message = db.session.get(OutgoingMail, failed.id)
    assert message.sent_at is not None and message.error == "" and message.failed_at is None
    page = _page(client)
    assert "Ej skickade (0)" in page and "Skickade (1)" in page and "Misslyckades" not in page
    assert "Skickat " in page

    event = db.session.scalar(select(AuditEvent).filter_by(action="mail.resend"))
    assert event.object_type == "outgoing_mail" and event.object_id == failed.id
    assert "tidigare misslyckat" in event.detail and "nu skickat" in event.detail
    log = _page(client, "/admin/logg?action=mail.resend")
    assert "E-post skickat igen" in log
    assert f"E-post {failed.id} till respondent-kn@example.org" in log


def test_resend_that_fails_again_shows_the_new_error(client, failed):
    reply = client.post(f"/admin/utkorg/{failed.id}/skicka-igen", follow_redirects=True)
    assert "kunde inte skickas" in html.unescape(reply.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(OutgoingMail, failed.id).failed_at is not None


def test_without_a_mail_server_resend_puts_a_sent_message_back_in_the_queue(client, auth):
    message = OutgoingMail(recipient="a@malmo.se", subject="Hej", body="Text", sent_at=T0)
    db.session.add(message)
    db.session.commit()
    auth.login_as("admin", None)
    assert "Skickat 2024-05-02 10:00" in _page(client)
    reply = client.post(f"/admin/utkorg/{message.id}/skicka-igen", follow_redirects=True)
    assert "ligger i kö igen" in html.unescape(reply.get_data(as_text=True))
    page = _page(client)
    assert "I kö" in page and "Ej skickade (1)" in page
    assert "Skicka igen till a@malmo.se" not in page  # queued: nothing to send again
    again = client.post(f"/admin/utkorg/{message.id}/skicka-igen", follow_redirects=True)
    assert "ligger redan i kö" in html.unescape(again.get_data(as_text=True))
    event = db.session.scalar(select(AuditEvent).filter_by(action="mail.resend"))
    assert "tidigare skickat 2024-05-02 10:00" in event.detail and "nu i kö" in event.detail


@pytest.mark.parametrize("role,org", [("respondent", "ASN"), ("analyst", None)])
def test_only_admins_may_resend(client, auth, role, org):
    message = OutgoingMail(recipient="a@malmo.se", subject="Hej", body="Text", sent_at=T0)
    db.session.add(message)
    db.session.commit()
    auth.login_as(role, org)
    assert client.post(f"/admin/utkorg/{message.id}/skicka-igen").status_code == 403
    db.session.expire_all()
    assert db.session.get(OutgoingMail, message.id).sent_at == T0


def test_resend_without_the_csrf_token_is_refused(client, auth):
    message = OutgoingMail(recipient="a@malmo.se", subject="Hej", body="Text", sent_at=T0)
    db.session.add(message)
    db.session.commit()
    auth.login_as("admin", None)
    reply = client.client.post(f"/admin/utkorg/{message.id}/skicka-igen")
    assert reply.status_code == 400
    db.session.expire_all()
    assert db.session.get(OutgoingMail, message.id).sent_at == T0


def test_each_list_is_paged_and_keeps_the_other_lists_page(client, auth):
    for i in range(120):
        db.session.add(OutgoingMail(recipient=f"v{i}@malmo.se", subject=f"Väntar {i}",
                                    body="Text", created_at=T0 + dt.timedelta(minutes=i)))
    for i in range(60):
        db.session.add(OutgoingMail(recipient=f"s{i}@malmo.se", subject=f"Skickat {i}",
                                    body="Text", created_at=T0,
                                    sent_at=T0 + dt.timedelta(minutes=i)))
    db.session.commit()
    auth.login_as("admin", None)
    first = _page(client)
    assert "Ej skickade (120)" in first and "Skickade (60)" in first
    assert ">v119@malmo.se<" in first and ">v70@malmo.se<" in first  # the 50 newest
    assert ">v69@malmo.se<" not in first
    assert ">s59@malmo.se<" in first and ">s9@malmo.se<" not in first
    third = _page(client, "/admin/utkorg?unsent_page=3&sent_page=2")
    assert ">v19@malmo.se<" in third and ">v0@malmo.se<" in third and ">v20@malmo.se<" not in third
    assert ">s9@malmo.se<" in third and ">s10@malmo.se<" not in third
    assert "sida 3 av 3" in third and "sida 2 av 2" in third
    assert "/admin/utkorg?unsent_page=2&sent_page=2" in third  # "Nyare" keeps the sent page
