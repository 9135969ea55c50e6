"""'Skicka påminnelse': only organisations that have not submitted, outbox or SMTP."""

from __future__ import annotations

import datetime as dt
import smtplib
from html import escape

from sqlalchemy import select
from support.factories import submitted_response

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.mail.models import OutgoingMail, Reminder
from survey.questionnaires.models import RoundStatus
from survey.responses.services import return_for_completion, start_response


def submitted(round_, org, user, returned=False):
    response = submitted_response(round_, org, user, text="Ett svar.")
    if returned:
        return_for_completion(response, user, "Komplettera.")
        db.session.commit()
    return response


def setup_round(make_round, make_user, organisation):
    """ASN: two respondents, submitted. FRN: one respondent, draft. GSN: returned.
    KN: a respondent, not started, plus a deactivated one. Other organisations: no user."""
    round_ = make_round(2024)
    asn1 = make_user("respondent", "ASN")
    make_user("respondent", "ASN", email="asn2@example.org")
    frn = make_user("respondent", "FRN")
    gsn = make_user("respondent", "GSN")
    make_user("respondent", "KN")
    inactive = make_user("respondent", "KN", email="gammal@example.org")
    inactive.active = False
    make_user("analyst", None)
    submitted(round_, organisation("ASN"), asn1)
    start_response(round_, organisation("FRN"), frn)
    submitted(round_, organisation("GSN"), gsn, returned=True)
    db.session.commit()
    return round_


def test_reminder_goes_only_to_organisations_that_have_not_submitted(
        app, client, auth, make_round, make_user, organisation):
    round_ = setup_round(make_round, make_user, organisation)
    analyst = auth.login_as("analyst", None)
    page = client.post(f"/status/omgangar/{round_.id}/paminn", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Påminnelse skickad till 3 organisationer (3 mottagare)." in html
    assert "Organisationer utan aktiv användare" in html and "Tekniska nämnden" in html

    reminder = db.session.scalar(select(Reminder))
    assert reminder.round_id == round_.id and reminder.sent_by_id == analyst.id
    recipients = sorted(m.recipient for m in reminder.messages)
    assert recipients == ["respondent-frn@example.org", "respondent-gsn@example.org",
                          "respondent-kn@example.org"]
    assert db.session.scalar(select(OutgoingMail).filter_by(recipient="asn2@example.org")) is None
    message = reminder.messages[0]
    assert message.sent_at is None  # no MAIL_SERVER: stays in the outbox
    assert round_.title in message.subject and "2024-02-28" in message.subject
    assert "http://localhost/" in message.body and "2024-02-28" in message.body
    assert message.organisation_id is not None

    event = db.session.scalar(select(AuditEvent).filter_by(action="reminder.send"))
    assert event is not None and "3 mottagare" in event.detail

    listing = client.get(f"/status/omgangar/{round_.id}/paminnelser").get_data(as_text=True)
    assert "respondent-kn@example.org" in listing and "Ligger i utkorgen" in listing
    status = client.get(f"/status/omgangar/{round_.id}").get_data(as_text=True)
    assert "Senaste påminnelse" in status


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_reminder_is_sent_over_smtp_when_configured(app, client, auth, make_round, make_user,
                                                    organisation, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    app.config["MAIL_SERVER"] = "smtp.example.org"
    round_ = setup_round(make_round, make_user, organisation)
    auth.login_as("analyst", None)
    client.post(f"/status/omgangar/{round_.id}/paminn")
    assert sorted(m["To"] for m in FakeSMTP.sent) == [
        "respondent-frn@example.org", "respondent-gsn@example.org", "respondent-kn@example.org"]
    assert all(m["Subject"].startswith("Påminnelse:") for m in FakeSMTP.sent)
    messages = db.session.scalars(select(OutgoingMail)).all()
    assert len(messages) == 3 and all(m.sent_at is not None for m in messages)


def test_smtp_failure_leaves_messages_in_outbox(app, client, auth, make_round, make_user,
                                                organisation, monkeypatch):
    class BrokenSMTP(FakeSMTP):
        def send_message(self, message):
            raise smtplib.SMTPException("550 nej")

    monkeypatch.setattr(smtplib, "SMTP", BrokenSMTP)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    round_ = setup_round(make_round, make_user, organisation)
    auth.login_as("analyst", None)
    html = client.post(f"/status/omgangar/{round_.id}/paminn",
                       follow_redirects=True).get_data(as_text=True)
    assert "3 meddelanden kunde inte skickas" in html
    messages = db.session.scalars(select(OutgoingMail)).all()
    assert all(m.sent_at is None and "550" in m.error for m in messages)


def test_no_reminder_when_everyone_has_submitted(client, auth, make_round, make_user,
                                                 organisation, monkeypatch):
    # Only ASN is valid in this test's world: end every other organisation in 2023.
    from survey.organisations.models import Organisation

    for org in db.session.scalars(select(Organisation)):
        if org.short_name != "ASN":
            org.valid_to = dt.date(2023, 12, 31)
    db.session.commit()
    round_ = make_round(2024)
    submitted(round_, organisation("ASN"), make_user("respondent", "ASN"))
    auth.login_as("analyst", None)
    html = client.post(f"/status/omgangar/{round_.id}/paminn",
                       follow_redirects=True).get_data(as_text=True)
    assert "Alla organisationer har skickat in" in html
    assert db.session.scalar(select(Reminder)) is None
    assert db.session.scalar(select(OutgoingMail)) is None


def test_reminder_confirmation_previews_recipients_and_the_exact_message(
        app, client, auth, make_round, make_user, organisation):
    round_ = setup_round(make_round, make_user, organisation)
    auth.login_as("analyst", None)
    status = client.get(f"/status/omgangar/{round_.id}").get_data(as_text=True)
    assert f'href="/status/omgangar/{round_.id}/paminn"' in status  # a link, not a post
    page = client.get(f"/status/omgangar/{round_.id}/paminn").get_data(as_text=True)
    assert "3 organisationer får en påminnelse" in page and "(3 mottagare)" in page
    assert "Organisationer utan aktiv användare får ingen påminnelse" in page
    assert "respondent-frn@example.org" in page
    assert f'action="/status/omgangar/{round_.id}/paminn"' in page
    assert "Avbryt" in page
    assert db.session.scalar(select(Reminder)) is None  # nothing sent by looking

    client.post(f"/status/omgangar/{round_.id}/paminn")
    sent = db.session.scalar(select(OutgoingMail).filter_by(
        recipient="respondent-frn@example.org"))
    assert escape(sent.subject) in page and escape(sent.body) in page


def test_reminder_confirmation_says_why_none_can_be_sent(client, auth, make_round):
    round_ = make_round(2024, status=RoundStatus.CLOSED)
    auth.login_as("analyst", None)
    page = client.get(f"/status/omgangar/{round_.id}/paminn").get_data(as_text=True)
    assert "Påminnelser kan bara skickas för en öppen omgång." in page
    assert "Skicka påminnelsen" not in page
