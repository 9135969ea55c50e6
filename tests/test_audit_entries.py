"""Audit entries for security-relevant actions: UTC time, user, organisation, object and
action, and never a password or answer text; one line each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from support.answering import autosave, question_ids, start

from survey.audit.models import AuditEvent
from survey.audit.services import record
from survey.extensions import db

WRONG = "ett-felaktigt-lösenord-42"
NEW_PASSWORD = "ett-nytt-hemligt-lösenord-7"
ANSWER = "Vi har en handlingsplan som ingen annan får läsa i loggen."


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


def _no_secrets(event: AuditEvent, *secrets: str) -> None:
    assert event.at.tzinfo is not None and event.at.utcoffset() == dt.timedelta(0)
    for secret in secrets:
        assert secret not in event.detail


def test_a_login_failure_is_logged_without_the_password(client, make_user):
    user = make_user("respondent", "ASN")
    client.post("/logga-in", {"email": user.email, "password": WRONG})
    client.post("/logga-in", {"email": "okand@example.org", "password": WRONG})
    known, unknown = _events("login.failure")
    assert (known.user_id, known.organisation_id) == (user.id, user.organisation_id)
    assert unknown.user_id is None
    for event in (known, unknown):
        _no_secrets(event, WRONG, "okand@example.org")


def test_a_password_reset_is_logged_without_the_password(client, auth, make_user):
    target = make_user("respondent", "KN")
    admin = auth.login_as("admin", None)
    assert client.post(f"/admin/anvandare/{target.id}/losenord",
                       {"password": NEW_PASSWORD}).status_code == 302
    (event,) = _events("user.password")
    assert event.user_id == admin.id
    assert (event.object_type, event.object_id) == ("user_account", target.id)
    assert event.organisation_id == target.organisation_id
    _no_secrets(event, NEW_PASSWORD)


def test_an_answer_save_is_logged_without_the_answer(client, auth, make_round):
    user = auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    qid = question_ids(rid)[0]
    assert autosave(client, rid, f"answer-{qid}", ANSWER, 0).status_code == 200
    (event,) = _events("answer.save")
    assert (event.user_id, event.organisation_id) == (user.id, user.organisation_id)
    assert event.object_type == "answer" and event.object_id
    _no_secrets(event, ANSWER, "handlingsplan")


def test_newlines_in_details_are_escaped(app):
    event = record("test.newline", detail="rad ett\nrad två\r\nrad tre\\n")
    assert event.detail == "rad ett\\nrad två\\r\\nrad tre\\\\n"
    assert "\n" not in event.detail and "\r" not in event.detail
    db.session.rollback()
